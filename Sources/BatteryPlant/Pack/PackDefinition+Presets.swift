extension PackDefinition {
    /// A ZEBRA-type string of Na-NiCl2 cells (240 cells: about 620 V, 23.5 kWh) in one enclosure.
    public static func zebraString(cellCount: Int = 240, initialSoC: Double = 0.6) -> PackDefinition {
        .standard(.naNiCl2, cellsPerString: cellCount, initialSoC: initialSoC)
    }

    /// The commercial 48 V ZEBRA-type unit of REFERENCE section 4: 4 parallel strings of 20 cells,
    /// one thermal module per string.
    public static func zebra48V(initialSoC: Double = 0.6) -> PackDefinition {
        .standard(.naNiCl2, strings: 4, cellsPerString: 20, modules: 4, initialSoC: initialSoC)
    }

    /// A pack of any bundled chemistry with the thermal set-up that chemistry needs.
    ///
    /// Thermal numbers scale with the pack's energy E (REFERENCE section 4 for beta''-alumina):
    /// - NaNiCl2, NaS: insulated box, UA 0.35 W/K, heater 1 kW and 175 kJ/K in total (cells included)
    ///   per 20 kWh; cells-to-enclosure 50 W/K per 20 kWh (calibration).
    /// - NASICON, sulfide (25-60 C): ventilated cabinet, UA 20 W/K, heater 0.5 kW per 20 kWh.
    /// - polymer (60-80 C): light insulation, UA 3 W/K, heater 1 kW per 20 kWh.
    /// Ambient 25 C; typical spread and sensors.
    public static func standard(
        _ preset: ChemistryPreset, strings: Int = 1, cellsPerString: Int, modules: Int = 1, initialSoC: Double = 0.6
    ) -> PackDefinition {
        let thermal: (Double, Double, Double, Double) =
            switch preset {
            case .naNiCl2: (0.35, 1000, 175_000, 285)
            case .naS: (0.35, 1000, 175_000, 330)
            case .nasicon, .sulfide: (20, 500, 0, 30)
            case .polymer: (3, 1000, 0, 70)
            }
        return standard(preset.chemistry, thermal: thermal, strings: strings, cellsPerString: cellsPerString, modules: modules, initialSoC: initialSoC)
    }

    /// A pack of cells defined by a chemistry file, with the thermal set-up its temperature window
    /// calls for (the same numbers as the presets'): a window starting at 200 C or above gets the
    /// beta''-alumina box and starts 15 K into it; one starting at 50 C or above the polymer's light
    /// insulation, at the window's middle; a cooler one the ventilated cabinet, 5 K into it.
    public static func standard(
        chemistry: CellChemistry, strings: Int = 1, cellsPerString: Int, modules: Int = 1, initialSoC: Double = 0.6
    ) -> PackDefinition {
        let window = chemistry.limits
        let thermal: (Double, Double, Double, Double) =
            if window.minimumTemperature_C >= 200 {
                (0.35, 1000, 175_000, window.minimumTemperature_C + 15)
            } else if window.minimumTemperature_C >= 50 {
                (3, 1000, 0, (window.minimumTemperature_C + window.maximumTemperature_C) / 2)
            } else {
                (20, 500, 0, window.minimumTemperature_C + 5)
            }
        return standard(chemistry, thermal: thermal, strings: strings, cellsPerString: cellsPerString, modules: modules, initialSoC: initialSoC)
    }

    /// `thermal`: insulation (W/K per 20 kWh), heater (W per 20 kWh), total heat capacity (J/K per
    /// 20 kWh) and initial temperature (C).
    static func standard(
        _ chemistry: CellChemistry, thermal: (Double, Double, Double, Double), strings: Int, cellsPerString: Int, modules: Int,
        initialSoC: Double
    ) -> PackDefinition {
        let cells = Double(strings * cellsPerString)
        let midVoltage = chemistry.ocv.voltage(atSoC: 0.5)
        let per20kWh = cells * chemistry.capacity_Ah * midVoltage / 20_000
        let perModule = per20kWh / Double(modules)
        let cellsPerModule = cells / Double(modules)
        let (ua, heater, totalC, initialT) = thermal
        let enclosureC = max(totalC * perModule - cellsPerModule * chemistry.heatCapacity_J_per_K, 0.1 * cellsPerModule * chemistry.heatCapacity_J_per_K)
        var pack = PackDefinition(
            chemistry: chemistry,
            topology: PackTopology(stringsInParallel: strings, cellsPerString: cellsPerString, moduleCount: modules),
            spread: .typical, initialSoC: initialSoC, initialTemperature_C: initialT,
            thermal: ThermalDefinition(
                cellsToEnclosure_W_per_K: 50 * perModule, enclosureHeatCapacity_J_per_K: enclosureC,
                insulation_W_per_K: ua * perModule, heaterPower_W: heater * perModule, ambient: .constant(25)))
        // The beta''-alumina box (a window from 200 C) blows air through its cells when hot:
        // 4 W/K per 20 kWh, about 1.1 kW out of a 300 C pack (a calibration).
        if initialT >= 200 { pack.thermal.blowerConductance_W_per_K = 4 * perModule }
        return pack
    }
}
