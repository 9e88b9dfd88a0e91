@testable import BatteryPlant

/// A Thevenin cell (the exact JSON form of the issue) for comparisons with analytic results.
func theveninChemistry(rc: [(r_ohm: Double, c_F: Double)] = [(0.005, 2000)]) -> CellChemistry {
    let ocv = try! OCVCurve(
        soc: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
        voltage_V: [3.0, 3.3, 3.45, 3.55, 3.6, 3.65, 3.7, 3.8, 3.9, 4.0, 4.2])
    return .thevenin(capacity_Ah: 38, ocv: ocv, r0_ohm: 0.010, rc: rc)
}

/// A pack of identical cells, ideal sensors, isothermal unless `thermal` is given.
func idealPack(
    _ chemistry: CellChemistry, strings: Int = 1, cells: Int = 1, modules: Int = 1, soc: Double = 0.8,
    temperature_C: Double = 25, thermal: ThermalDefinition? = nil, degradation: Bool = false
) -> PackDefinition {
    PackDefinition(
        chemistry: chemistry, topology: PackTopology(stringsInParallel: strings, cellsPerString: cells, moduleCount: modules),
        spread: .none, initialSoC: soc, initialTemperature_C: temperature_C,
        thermal: thermal ?? .isothermal(ambient_C: temperature_C), electrics: .withoutLink, sensors: .ideal,
        degradationEnabled: degradation)
}

/// The ZEBRA string preset with ideal sensors and no spread.
func idealZebra(cells: Int = 10, soc: Double = 0.5) -> PackDefinition {
    var d = PackDefinition.zebraString(cellCount: cells, initialSoC: soc)
    d.spread = .none
    d.sensors = .ideal
    d.electrics = .withoutLink
    return d
}

extension PackElectrics {
    /// Standard electrics with a negligible DC link, so closing the contactors moves no charge.
    static let withoutLink: PackElectrics = {
        var e = PackElectrics.standard
        e.linkCapacitance_F = 1e-15
        return e
    }()
}

/// Least-squares slope of y against x.
func slope(_ x: [Double], _ y: [Double]) -> Double {
    let mx = x.reduce(0, +) / Double(x.count)
    let my = y.reduce(0, +) / Double(y.count)
    var sxy = 0.0
    var sxx = 0.0
    for (a, b) in zip(x, y) {
        sxy += (a - mx) * (b - my)
        sxx += (a - mx) * (a - mx)
    }
    return sxy / sxx
}
