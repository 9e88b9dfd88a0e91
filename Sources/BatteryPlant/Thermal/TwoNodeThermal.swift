/// One backward-Euler step of a module's two thermal nodes (unconditionally stable; the energy
/// balance closes exactly: heat in = stored + lost, by construction).
struct TwoNodeThermal {
    var cellsHeatCapacity_J_per_K: Double
    var enclosureHeatCapacity_J_per_K: Double
    var coupling_W_per_K: Double
    var insulation_W_per_K: Double
    /// The cooling air blown through the cell block (a running blower): cells to ambient, W/K.
    var cooling_W_per_K: Double = 0

    /// Returns the new (cells, enclosure) temperatures and the heat lost to ambient (through the
    /// insulation and the cooling air), J.
    func step(
        cells tc: Double, enclosure te: Double, ambient ta: Double, heatIntoCells_W p: Double, dt: Double
    ) -> (cells: Double, enclosure: Double, lost_J: Double) {
        let cc = cellsHeatCapacity_J_per_K / dt
        let ce = enclosureHeatCapacity_J_per_K / dt
        let g = coupling_W_per_K
        let ua = insulation_W_per_K
        // [cc + g, -g; -g, ce + g + ua] [tc'; te'] = [cc tc + p; ce te + ua ta]
        let gb = cooling_W_per_K
        let a11 = cc + g + gb
        let a12 = -g
        let a22 = ce + g + ua
        let b1 = cc * tc + p + gb * ta
        let b2 = ce * te + ua * ta
        let det = a11 * a22 - a12 * a12
        let tc1 = (b1 * a22 - a12 * b2) / det
        let te1 = (a11 * b2 - a12 * b1) / det
        return (tc1, te1, (ua * (te1 - ta) + gb * (tc1 - ta)) * dt)
    }
}
