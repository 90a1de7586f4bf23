import Foundation
import MLPCore
@testable import MNISTData
import Testing
import TestSupport

/// A model's accuracy on test images as they are (what `predict --idx` and `eval` see) and on the
/// same images saved as 28x28 PNGs, dark on light as a picture would be (255 - pixel), read the way
/// `predict` reads a PNG in `form` (decodeGreyAlphaPNG → modelInput → the library's Classifier).
/// In process: thousands of PNGs through a subprocess each would dominate the suite's time.
struct InputFormCheck {
    let modelPath: String
    let imagesPath: String
    let labelsPath: String
    /// Every `stride`th test image.
    var stride = 1

    func accuracies(form: InputForm) throws -> (idx: Double, png: Double) {
        let checkpoint = try Checkpoint(decoding: readFile(modelPath))
        let images = try readIDX(path: imagesPath).payload
        let labels = try readIDX(path: labelsPath).payload
        let items = Swift.stride(from: 0, to: labels.count, by: stride).map { $0 }
        @Sendable func picture(_ i: Int) -> [UInt8] { Array(images[(i * 784)..<((i + 1) * 784)]) }
        func accuracy(_ toPixels: @Sendable (Int) throws -> [UInt8]?) throws -> Double {
            try shareClassifiedRight(items, by: checkpoint, labels: labels, pixels: toPixels)
        }
        let idx = try accuracy { picture($0) }
        let png = try accuracy { i in
            let png = try encodeGreyPNG(width: 28, height: 28, grey: picture(i).map { 255 - $0 })
            // A picture predict finds no ink in is an answer it cannot give: wrong, like any other.
            do { return try modelInput(from: decodeGreyAlphaPNG(png), form: form) } catch is DigitFormError { return nil }
        }
        return (idx, png)
    }
}
