/// SplitMix64 (Steele, Lea & Flood 2014) as a counter-based hash: the n-th number of the stream
/// seeded with `key` is `mix64(key &+ (n + 1) · γ)`, exactly what a SplitMix64 generator started
/// at `key` returns on its (n + 1)-th call.
///
/// MNISTData's own small copy (MLPCore has the generator, and the two modules never import each
/// other). Counter-based, so a loop can draw its n-th number without stepping through the others:
/// that is what lets augmentation draw each sample's numbers from (seed, epoch, index) alone, and
/// lets LLVM vectorise the noise loop.
enum SplitMix {
    /// The golden-ratio increment γ, odd.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64's output function: a bijection of UInt64 that mixes every input bit into every
    /// output bit.
    @inline(__always)
    static func mix64(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The n-th (0-based) number of the stream seeded with `key`.
    @inline(__always)
    static func number(_ n: Int, of key: UInt64) -> UInt64 {
        mix64(key &+ (UInt64(truncatingIfNeeded: n) &+ 1) &* gamma)
    }

    /// A key for the sub-stream named by `value` inside the stream `key` (e.g. an epoch inside a
    /// seed, then a sample index inside that).
    @inline(__always)
    static func key(_ key: UInt64, _ value: Int) -> UInt64 {
        mix64((mix64(key &+ gamma) ^ UInt64(truncatingIfNeeded: value)) &+ gamma)
    }

    /// Uniform in the open interval (−1, 1), symmetric about 0, from the top 53 bits of `bits`.
    @inline(__always)
    static func signedUnit(_ bits: UInt64) -> Double {
        // 2k + 1 − 2^53 for k in 0..<2^53: odd, |·| < 2^53, so exact in Double.
        Double(Int64(bits >> 11) &* 2 &+ 1 &- (1 << 53)) * 0x1p-53
    }

    /// Two uniforms in (−1, 1) as Floats, symmetric about 0, from 24 bits each of `bits`.
    @inline(__always)
    static func signedUnitPair(_ bits: UInt64) -> (Float, Float) {
        // 2k + 1 − 2^24 for k in 0..<2^24: odd, |·| < 2^24, so exact in Float.
        let high = Int32(truncatingIfNeeded: bits >> 40) &* 2 &+ 1 &- (1 << 24)
        let low = Int32(truncatingIfNeeded: (bits >> 16) & 0xFF_FFFF) &* 2 &+ 1 &- (1 << 24)
        return (Float(high) * 0x1p-24, Float(low) * 0x1p-24)
    }

    /// A uniform integer in 0..<bound (bound > 0) from `bits`, by multiply-high (Lemire): the bias
    /// is at most bound / 2^64, and unlike `Int.random(in:using:)` the result is fixed here, not by
    /// the standard library's version.
    @inline(__always)
    static func below(_ bound: Int, _ bits: UInt64) -> Int {
        Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: bits).high)
    }
}
