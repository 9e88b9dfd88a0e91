/// A resistor in parallel with a capacitor, named by the physics it stands for.
///
/// In an impedance spectrum the element is drawn by its `shape`: a constant-phase arc,
/// Z = R / (1 + (j w tau)^n) (a ZARC: the depressed semicircle measured cells show, from the
/// spread of time constants in a real electrode), or a finite-length Warburg for transport
/// (`Shape.warburg`). In the time domain the plant integrates the ideal RC with the same R and
/// tau, which has the same DC resistance and characteristic time.
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

        /// The constant-phase exponent a measured arc of this kind typically shows (calibrations
        /// within the 0.8-0.95 fitted to ceramic electrolytes and electrodes; Irvine, Sinclair and
        /// West, Adv. Mater. 2 (1990) 132 for the arcs): 1 is an ideal capacitor.
        public var typicalDispersion: Double {
            switch self {
            case .grainBoundary, .interphase: 0.9
            case .interface: 0.85
            case .chargeTransfer: 0.8
            case .generic: 1
            }
        }
    }

    /// How the element is drawn in an impedance spectrum.
    public enum Shape: String, Sendable, Equatable, CaseIterable {
        /// A constant-phase arc of exponent `dispersion`.
        case arc
        /// A finite-length Warburg with a transmissive boundary (diffusion through a layer fed
        /// from a reservoir): Z = R tanh(sqrt(j w tau_D)) / sqrt(j w tau_D), a 45-degree line at
        /// high frequencies that closes onto R. Its slowest relaxation mode, 8/pi^2 = 81 % of R,
        /// has the time constant tau_D 4/pi^2; tau_D is set so that this is R C, the time
        /// constant the time-domain step integrates (Jacobsen and West, Electrochim. Acta 40
        /// (1995) 255 for the Foster form).
        case warburg
    }

    public var kind: Kind
    /// How the spectrum draws the element (the time-domain step is the same RC either way).
    public var shape: Shape
    public var resistance: ResistanceLaw
    /// Capacitance in farads at full contact (scales with the contact area, so tau = R C stays put).
    public var capacitance_F: Double
    /// Constant-phase exponent n of the arc in a spectrum (0.5 ... 1; 1 = ideal capacitor; 0.5,
    /// the Warburg's high-frequency slope, for a `warburg` element).
    public var dispersion: Double

    /// An arc of exponent `dispersion` (by default the kind's typical one).
    public init(_ kind: Kind, resistance: ResistanceLaw, capacitance_F: Double, dispersion: Double? = nil) {
        self.kind = kind
        self.shape = .arc
        self.resistance = resistance
        self.capacitance_F = capacitance_F
        self.dispersion = dispersion ?? kind.typicalDispersion
    }

    /// An element of the given spectrum shape (an arc takes the kind's typical exponent).
    public init(_ kind: Kind, shape: Shape, resistance: ResistanceLaw, capacitance_F: Double) {
        self.init(kind, resistance: resistance, capacitance_F: capacitance_F, dispersion: shape == .warburg ? 0.5 : nil)
        self.shape = shape
    }

    /// The slot index of the element in a cell's state (at most `maxElements` per cell).
    public static let maxElements = 4
}
