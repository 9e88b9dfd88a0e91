/// A resistor in parallel with a capacitor, named by the physics it stands for.
public struct ImpedanceElement: Sendable, Equatable {
    /// Which process the element represents; decides how degradation state scales it.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Grain boundaries of the ceramic electrolyte (C about 1e-11 to 1e-8 F per cm2 of pellet).
        case grainBoundary
        /// Resistive interphase grown between anode and electrolyte: R = thickness / (sigma S f).
        /// Its resistance law is that of a 1 cm thick layer; the cell's interphase thickness scales it.
        case interphase
        /// Electrode/electrolyte interface and space charge; R scales as 1 / contact fraction.
        case interface
        /// Charge transfer and transport in the cathode (slow, seconds to minutes).
        case chargeTransfer
        /// A plain RC element of an equivalent-circuit model (no physics attached).
        case generic
    }

    public var kind: Kind
    public var resistance: ResistanceLaw
    /// Capacitance in farads at full contact (scales with the contact area, so tau = R C stays put).
    public var capacitance_F: Double

    public init(_ kind: Kind, resistance: ResistanceLaw, capacitance_F: Double) {
        self.kind = kind
        self.resistance = resistance
        self.capacitance_F = capacitance_F
    }

    /// The slot index of the element in a cell's state (at most `maxElements` per cell).
    public static let maxElements = 4
}
