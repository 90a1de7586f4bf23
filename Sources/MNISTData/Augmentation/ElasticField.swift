#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Simard's elastic distortion field for rows x cols images: two planes of white noise uniform in
/// [−1, 1] (one for x displacements, one for y), each smoothed by a Gaussian of σ pixels and
/// multiplied by α (Simard, Steinkraus & Platt, "Best practices for convolutional neural networks
/// applied to visual document analysis", 2003).
///
/// Borders: the noise is drawn on the image plus a margin of the kernel's radius on every side, and
/// only the part the whole kernel covers is kept ("valid" convolution). No pixel's smoothing sees a
/// padded or mirrored value, so the field has the same distribution — the same standard deviation
/// and autocorrelation — at the edge as in the middle. (Zero padding would halve the variance
/// along the edges and quarter it in the corners; mirroring would roughly double it there.)
///
/// The Gaussian is truncated at radius ⌈3σ⌉ and normalised to sum 1, so a field value is
/// α · Σᵢ Σⱼ kᵢ kⱼ uᵢⱼ with uᵢⱼ uniform in [−1, 1]: its standard deviation is α · Σₖ k² / √3, about
/// α / (2σ√(3π)) for a wide kernel (1.38 px for α 34, σ 4), and its autocorrelation at lag d is
/// Σᵢ kᵢ kᵢ₊d / Σ k², about exp(−d² / 4σ²).
struct ElasticField: Sendable {
    let rows: Int
    let cols: Int
    let alpha: Float
    let sigma: Float
    /// ⌈3σ⌉: the kernel is 2·radius + 1 taps.
    let radius: Int
    /// The normalised, truncated Gaussian: kernel[radius + d] ∝ exp(−d² / 2σ²), summing to 1.
    let kernel: [Float]
    /// Row length of the field planes: cols rounded up to whole 8-lane vectors. The extra columns
    /// are computed and never read.
    let stride: Int

    /// The noise planes are noiseRows x noiseCols: the field's rows x stride plus the kernel's radius all round.
    var noiseRows: Int { rows + 2 * radius }
    var noiseCols: Int { stride + 2 * radius }

    /// sigma > 0 (checked by `AugmentationSettings.validate`).
    init(rows: Int, cols: Int, alpha: Float, sigma: Float) {
        precondition(rows > 0 && cols > 0 && sigma > 0 && sigma.isFinite, "ElasticField: \(rows)x\(cols), sigma \(sigma)")
        self.rows = rows
        self.cols = cols
        self.alpha = alpha
        self.sigma = sigma
        radius = Int((3 * sigma).rounded(.up))
        kernel = gaussianKernel(sigma: sigma, radius: radius)
        stride = (cols + 7) / 8 * 8
    }

    /// Floats of scratch `fill` needs.
    var scratchCount: Int { 2 * noiseRows * noiseCols + noiseRows * stride }

    /// dx and dy are (rows, stride); scratch holds `scratchCount` floats. The field of `noiseKey`
    /// (see `SampleDistortion.noiseKey`): the same key gives the same bits, and any other key
    /// unrelated noise. (The key is hashed before it starts a SplitMix64 stream: two raw starting
    /// points γ apart would give the same numbers shifted by one.)
    func fill(noiseKey: UInt64, dx: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
              scratch: UnsafeMutablePointer<Float>) {
        let plane = noiseRows * noiseCols
        let noise = scratch, across = scratch + 2 * plane
        uniformNoise(key: SplitMix.mix64(noiseKey), pairs: plane, into: noise)
        kernel.withUnsafeBufferPointer { k in
            smoothValid(noise, rows: rows, stride: stride, kernel: k, gain: alpha, out: dx, scratch: across)
            smoothValid(noise + plane, rows: rows, stride: stride, kernel: k, gain: alpha, out: dy, scratch: across)
        }
    }

    /// The field of `noiseKey` as two rows x cols arrays, x displacements then y (what `fill` computes).
    func displacements(noiseKey: UInt64) -> (dx: [Float], dy: [Float]) {
        let dx = UnsafeMutablePointer<Float>.allocate(capacity: rows * stride)
        let dy = UnsafeMutablePointer<Float>.allocate(capacity: rows * stride)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
        defer { dx.deallocate(); dy.deallocate(); scratch.deallocate() }
        fill(noiseKey: noiseKey, dx: dx, dy: dy, scratch: scratch)
        let trimmed = { (plane: UnsafeMutablePointer<Float>) in
            (0..<(self.rows * self.cols)).map { plane[$0 / self.cols * self.stride + $0 % self.cols] }
        }
        return (trimmed(dx), trimmed(dy))
    }

