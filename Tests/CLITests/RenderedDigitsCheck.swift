import Foundation
import MLPCore
@testable import MNISTData
import Testing
import TestSupport

/// Acceptance checks for reading digits out of pictures, in process (tens of thousands of PNGs
/// through a subprocess would dominate the suite's time). Digits are rendered, decoded and brought
/// into MNIST form exactly as `predict` does (decodeGreyAlphaPNG → readDigits → the library's
/// Classifier, which predict uses), then classified:
/// - every test digit as each `DigitVariant`: accuracy within 1 point of the original 28x28
///   digits' (eval's view), and at least 97%;
/// - every 20th test digit (500) in each `DigitSituation`: accuracy within 2 points of the same
///   digits drawn cleanly, as plain 28x28 grey PNGs through the same pipeline;
/// - the same pictures saved as JPEGs (quality 50...95): accuracy within 1 point of the PNGs.
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
        func accuracy(_ indices: [Int], _ toPixels: @Sendable (Int) throws -> [UInt8]?) throws -> Double {
            try shareClassifiedRight(indices, by: checkpoint, labels: labels, pixels: toPixels)
        }
        /// What `predict` makes of a PNG.
        @Sendable func predictView(_ png: [UInt8]) throws -> [UInt8] { try readDigits(in: decodeGreyAlphaPNG(png)).pixels }

        let all = Array(0..<count)
        let original = try accuracy(all) { digits[$0] }
        var report = ["original 28x28: \(original)"]
        for variant in DigitVariant.allCases {
            let rendered = try accuracy(all) { try predictView(renderVariant(variant, digit: digits[$0])) }
            report.append("\(variant.rawValue): \(rendered)")
            #expect(rendered >= original - 0.01, "\(variant.rawValue): \(rendered) vs \(original) on the originals")
            #expect(rendered >= 0.97, "\(variant.rawValue): \(rendered)")
        }
        FileHandle.standardError.write(Data("predict accuracy on \(count) rendered test digits: \(report.joined(separator: ", "))\n".utf8))

        let subset = stride(from: 0, to: count, by: 20).map { $0 }
        let clean = try accuracy(subset) { try predictView(encodeGreyPNG(width: 28, height: 28, grey: digits[$0])) }
        report = ["drawn cleanly: \(clean)"]
        var asPNG: [DigitSituation: Double] = [:]
        for situation in DigitSituation.allCases {
            let rendered = try accuracy(subset) { try predictView(renderSituation(situation, digit: digits[$0], index: $0)) }
            asPNG[situation] = rendered
            report.append("\(situation.rawValue): \(rendered)")
            #expect(rendered >= clean - 0.02, "\(situation.rawValue): \(rendered) vs \(clean) drawn cleanly")
        }
        FileHandle.standardError.write(Data("predict accuracy on \(subset.count) test digits in each situation: \(report.joined(separator: ", "))\n".utf8))

        // The same pictures saved as JPEGs (quality 50...95, cycling with the digit), read through
        // decodeGreyAlphaPicture as predict reads any picture: within 1 point of the PNGs. A picture
        // predict cannot read counts as a miss. Not the alpha-only ink: a JPEG has no alpha
        // channel, so that picture cannot be one.
        report = []
        for situation in DigitSituation.allCases where situation != .alphaOnlyInk {
            let rendered = try accuracy(subset) { i in
                let jpeg = try jpegOfPNG(renderSituation(situation, digit: digits[i], index: i), quality: 50 + (i / 20) % 46)
                return try? readDigits(in: decodeGreyAlphaPicture(jpeg, minimumPixels: maxDigitWorkingPixels)).pixels
            }
            let png = asPNG[situation] ?? 0
            report.append("\(situation.rawValue): \(rendered) (PNG \(png))")
            #expect(rendered >= png - 0.01, "\(situation.rawValue) as JPEG: \(rendered) vs \(png) as PNG")
        }
        FileHandle.standardError.write(Data("predict accuracy on the same pictures as JPEGs (q 50...95): \(report.joined(separator: ", "))\n".utf8))
    }
}
