@testable import MNISTData
import Testing
import TestSupport

@Suite struct NormalisationTests {
    @Test func unitRangeMapsPixelsToZeroOne() {
        let n = Normalisation.unitRange(features: 5)
        #expect(n.shift == [0, 0, 0, 0, 0])
        #expect(n.scale == [Float](repeating: 1 / 255, count: 5))
        #expect((255 - n.shift[0]) * n.scale[0] == 1)
    }

    /// 9 images of 3x5: pixel 0 is constant (std 0), pixel 1 alternates 100/101 (std ~0.5), the
    /// rest vary widely. Checked against a two-pass Double mean and standard deviation.
    @Test func standardisedMatchesADoubleReference() {
        let count = 9, features = 15
        var images = Fixtures.pixels(count: count, pixels: features)
        for i in 0..<count {
            images[i * features] = 9
            images[i * features + 1] = UInt8(100 + i % 2)
        }
        let data = LabeledImages(images: images, labels: (0..<count).map { UInt8($0 % 3) }, rows: 3, cols: 5, classCount: 3)
        let fitted = Normalisation.standardised(fitTo: data)

        for p in 0..<features {
            let column = (0..<count).map { Double(images[$0 * features + p]) }
            let mean = column.reduce(0, +) / Double(count)
            let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count)).squareRoot()
            #expect(abs(Double(fitted.shift[p]) - mean) <= 1e-5 * max(mean, 1), "shift of pixel \(p)")
            #expect(abs(Double(fitted.scale[p]) - 1 / max(std, 1)) <= 1e-6, "scale of pixel \(p)")
        }
        #expect(fitted.shift[0] == 9 && fitted.scale[0] == 1)      // constant: not blown up
        #expect(fitted.shift[1] == 100.444443 && fitted.scale[1] == 1)  // tiny spread: floored at 1
        #expect(fitted.scale[2...].allSatisfy { $0 < 0.1 })           // the rest really are scaled
    }

    /// After standardising, each widely varying pixel has mean ~0 and standard deviation ~1.
    @Test func standardisedDataHasZeroMeanUnitSpread() {
        let count = 50, features = 7
        let data = LabeledImages(images: Fixtures.pixels(count: count, pixels: features),
                                 labels: [UInt8](repeating: 1, count: count), rows: 1, cols: features, classCount: 2)
        let n = Normalisation.standardised(fitTo: data)
        for p in 0..<features {
            let xs = (0..<count).map { (Double(data.images[$0 * features + p]) - Double(n.shift[p])) * Double(n.scale[p]) }
            let mean = xs.reduce(0, +) / Double(count)
            let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count)
            #expect(abs(mean) < 1e-4)
            #expect(abs(variance - 1) < 1e-4)
        }
    }
}
