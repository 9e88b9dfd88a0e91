// The plant's only platform edge: the C math library (exp, log, sqrt, cos, sin) in double precision.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Boltzmann constant in eV/K (CODATA 2018, exact).
public let boltzmannEV: Double = 8.617_333_262e-5

/// 0 C in kelvin.
public let kelvinOffset: Double = 273.15

enum PlantMath {
    @inline(__always) static func exp(_ x: Double) -> Double { Foundation_exp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { Foundation_log(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { Foundation_cos(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { Foundation_sin(x) }
    @inline(__always) static func tan(_ x: Double) -> Double { Foundation_sin(x) / Foundation_cos(x) }

    /// Arrhenius factor exp[(Ea/kB)(1/T - 1/Tref)] that scales a resistance known at `reference`.
    /// Greater than 1 below the reference temperature (resistance rises when cold).
    @inline(__always) static func arrheniusResistanceFactor(
        activationEnergy_eV ea: Double, temperature_K t: Double, reference_K tref: Double
    ) -> Double {
        exp((ea / boltzmannEV) * (1 / t - 1 / tref))
    }
}

// Free functions under distinct names so the enum's members can share the C names.
@inline(__always) private func Foundation_exp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func Foundation_log(_ x: Double) -> Double { log(x) }
@inline(__always) private func Foundation_cos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func Foundation_sin(_ x: Double) -> Double { sin(x) }
