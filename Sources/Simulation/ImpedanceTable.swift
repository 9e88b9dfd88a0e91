import BatteryPlant

/// Writes every cell's impedance spectrum at the plant's present state (long format).
public enum ImpedanceTable {
    /// The columns of the impedance table: a cell and one point of its spectrum.
    static let columns: [CSVColumn<(cell: Int, point: ImpedancePoint)>] = [
        CSVColumn("cell") { String($0.cell) },
        CSVColumn("frequency_Hz") { Format.scientific($0.point.frequency_Hz) },
        CSVColumn("real_ohm") { Format.scientific($0.point.real_ohm) },
        CSVColumn("imaginary_ohm") { Format.scientific($0.point.imaginary_ohm) },
    ]

    public static func write(_ plant: BatteryPack, to path: String, frequencies: [Double] = CellImpedance.logFrequencies(from: 1e7, to: 1e-4, perDecade: 5)) throws {
        let w = try TimeSeriesWriter(path: path, columns: columns, flushEveryRows: 4096)
        for i in 0..<plant.cellCount {
            for p in plant.impedance(ofCell: i).spectrum(frequencies) { try w.append(columns.fields((i, p))) }
        }
        try w.flush()
    }
}
