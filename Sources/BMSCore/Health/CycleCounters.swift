/// Counts a pack's thermal cycles and freeze-thaw cycles from its module temperatures: the
/// firmware's own bookkeeping for interfacial health (delamination from CTE mismatch, freeze-thaw
/// cracking of molten-electrode cells).
///
/// A thermal half-cycle closes when the warmest module turns back by at least the settings' swing
/// from its last extreme; a freeze-thaw cycle when the coldest module has been below the freezing
/// point by the hysteresis and then above it by as much (`CycleCountingSettings`).
public struct CycleCounters: Sendable {
    /// Thermal cycles (half-cycles count 0.5).
    @inlinable public var thermalCycles: Float { _read { yield _thermalCycles } }
    @usableFromInline var _thermalCycles: Float = 0
    /// Largest half-cycle swing seen, K.
    @inlinable public var largestSwing: Float { _read { yield _largestSwing } }
    @usableFromInline var _largestSwing: Float = 0
    /// Freeze-thaw cycles.
    @inlinable public var freezeThawCycles: Int32 { _read { yield _freezeThawCycles } }
    @usableFromInline var _freezeThawCycles: Int32 = 0

    @usableFromInline var extreme: Float = .nan
    @usableFromInline var lastReversal: Float = .nan
    @usableFromInline var rising: Int8 = 0  // 0 unknown, 1 rising, -1 falling
    @usableFromInline var frozen = false

    @inlinable public init() {}

    @inlinable mutating func update(warmest: Celsius, coldest: Celsius, freezingPoint: Celsius?, settings: CycleCountingSettings) {
        let t = warmest.value
        let swing = settings.thermalSwing.value
        let hysteresis = settings.freezeHysteresis.value
        if extreme.isNaN {
            extreme = t
            lastReversal = t
        }
        switch rising {
        case 0:
            if abs(t - extreme) >= swing {
                rising = t > extreme ? 1 : -1
                extreme = t
            }
        case 1:
            if t > extreme { extreme = t }
            if extreme - t >= swing { closeHalfCycle(at: t, nowRising: -1) }
        default:
            if t < extreme { extreme = t }
            if t - extreme >= swing { closeHalfCycle(at: t, nowRising: 1) }
        }
        if let f = freezingPoint {
            if !frozen, coldest.value < f.value - hysteresis {
                frozen = true
            } else if frozen, coldest.value > f.value + hysteresis {
                frozen = false
                _freezeThawCycles &+= 1
            }
        }
    }

    @inlinable mutating func closeHalfCycle(at t: Float, nowRising: Int8) {
        let swing = abs(extreme - lastReversal)
        _largestSwing = max(_largestSwing, swing)
        _thermalCycles += 0.5
        lastReversal = extreme
        extreme = t
        rising = nowRising
    }
}
