import Testing
import TestSupport
@testable import MNISTData  // fillBatchReference, the scalar twin

@Suite struct BatchesTests {
    /// Awkward widths exercise both the 16-wide path and the scalar tail.
    @Test(arguments: [1, 7, 16, 17, 33, 784])
    func fillBatchNormalisesTheChosenImages(features: Int) {
        let count = 11
        let data = LabeledImages(images: Fixtures.pixels(count: count, pixels: features),
                                 labels: (0..<count).map { UInt8($0 * 7 % 10) }, rows: 1, cols: features, classCount: 10)
        let normalisation = Normalisation(shift: (0..<features).map { Float($0 % 9) * 3.5 },
                                          scale: (0..<features).map { 1 / Float(1 + $0 % 5) })
        let indices: [Int32] = [10, 3, 3, 0, 7]
        var x = [Float](repeating: .nan, count: indices.count * features)
        var labels = [Int32](repeating: -1, count: indices.count)
        var xReference = x, labelsReference = labels
        indices.withUnsafeBufferPointer { idx in
            fillBatch(from: data, indices: idx, normalisation: normalisation, x: &x, labels: &labels)
            fillBatchReference(from: data, indices: idx, normalisation: normalisation, x: &xReference, labels: &labelsReference)
        }
        var wrong: [String] = []
        for (b, n) in indices.map(Int.init).enumerated() {
            #expect(labels[b] == Int32(n * 7 % 10))
            for i in 0..<features {
                let raw = Float(data.images[n * features + i])
                let expected = (raw - Float(i % 9) * 3.5) * (1 / Float(1 + i % 5))
                if x[b * features + i] != expected { wrong.append("row \(b) pixel \(i): \(x[b * features + i]) != \(expected)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong values, first: \(wrong.prefix(3))")
        #expect(zip(x, xReference).filter { $0 != $1 }.count == 0, "fillBatch and fillBatchReference differ")
        #expect(labels == labelsReference)
    }

    /// What `predict` feeds the network for one picture is what training fed it for the same
    /// pixels, bit for bit, for the unit range and a fitted standardisation alike.
    @Test(arguments: [1, 7, 17, 784], [false, true])
    func oneImageIsNormalisedAsInATrainingBatch(features: Int, standardised: Bool) {
        let count = 6
        let data = LabeledImages(images: Fixtures.pixels(count: count, pixels: features),
                                 labels: [UInt8](repeating: 0, count: count), rows: 1, cols: features, classCount: 10)
        let normalisation = standardised ? Normalisation.standardised(fitTo: data) : .unitRange(features: features)
        for n in 0..<count {
            var x = [Float](repeating: .nan, count: features), label: [Int32] = [-1]
            [Int32(n)].withUnsafeBufferPointer { fillBatch(from: data, indices: $0, normalisation: normalisation, x: &x, labels: &label) }
            let image = Array(data.images[(n * features)..<((n + 1) * features)])
            #expect(normalisation.apply(to: image).map(\.bitPattern) == x.map(\.bitPattern), "image \(n)")
        }
    }
}
