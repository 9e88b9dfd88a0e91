import BMSCore

/// The firmware's parameters for a cell, as a file (`"kind": "firmware"`, docs/plant-files.md):
/// its cell model (OCV table, resistance law, polarisation, full-charge voltage, ...) and the
/// datasheet limits the configuration is built from. A scenario or `bmssim simulate
/// --firmware-file` gives one for cells the firmware has no preset for; `bmssim firmware-file`
/// prints a preset's as a starting point. The firmware reads nothing else about the cells.
public struct FirmwareDefinition: Sendable {
    public var model: CellModel
    public var limits: DatasheetLimits
    /// Whether the cells may be balanced (ZEBRA strings balance themselves on their shunt reaction).
    public var balancing: Bool
    /// The smallest OCV slope, V per unit SoC, read as SoC information (the estimator's setting).
    public var minimumOCVSlope: Float?
    /// How the file was characterised (nil for a datasheet or hand-written file).
    public var characterisation: CharacterisationRecord?

    public init(
        model: CellModel, limits: DatasheetLimits, balancing: Bool = true, minimumOCVSlope: Float? = nil,
        characterisation: CharacterisationRecord? = nil
    ) {
        self.model = model
        self.limits = limits
        self.balancing = balancing
        self.minimumOCVSlope = minimumOCVSlope
        self.characterisation = characterisation
    }
}
