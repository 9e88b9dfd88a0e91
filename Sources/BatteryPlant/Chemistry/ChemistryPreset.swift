/// The bundled chemistries, by the names used on the command line and in pack files.
public enum ChemistryPreset: String, CaseIterable, Sendable {
    case naNiCl2 = "NaNiCl2"
    case naS = "NaS"
    case nasicon = "NASICON"
    case sulfide = "sulfide"
    case polymer = "polymer"

    /// The chemistry's true parameters.
    public var chemistry: CellChemistry {
        switch self {
        case .naNiCl2: .naNiCl2
        case .naS: .naS
        case .nasicon: .nasicon
        case .sulfide: .sulfide
        case .polymer: .polymer
        }
    }
}
