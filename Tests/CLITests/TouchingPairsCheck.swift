import Foundation
@testable import MLPCore
@testable import MNISTData
import Testing
import TestSupport

/// `predict --each` on pairs of test digits whose ink touches, in process: each pair is rendered
/// touching (`renderTouchingPair`) and apart (`renderDigitRow`, a third of a digit between them),
/// read as predict reads it (readDigits, then touchingDigitsApart with the model's top
/// probability), and counts when exactly two marks come back and both are the right digits.
/// The aim is touching pairs right 90% as often as the same pairs apart; cutting at every other
/// column of the mark's middle, pieces as tall as digits side by side, reaches about 0.64 of it, and
/// the check holds 0.6 (read whole, none come out right; at the thinnest columns only, about half).
struct TouchingPairsCheck {
    let modelPath: String
    let imagesPath: String
    let labelsPath: String
    /// How many pairs: test digits (7k + first, 7k + first + 1) for k = 0, 1, ...
    var pairs = 300
    var first = 0

    func run() throws {
        let classifier = Classifier(trained: try Checkpoint(decoding: readFile(modelPath)))
        let images = try readIDX(path: imagesPath).payload
        let labels = try readIDX(path: labelsPath).payload
        func digit(_ i: Int) -> [UInt8] { Array(images[(i * 784)..<((i + 1) * 784)]) }
        func bothRight(_ png: [UInt8], _ expected: [Int]) throws -> Bool {
            let reading = touchingDigitsApart(try readDigits(in: decodeGreyAlphaPNG(png))) { classifier.probabilities($0).max() ?? 0 }
            return reading.digits.map { classifier.classify($0.pixels) } == expected
        }
        var apart = 0, touching = 0
        for k in 0..<pairs {
            let i = 7 * k + first, j = i + 1, expected = [Int(labels[i]), Int(labels[j])]
            if try bothRight(renderDigitRow([digit(i), digit(j)], gap: 0.3), expected) { apart += 1 }
            if try bothRight(renderTouchingPair(digit(i), digit(j), overlap: 1 + k % 3), expected) { touching += 1 }
        }
        let apartRate = Double(apart) / Double(pairs), touchingRate = Double(touching) / Double(pairs)
        FileHandle.standardError.write(Data("predict --each on \(pairs) pairs of test digits: both right \(apartRate) apart, \(touchingRate) touching\n".utf8))
        #expect(apartRate >= 0.85, "pairs apart: \(apartRate)")
        #expect(touchingRate >= 0.6 * apartRate, "touching \(touchingRate) vs apart \(apartRate)")
    }
}
