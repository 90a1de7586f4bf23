import Foundation
@testable import MNISTData
import Testing
import TestSupport

/// `count` 28x28 pictures with pixels derived from the index, labels n % 10; image `duplicate.of`
/// is stored again at `duplicate.at`.
private func pictures(count: Int, rows: Int = 28, cols: Int = 28, duplicate: (of: Int, at: Int)? = nil) -> LabeledImages {
    var pixels = Fixtures.pixels(count: count, pixels: rows * cols)
    if let duplicate {
        let size = rows * cols
        pixels.replaceSubrange((duplicate.at * size)..<((duplicate.at + 1) * size),
                               with: pixels[(duplicate.of * size)..<((duplicate.of + 1) * size)])
    }
    return LabeledImages(images: pixels, labels: (0..<count).map { UInt8($0 % 10) }, rows: rows, cols: cols, classCount: 10)
}

/// A normalisation with a different shift and scale per pixel.
private func unevenNormalisation(features: Int) -> Normalisation {
    Normalisation(shift: (0..<features).map { Float($0 % 13) * 9.25 }, scale: (0..<features).map { 1 / Float(3 + $0 % 7) })
}

/// x and labels from `fill(indices, epoch)` in one call.
private func filled(_ fill: (UnsafeBufferPointer<Int32>, Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Int32>) -> Void,
                    _ indices: [Int32], epoch: Int, features: Int) -> (x: [UInt32], labels: [Int32]) {
    var x = [Float](repeating: .nan, count: indices.count * features)
    var labels = [Int32](repeating: -1, count: indices.count)
    indices.withUnsafeBufferPointer { i in
        x.withUnsafeMutableBufferPointer { xb in
            labels.withUnsafeMutableBufferPointer { fill(i, epoch, xb.baseAddress!, $0.baseAddress!) }
        }
    }
    return (x.map(\.bitPattern), labels)
}

/// The samples (rows of `features` values) in which a and b differ: short failure messages.
private func differingSamples(_ a: [UInt32], _ b: [UInt32], features: Int) -> [Int] {
    guard a.count == b.count else { return [-1] }
    return (0..<(a.count / features)).filter { a[($0 * features)..<(($0 + 1) * features)] != b[($0 * features)..<(($0 + 1) * features)] }
}

private func augmentedFill(_ source: AugmentedImages, _ indices: [Int32], epoch: Int) -> (x: [UInt32], labels: [Int32]) {
    filled({ source.fill($0, epoch: $1, x: $2, labels: $3) }, indices, epoch: epoch, features: source.features)
}

@Suite struct AugmentationTests {
    // MARK: - Settings

    @Test func recipesValidateAndOnlyNoneIsTheIdentity() throws {
        try AugmentationSettings.none.validate()
        try AugmentationSettings.simard.validate()
        #expect(AugmentationSettings.none.isIdentity)
        #expect(!AugmentationSettings.simard.isIdentity)
        #expect(AugmentationSettings(elasticSigma: 5, seed: 9).isIdentity, "σ without α distorts nothing")
        #expect(AugmentationSettings.simard.seeded(7).seed == 7)
    }

    @Test func outOfRangeSettingsThrow() {
        func failure(_ settings: AugmentationSettings) -> String? {
            do {
                try settings.validate()
                return nil
            } catch {
                if case .outOfRange(let setting, _, _) = error { return setting }
                return "\(error)"
            }
        }
        #expect(failure(AugmentationSettings(elasticAlpha: -1)) == "elastic alpha")
        #expect(failure(AugmentationSettings(elasticAlpha: 34, elasticSigma: 0)) == "elastic sigma")
        #expect(failure(AugmentationSettings(elasticAlpha: 34, elasticSigma: AugmentationSettings.maxSigma * 2)) == "elastic sigma")
        #expect(failure(AugmentationSettings(maxRotationDegrees: .nan)) == "rotation")
        #expect(failure(AugmentationSettings(maxScaleChange: 1)) == "scale change")
        #expect(failure(AugmentationSettings(maxShearDegrees: 90)) == "shear")
        #expect(failure(AugmentationSettings(maxTranslation: -0.5)) == "translation")
        #expect(failure(AugmentationSettings(maxTranslation: .infinity)) == "translation")
        let error = AugmentationError.outOfRange(setting: "shear", value: 90, expected: "below 90 degrees")
        #expect(error.description == "augmentation shear is 90.0; expected below 90 degrees")
    }

