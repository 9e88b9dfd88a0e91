/// How `CycleCounters` counts thermal and freeze-thaw cycles.
public struct CycleCountingSettings: Sendable {
    /// A thermal half-cycle closes when the warmest module turns back by this much from its last
    /// extreme (10 K: the smallest swing the CTE-mismatch delamination literature counts; smaller
    /// swings are the heater's own hysteresis).
    public var thermalSwing: TemperatureDifference
    /// A freeze-thaw cycle needs the coldest module this far below the freezing point and then
    /// this far above it (2 K: a module's thermocouple accuracy).
    public var freezeHysteresis: TemperatureDifference

    @inlinable public init(thermalSwing: TemperatureDifference = .kelvin(10), freezeHysteresis: TemperatureDifference = .kelvin(2)) {
        self.thermalSwing = thermalSwing
        self.freezeHysteresis = freezeHysteresis
    }
}
