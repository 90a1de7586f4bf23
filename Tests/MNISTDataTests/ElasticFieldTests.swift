import Foundation
@testable import MNISTData
import Testing

@Suite struct ElasticFieldTests {
    /// The separable fast path against the 2-D sum written out, in Double, on the field's own noise.
    /// Sizes cover the 4-vector path (cols 28 → 32 lanes), the 1-vector tail (19 → 24) and both (40).
    @Test(arguments: [(28, 28, Float(4)), (5, 19, Float(2.5)), (9, 40, Float(1)), (3, 1, Float(6))])
    func smoothingMatchesTheTwoDimensionalSum(rows: Int, cols: Int, sigma: Float) {
        let alpha: Float = 34
        let field = ElasticField(rows: rows, cols: cols, alpha: alpha, sigma: sigma)
        let k = field.kernel.map(Double.init), taps = k.count
        #expect(taps == 2 * Int((3 * sigma).rounded(.up)) + 1)
        #expect(abs(k.reduce(0, +) - 1) < 1e-6)
        let key: UInt64 = 0xDEC0DE
        let noise = field.noise(noiseKey: key)
        let (dx, dy) = field.displacements(noiseKey: key)
        #expect(noise.dx.allSatisfy { $0 > -1 && $0 < 1 } && noise.dy.allSatisfy { $0 > -1 && $0 < 1 })
        var worst = 0.0
        for (plane, out) in [(noise.dx, dx), (noise.dy, dy)] {
            for r in 0..<rows {
                for c in 0..<cols {
                    var sum = 0.0
                    for i in 0..<taps {
                        for j in 0..<taps { sum += k[i] * k[j] * Double(plane[(r + i) * field.noiseCols + c + j]) }
                    }
                    worst = max(worst, abs(Double(alpha) * sum - Double(out[r * cols + c])))
                }
            }
        }
        // Float sums of a few hundred terms of size ~α·k² against a Double sum: errors ~1e-6 · α.
        #expect(worst < 1e-4, "worst difference \(worst)")
        #expect(dx != dy, "the two planes must come from different noise")
    }

    /// Over many draws the field's standard deviation is α·Σk²/√3 (uniform noise on [−1, 1] has
    /// variance 1/3, and a 2-D separable kernel's squares sum to (Σk²)²), and its autocorrelation
    /// at lag d, along either axis, is Σᵢ kᵢkᵢ₊d / Σk², which for lag σ is close to the continuous
    /// exp(−d²/4σ²) = exp(−1/4). Changing α or σ moves both as predicted.
    ///
    /// Tolerances: smoothed noise is correlated over an area of about 4πσ² px², so a 28x28 plane
    /// holds 784 / 4πσ² independent values (~1.7 for σ 6); 2 planes x 1500 draws give at least
    /// ~5000, so the estimated standard deviation is within ~1% (one standard error) and the
    /// correlation within ~0.006. 4% and 0.03 are four to five standard errors, while a wrong σ
    /// (say the kernel's radius for σ) or α² for α misses by far more.
    @Test(arguments: [(Float(34), Float(4)), (Float(36), Float(6)), (Float(10), Float(2))])
    func fieldStatisticsMatchAlphaAndSigma(alpha: Float, sigma: Float) {
        let rows = 28, cols = 28, lag = Int(sigma), draws = 1500
        let field = ElasticField(rows: rows, cols: cols, alpha: alpha, sigma: sigma)
        let k = field.kernel.map(Double.init), r = field.radius
        let squares = k.reduce(0) { $0 + $1 * $1 }
        let predictedStd = Double(alpha) * squares / 3.0.squareRoot()
        let predictedCorrelation = (0..<(k.count - lag)).reduce(0.0) { $0 + k[$1] * k[$1 + lag] } / squares
        // The truncated, discrete kernel is close to the continuous one it stands for.
        #expect(abs(predictedCorrelation - exp(-0.25)) < 0.01, "kernel correlation at lag σ: \(predictedCorrelation)")
        #expect(abs(predictedStd / (Double(alpha) / (2 * Double(sigma) * (3 * Double.pi).squareRoot())) - 1) < 0.02)
        #expect(r == Int((3 * sigma).rounded(.up)))

        var sumSquares = 0.0, count = 0, lagProducts = 0.0, lagCount = 0
        for draw in 0..<draws {
            let (dx, dy) = field.displacements(noiseKey: UInt64(draw))
            for plane in [dx, dy] {
                for y in 0..<rows {
                    for x in 0..<cols {
                        let v = Double(plane[y * cols + x])
                        sumSquares += v * v
                        count += 1
                        if x + lag < cols { lagProducts += v * Double(plane[y * cols + x + lag]); lagCount += 1 }
                        if y + lag < rows { lagProducts += v * Double(plane[(y + lag) * cols + x]); lagCount += 1 }
                    }
                }
            }
        }
        // The field's mean is 0 by symmetry, so moments about 0 are the variance and covariance.
        let variance = sumSquares / Double(count)
        let std = variance.squareRoot(), correlation = lagProducts / Double(lagCount) / variance
        #expect(abs(std / predictedStd - 1) < 0.04, "std \(std), predicted \(predictedStd) for α \(alpha) σ \(sigma)")
        #expect(abs(correlation - predictedCorrelation) < 0.03,
                "autocorrelation at lag \(lag): \(correlation), predicted \(predictedCorrelation) for σ \(sigma)")
    }

    /// No border rule: a pixel on the edge is displaced as much as one in the middle.
    @Test func borderPixelsAreDisplacedLikeInnerOnes() {
        let rows = 28, cols = 28, draws = 1500
        let field = ElasticField(rows: rows, cols: cols, alpha: 34, sigma: 4)
        var corner = 0.0, middle = 0.0
        for draw in 0..<draws {
            let (dx, dy) = field.displacements(noiseKey: UInt64(draw) &+ 777)
            corner += Double(dx[0] * dx[0] + dy[0] * dy[0])
            let m = 14 * cols + 14
            middle += Double(dx[m] * dx[m] + dy[m] * dy[m])
        }
        // 3000 values each: the variance estimates are within ~3% (one standard error); zero
        // padding would make the corner's a quarter of the middle's.
        #expect(abs(corner / middle - 1) < 0.15, "corner variance / middle variance = \(corner / middle)")
    }

    /// The same key gives the same bits; keys a SplitMix64 step apart (γ) do not give the same
    /// noise shifted by one, as raw stream starting points would.
    @Test func sameKeySameFieldOtherKeyUnrelatedField() {
        let field = ElasticField(rows: 28, cols: 28, alpha: 34, sigma: 4)
        let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15
        let a = field.noise(noiseKey: 1), b = field.noise(noiseKey: 1), c = field.noise(noiseKey: 1 &+ gamma)
        #expect(a.dx.map(\.bitPattern) == b.dx.map(\.bitPattern) && a.dy.map(\.bitPattern) == b.dy.map(\.bitPattern))
        let aValues = Set(a.dx.map(\.bitPattern)), shared = c.dx.filter { aValues.contains($0.bitPattern) }.count
        // Unrelated 24-bit values: a few coincidences among ~3000, not thousands.
        #expect(shared < 20, "\(shared) of \(c.dx.count) noise values of key 1 + γ also occur for key 1")
        #expect(field.displacements(noiseKey: 1).dx == field.displacements(noiseKey: 1).dx)
        #expect(field.displacements(noiseKey: 1).dx != field.displacements(noiseKey: 2).dx)
    }
}
