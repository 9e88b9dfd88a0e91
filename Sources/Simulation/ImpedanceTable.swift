import BatteryPlant

/// Writes every cell's impedance spectrum at the plant's present state (long format).
public enum ImpedanceTable {
    public static func write(_ plant: BatteryPack, to path: String, frequencies: [Double] = CellImpedance.logFrequencies(from: 1e7, to: 1e-4, perDecade: 5)) throws {
        let w = try TimeSeriesWriter(path: path, columns: ["cell", "frequency_Hz", "real_ohm", "imaginary_ohm"], flushEveryRows: 4096)
        for i in 0..<plant.cellCount {
            for p in plant.impedance(ofCell: i).spectrum(frequencies) {
                try w.append([String(i), Format.scientific(p.frequency_Hz), Format.scientific(p.real_ohm), Format.scientific(p.imaginary_ohm)])
            }
        }
        try w.flush()
    }
}
