/// The bundled chemistries, by the names used on the command line and in pack files.
public enum ChemistryPreset: String, CaseIterable, Sendable {
    case naNiCl2 = "NaNiCl2"
    case naS = "NaS"
    case nasicon = "NASICON"
    case sulfide = "sulfide"
    case polymer = "polymer"

    /// Other names users give, any letter case: the cell types' trade names and spellings.
    public static let aliases: [String: ChemistryPreset] = [
        "zebra": .naNiCl2, "na-nicl2": .naNiCl2, "sodium-nickel-chloride": .naNiCl2,
        "na-s": .naS, "sodium-sulfur": .naS, "sodium-sulphur": .naS,
        "nvp": .nasicon,
    ]

    /// The preset `name` names: its own name in any letter case, or an alias (ZEBRA is NaNiCl2).
    public static func named(_ name: String) -> ChemistryPreset? {
        let key = name.lowercased()
        return allCases.first { $0.rawValue.lowercased() == key } ?? aliases[key]
    }

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
