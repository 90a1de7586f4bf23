#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit state stepped by a fixed odd constant and
/// hashed on the way out. Small, fast, and the whole generator is `state`, so it can be saved in a
/// checkpoint and resumed exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in the open interval (0, 1), so its logarithm is always finite.
    mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Two independent standard normals by the Box–Muller transform.
    mutating func nextNormalPair() -> (Double, Double) {
        let radius = (-2 * log(nextOpenUnit())).squareRoot()
        let angle = 2 * Double.pi * nextOpenUnit()
        return (radius * cos(angle), radius * sin(angle))
    }
}

extension SplitMix64 {
    /// Fills `values` with normals of standard deviation `std`, using both numbers of each pair in order.
    mutating func fillNormal(_ values: UnsafeMutableBufferPointer<Float>, std: Double) {
        var i = 0
        while i < values.count {
            let (first, second) = nextNormalPair()
            values[i] = Float(first * std)
            if i + 1 < values.count { values[i + 1] = Float(second * std) }
            i += 2
        }
    }
}
