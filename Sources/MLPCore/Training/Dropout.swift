/// Inverted dropout on the hidden layer (Srivastava et al. 2014): while training, each hidden
/// unit of each sample is dropped (h ← 0) with probability `rate` and kept ones are scaled by
/// 1 / (1 − rate), so the next layer sees the same expected input and evaluation runs the network
/// as it is, with nothing to undo.
public struct Dropout: Sendable, Equatable {
    /// The probability p of dropping a unit, in (0, 1).
    public var rate: Float
    /// The run's seed: with the epoch and the sample's index it fixes every mask.
    var seed: UInt64

    public init(rate: Float, seed: UInt64) {
        self.rate = rate
        self.seed = seed
    }

    /// What a kept unit is multiplied by.
    var keptScale: Float { Float(1 / (1 - Double(rate))) }

    /// A unit is dropped when its 24-bit draw is below this: a fraction `rate` of the draws.
    var dropBelow: UInt64 { UInt64((Double(rate) * 0x1p24).rounded()) }

    /// Sample `sample`'s mask in epoch `epoch`, as factors: 0 for a dropped unit, `keptScale`
    /// for a kept one, `count` of them. Drawn from (seed, epoch, sample) alone, not from a stream
    /// consumed batch by batch, so a sample's mask is the same whatever thread draws it and
    /// after a resume.
    func scales(epoch: Int, sample: Int, into out: UnsafeMutablePointer<Float>, count: Int) {
        var draws = SplitMix64(seed: Self.maskSeed(seed: seed, epoch: epoch, sample: sample))
        let threshold = dropBelow, kept = keptScale
        for j in 0..<count { out[j] = draws.next() >> 40 < threshold ? 0 : kept }
    }

    /// The seed of one sample's mask: the run's seed, then the epoch, then the sample folded in
    /// through SplitMix64's hash, so nearby epochs and samples give unrelated masks.
    static func maskSeed(seed: UInt64, epoch: Int, sample: Int) -> UInt64 {
        var key = seed ^ 0xD809_0C7A_5EED_D809
        for part in [UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: sample)] {
            var mix = SplitMix64(seed: key ^ part)
            key = mix.next()
        }
        return key
    }
}

/// Which samples of the training set a batch holds, in which epoch: what their dropout masks are
/// drawn from. indices[r] is row r's sample.
public struct BatchSamples {
    var epoch: Int
    var indices: UnsafeBufferPointer<Int32>

    init(epoch: Int, indices: UnsafeBufferPointer<Int32>) {
        self.epoch = epoch
        self.indices = indices
    }
}
