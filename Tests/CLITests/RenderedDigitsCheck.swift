import Foundation
import MLPCore
import MNISTData
import Testing
import TestSupport

/// Issue 4's acceptance check, in process (100,000 PNGs through a subprocess would dominate the
/// suite's time): every test digit is rendered as each `DigitVariant`, decoded and brought into
/// MNIST form exactly as `predict` does (decodePNG → mnistDigit → the library's Classifier, which
/// predict uses), and the accuracy per variant must stay within 1 point of the accuracy on the
/// original 28x28 digits, and at least 97%.
struct RenderedDigitsCheck {
    let modelPath: String
    let imagesPath: String
    let labelsPath: String

    func run() throws {
        let checkpoint = try Checkpoint(decoding: readFile(modelPath))
        let images = try readIDX(path: imagesPath).payload
        let labels = try readIDX(path: labelsPath).payload
        let count = labels.count
        let digits = (0..<count).map { Array(images[($0 * 784)..<(($0 + 1) * 784)]) }
        func accuracy(_ toPixels: @Sendable (Int) throws -> [UInt8]) throws -> Double {
            // Two halves on two threads; each has its own Classifier (its buffers are not shared).
            let halves = [0..<(count / 2), (count / 2)..<count]
            nonisolated(unsafe) var correct = [0, 0]
            nonisolated(unsafe) var failure: (any Error)?
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let classifier = Classifier(checkpoint)
                var hits = 0
                do {
                    for i in halves[part] where classifier.classify(try toPixels(i)) == Int(labels[i]) { hits += 1 }
                } catch {
                    failure = error
                }
                correct[part] = hits
            }
            if let failure { throw failure }
            return Double(correct[0] + correct[1]) / Double(count)
        }

        let original = try accuracy { digits[$0] }
        var report = ["original 28x28: \(original)"]
        for variant in DigitVariant.allCases {
            let rendered = try accuracy { try mnistDigit(from: decodePNG(renderVariant(variant, digit: digits[$0]))) }
            report.append("\(variant.rawValue): \(rendered)")
            #expect(rendered >= original - 0.01, "\(variant.rawValue): \(rendered) vs \(original) on the originals")
            #expect(rendered >= 0.97, "\(variant.rawValue): \(rendered)")
        }
        FileHandle.standardError.write(Data("predict accuracy on \(count) rendered test digits: \(report.joined(separator: ", "))\n".utf8))
    }
}
