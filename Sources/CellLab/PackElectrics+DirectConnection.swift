import BatteryPlant

extension PackElectrics {
    /// No DC link and no precharge: the cell is wired straight to the load (single-cell files).
    public static let directConnection: PackElectrics = {
        var e = PackElectrics.standard
        e.linkCapacitance_F = 1e-15
        return e
    }()
}