    @Test func rowsOfFeaturesAndHugePicturesAreRefused() {
        let flat = LabeledImages(images: [UInt8](repeating: 1, count: 3 * 784), labels: [0, 1, 2], rows: 1, cols: 784, classCount: 10)
        #expect(throws: AugmentationError.unsupportedSize(rows: 1, cols: 784)) {
            _ = try AugmentedImages(flat, .unitRange(features: 784), settings: .simard)
        }
        let wide = AugmentedImages.maxSide + 1
        let strip = LabeledImages(images: [UInt8](repeating: 1, count: 2 * wide), labels: [0], rows: 2, cols: wide, classCount: 10)
        #expect(throws: AugmentationError.unsupportedSize(rows: 2, cols: wide)) {
            _ = try AugmentedImages(strip, .unitRange(features: 2 * wide), settings: .none)
        }
        #expect(AugmentationError.unsupportedSize(rows: 1, cols: 784).description.contains("rank 3"))
    }

    /// Affine numbers are drawn before the elastic noise and always, so turning the field on or off
    /// leaves them alone; each is within its maximum.
    @Test func distortionsStayWithinTheirLimits() {
        let settings = AugmentationSettings.simard.seeded(3)
        var affineOnly = settings
        affineOnly.elasticAlpha = 0
        for index in 0..<500 {
            let d = settings.distortion(epoch: 2, index: index)
            #expect(d == affineOnly.distortion(epoch: 2, index: index))
            #expect(abs(d.warp.rotationDegrees) < settings.maxRotationDegrees)
            #expect(abs(d.warp.scale - 1) < settings.maxScaleChange * 1.0001)
            #expect(abs(d.warp.shearDegrees) < settings.maxShearDegrees)
            #expect(abs(d.warp.translationX) < settings.maxTranslation && abs(d.warp.translationY) < settings.maxTranslation)
        }
    }

    // MARK: - Zero strength

    /// With every strength zero the pipeline (pad, identity map, bilinear taps, normalise) gives
    /// exactly `NormalisedImages.fill`'s bits, for any seed, epoch and index order.
    @Test(arguments: [AugmentationSettings.none, .none.seeded(12345), AugmentationSettings(elasticSigma: 4, seed: 8)])
    func zeroStrengthIsTheIdentity(settings: AugmentationSettings) throws {
        for (rows, cols) in [(28, 28), (5, 11)] {
            let data = pictures(count: 23, rows: rows, cols: cols)
            let normalisation = unevenNormalisation(features: rows * cols)
            let plain = NormalisedImages(data, normalisation)
            let augmented = try AugmentedImages(data, normalisation, settings: settings)
            let orders: [[Int32]] = [Array(0..<23), Array((0..<23).reversed()), [7, 7, 0, 22, 3, 19, 3], [11]]
            for epoch in [0, 1, 2, 41] {
                for order in orders {
                    let expected = filled({ plain.fill($0, epoch: $1, x: $2, labels: $3) }, order, epoch: epoch, features: rows * cols)
                    let got = augmentedFill(augmented, order, epoch: epoch)
                    #expect(differingSamples(got.x, expected.x, features: rows * cols).isEmpty, "\(rows)x\(cols) epoch \(epoch), order \(order)")
                    #expect(got.labels == expected.labels)
                }
            }
        }
    }

    // MARK: - Determinism

    /// A sample's bits depend on (seed, epoch, index) only: one call, parts filled in any order,
    /// one sample at a time, two threads at once, or a second instance all agree.
    @Test func samplesAreTheSameHoweverABatchIsSplit() throws {
        let data = pictures(count: 40)
        let normalisation = unevenNormalisation(features: 784)
        let source = try AugmentedImages(data, normalisation, settings: .simard.seeded(5))
        let order: [Int32] = (0..<40).map { Int32(($0 * 17 + 3) % 40) }
        let whole = augmentedFill(source, order, epoch: 3)

        var parts = [UInt32](repeating: 0, count: whole.x.count)
        var partLabels = [Int32](repeating: -1, count: order.count)
        for range in [20..<40, 0..<7, 7..<20] {  // out of order
            let part = augmentedFill(source, Array(order[range]), epoch: 3)
            parts.replaceSubrange((range.lowerBound * 784)..<(range.upperBound * 784), with: part.x)
            partLabels.replaceSubrange(range, with: part.labels)
        }
        #expect(differingSamples(parts, whole.x, features: 784).isEmpty)
        #expect(partLabels == whole.labels)

        for b in [0, 13, 39] {
            let single = augmentedFill(source, [order[b]], epoch: 3)
            #expect(differingSamples(single.x, Array(whole.x[(b * 784)..<((b + 1) * 784)]), features: 784).isEmpty, "sample \(order[b]) alone differs")
        }

        let again = try AugmentedImages(data, normalisation, settings: .simard.seeded(5))
        #expect(differingSamples(augmentedFill(again, order, epoch: 3).x, whole.x, features: 784).isEmpty)

        // Two threads filling halves of one buffer at the same time.
        var x = [Float](repeating: .nan, count: whole.x.count)
        var labels = [Int32](repeating: -1, count: order.count)
        order.withUnsafeBufferPointer { indices in
            x.withUnsafeMutableBufferPointer { xb in
                labels.withUnsafeMutableBufferPointer { lb in
                    nonisolated(unsafe) let indices = indices, x = xb.baseAddress!, labels = lb.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: 2) { lane in
                        let range = lane == 0 ? 0..<25 : 25..<40
                        source.fill(UnsafeBufferPointer(rebasing: indices[range]), epoch: 3,
                                    x: x + range.lowerBound * 784, labels: labels + range.lowerBound)
                    }
                }
            }
        }
        #expect(differingSamples(x.map(\.bitPattern), whole.x, features: 784).isEmpty)
        #expect(labels == whole.labels)
    }

    /// New distortions every epoch, for every index (even of the same picture), and per seed.
    @Test func epochsIndicesAndSeedsGiveDifferentSamples() throws {
        let data = pictures(count: 12, duplicate: (of: 3, at: 4))
        let normalisation = Normalisation.unitRange(features: 784)
        for settings in [AugmentationSettings.simard.seeded(1),
                         AugmentationSettings(elasticAlpha: 34, elasticSigma: 4, seed: 1),
                         AugmentationSettings(maxRotationDegrees: 10, seed: 1)] {
            let source = try AugmentedImages(data, normalisation, settings: settings)
            let order = Array(Int32(0)..<12)
            let epoch1 = augmentedFill(source, order, epoch: 1), epoch2 = augmentedFill(source, order, epoch: 2)
            for b in 0..<12 {
                let row = (b * 784)..<((b + 1) * 784)
                #expect(epoch1.x[row] != epoch2.x[row], "sample \(b) is the same in epochs 1 and 2 with \(settings)")
            }
            #expect(epoch1.x[(3 * 784)..<(4 * 784)] != epoch1.x[(4 * 784)..<(5 * 784)],
                    "one picture at two indices got the same distortion")
            let reseeded = try AugmentedImages(data, normalisation, settings: settings.seeded(2))
            #expect(augmentedFill(reseeded, order, epoch: 1).x != epoch1.x)
        }
    }

    @Test func distortedPictureIsWhatFillNormalises() throws {
        let data = pictures(count: 5)
        let normalisation = unevenNormalisation(features: 784)
        let source = try AugmentedImages(data, normalisation, settings: .simard.seeded(4))
        let filledRow = augmentedFill(source, [2], epoch: 6).x
        let picture = source.distortedPicture(index: 2, epoch: 6)
        let normalised = (0..<784).map { ((picture[$0] - normalisation.shift[$0]) * normalisation.scale[$0]).bitPattern }
        #expect(differingSamples(normalised, filledRow, features: 784).isEmpty)
        #expect(picture.allSatisfy { $0 >= 0 && $0 <= 255.001 }, "bilinear blends stay within the pixel range")
    }

    // MARK: - Real digits

    /// Distorted MNIST digits stay recognisable in measurable ways: the centre of mass moves
    /// about as far as the distortion's own size, and the ink stays close to the original amount.
    ///
    /// Affine alone (±2 px shifts, ±10% scale, ±10°, ±5° shear), each digit: shifts move the centre
    /// of mass at most 2√2 px; rotation, scale and shear about the image centre move it by a
    /// fraction of its distance from that centre (MNIST centres digits by mass, so < 1 px away):
    /// under 2√2 + 0.5 px. Ink scales with area, s² for scale s: within (1 ∓ 0.1)², with 3% for
    /// resampling and ink pushed past the edge.
    ///
    /// With the elastic field too (α 34, σ 4: 1.39 px per axis per pixel, correlated over ~8 px,
    /// about a digit's size), single digits can stretch or shrink a lot, so the bounds are on the
    /// population: the mean movement is at most what a field moving each digit as a whole would
    /// give (√(1.53² + 1.74²) ≈ 2.3 px: 1.53 is the mean length of a uniform ±2 px shift, 1.74 =
    /// 1.39·√(π/2) the mean length of a 2-D normal displacement), so under 2.5 px; the field
    /// preserves area on average, so mean ink is within 3% of 1; and 90% of digits keep 0.6–1.6 of
    /// their ink (none erased, none smeared into a blob).
    @Test(.enabled(if: TestData.mnist.isPresent, "MNIST is missing (run `make data`)"))
    func distortedDigitsStayRecognisable() throws {
        let test = try loadSplit(.test, from: TestData.mnist.directory, classCount: 10)
        let digits = test.selecting(Array(0..<300))
        func moments(_ pixel: (Int) -> Double) -> (ink: Double, x: Double, y: Double) {
            var ink = 0.0, x = 0.0, y = 0.0
            for i in 0..<784 {
                let v = pixel(i)
                ink += v; x += v * Double(i % 28); y += v * Double(i / 28)
            }
            return (ink, x / ink, y / ink)
        }
        /// Centre-of-mass movements and ink ratios over 3 epochs of the 300 digits, sorted.
        func measure(_ settings: AugmentationSettings) throws -> (moves: [Double], inks: [Double]) {
            let source = try AugmentedImages(digits, .unitRange(features: 784), settings: settings)
            var moves: [Double] = [], inks: [Double] = []
            for epoch in 1...3 {
                for n in 0..<digits.count {
                    let original = moments { Double(digits.images[n * 784 + $0]) }
                    let picture = source.distortedPicture(index: n, epoch: epoch)
                    let distorted = moments { Double(picture[$0]) }
                    let dx = distorted.x - original.x, dy = distorted.y - original.y
                    moves.append((dx * dx + dy * dy).squareRoot())
                    inks.append(distorted.ink / original.ink)
                }
            }
            return (moves.sorted(), inks.sorted())
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

        var affine = AugmentationSettings.simard.seeded(11)
        affine.elasticAlpha = 0
        let a = try measure(affine)
        #expect(a.moves.last! < 2 * 2.0.squareRoot() + 0.5, "affine: a centre of mass moved \(a.moves.last!) px")
        #expect(a.inks.first! > 0.81 * 0.97 && a.inks.last! < 1.21 * 1.03, "affine: ink ratios \(a.inks.first!)...\(a.inks.last!)")

        let full = try measure(.simard.seeded(11))
        let count = full.moves.count
        #expect(mean(full.moves) < 2.5, "centres of mass moved \(mean(full.moves)) px on average")
        #expect(mean(full.moves) > 0.5, "the digits hardly moved: is augmentation on?")
        #expect(abs(mean(full.inks) - 1) < 0.03, "mean ink ratio \(mean(full.inks))")
        let low = full.inks[count / 20], high = full.inks[count - 1 - count / 20]
        #expect(low > 0.6 && high < 1.6, "the middle 90% of ink ratios span \(low)...\(high)")
    }
}