    /// The white noise behind the field of `noiseKey`: two noiseRows x noiseCols planes, uniform in (−1, 1).
    /// The field at (r, c) is α Σᵢ Σⱼ kernel[i] kernel[j] noise[r + i][c + j].
    func noise(noiseKey: UInt64) -> (dx: [Float], dy: [Float]) {
        let plane = noiseRows * noiseCols
        var both = [Float](repeating: 0, count: 2 * plane)
        both.withUnsafeMutableBufferPointer { uniformNoise(key: SplitMix.mix64(noiseKey), pairs: plane, into: $0.baseAddress!) }
        return (Array(both[..<plane]), Array(both[plane...]))
    }
}

/// exp(−d² / 2σ²) for d in −radius...radius, normalised to sum 1 (computed in Double).
func gaussianKernel(sigma: Float, radius: Int) -> [Float] {
    let twoVariance = 2 * Double(sigma) * Double(sigma)
    let weights = (-radius...radius).map { exp(-Double($0 * $0) / twoVariance) }
    let sum = weights.reduce(0, +)
    return weights.map { Float($0 / sum) }
}

/// out is (2 · pairs): numbers uniform in (−1, 1), two from each of the first `pairs` numbers of
/// the SplitMix64 stream `key`.
@inline(__always)
func uniformNoise(key: UInt64, pairs: Int, into out: UnsafeMutablePointer<Float>) {
    for m in 0..<pairs {
        let (a, b) = SplitMix.signedUnitPair(SplitMix.number(m, of: key))
        out[2 * m] = a
        out[2 * m + 1] = b
    }
}

/// The vector width of the augmentation kernels: 8 lanes suit AVX2 and still split well on SSE2.
typealias Lanes = SIMD8<Float>

@inline(__always)
private func load(_ p: UnsafePointer<Float>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always)
private func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
}

/// noise is (rows + 2r, stride + 2r), kernel is (2r + 1) and symmetric, out is (rows, stride),
/// scratch is (rows + 2r, stride); stride is a multiple of 8.
///
/// out[y][x] = gain · Σᵢ kernel[i] Σⱼ kernel[j] noise[y + i][x + j]: a separable 2-D convolution
/// over the noise with no padding, across the rows into scratch, then down the columns. The kernel
/// is symmetric, so taps j and 2r − j share one multiply; four 8-lane accumulators at a time, so
/// the adds of one output do not wait on each other's latency.
func smoothValid(_ noise: UnsafePointer<Float>, rows: Int, stride: Int, kernel: UnsafeBufferPointer<Float>,
                 gain: Float, out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
    let taps = kernel.count, r = taps / 2, noiseRows = rows + taps - 1, noiseCols = stride + taps - 1
    let k = kernel.baseAddress!
    // Across: scratch[y][x] = Σⱼ k[j] noise[y][x + j].
    convolve(noise, rowStep: noiseCols, tapStep: 1, rows: noiseRows, stride: stride, k, r, gain: 1, out: scratch)
    // Down: out[y][x] = gain · Σᵢ k[i] scratch[y + i][x].
    convolve(scratch, rowStep: stride, tapStep: stride, rows: rows, stride: stride, k, r, gain: gain, out: out)
}

/// out[y][x] = gain · Σⱼ k[j] source[y · rowStep + x + j · tapStep] for y in 0..<rows, x in
/// 0..<stride (a multiple of 8); k has 2r + 1 taps, k[j] == k[2r − j].
@inline(__always)
private func convolve(_ source: UnsafePointer<Float>, rowStep: Int, tapStep: Int, rows: Int, stride: Int,
                      _ k: UnsafePointer<Float>, _ r: Int, gain: Float, out: UnsafeMutablePointer<Float>) {
    let g = Lanes(repeating: gain)
    for y in 0..<rows {
        let row = source + y &* rowStep, target = out + y &* stride
        var x = 0
        while x + 32 <= stride {
            let centre = Lanes(repeating: k[r]), mid = row + x + r &* tapStep
            var a0 = centre * load(mid), a1 = centre * load(mid + 8)
            var a2 = centre * load(mid + 16), a3 = centre * load(mid + 24)
            for j in 0..<r {
                let w = Lanes(repeating: k[j]), near = row + x + j &* tapStep, opposite = row + x + (2 &* r &- j) &* tapStep
                a0 += w * (load(near) + load(opposite))
                a1 += w * (load(near + 8) + load(opposite + 8))
                a2 += w * (load(near + 16) + load(opposite + 16))
                a3 += w * (load(near + 24) + load(opposite + 24))
            }
            store(g * a0, target + x); store(g * a1, target + x + 8)
            store(g * a2, target + x + 16); store(g * a3, target + x + 24)
            x += 32
        }
        while x < stride {
            let mid = row + x + r &* tapStep
            var a = Lanes(repeating: k[r]) * load(mid)
            for j in 0..<r {
                let near = row + x + j &* tapStep, opposite = row + x + (2 &* r &- j) &* tapStep
                a += Lanes(repeating: k[j]) * (load(near) + load(opposite))
            }
            store(g * a, target + x)
            x += 8
        }
    }
}
