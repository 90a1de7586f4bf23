import Foundation
import MLPCore
import MNISTData
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
        let pictures = items.map { Array(images[($0 * 784)..<(($0 + 1) * 784)]) }
        /// The share of the items whose pixels the model classifies as their label.
        func accuracy(_ toPixels: @Sendable (Int) throws -> [UInt8]?) throws -> Double {
            // Two halves on two threads; each has its own Classifier (its buffers are not shared).
            let halves = [0..<(items.count / 2), (items.count / 2)..<items.count]
            nonisolated(unsafe) var correct = [0, 0]
            nonisolated(unsafe) var failure: (any Error)?
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let classifier = Classifier(checkpoint)
                var hits = 0
                do {
                    for k in halves[part] {
                        if let pixels = try toPixels(k), classifier.classify(pixels) == Int(labels[items[k]]) { hits += 1 }
                    }
                } catch {
                    failure = error
                }
                correct[part] = hits
            }
            if let failure { throw failure }
            return Double(correct[0] + correct[1]) / Double(items.count)
        }
        let idx = try accuracy { pictures[$0] }
        let png = try accuracy { k in
            let png = try encodeGreyPNG(width: 28, height: 28, grey: pictures[k].map { 255 - $0 })
            // A picture predict finds no ink in is an answer it cannot give: wrong, like any other.
            do { return try modelInput(from: decodeGreyAlphaPNG(png), form: form) } catch is DigitFormError { return nil }
        }
        return (idx, png)
    }
}
