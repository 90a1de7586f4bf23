import Foundation
import MLPCore
@testable import MNISTData
import Testing
import TestSupport

/// The not-a-digit warning's rule (`isUnsure`) in process, with the reference model: how often it
/// fires on MNIST's test digits (every 5th, drawn as plain PNGs and read as `predict` reads them)
/// and on hand-drawn letters and signs (`NotADigitGlyph`, 40 of each). It must fire on most glyphs
/// and on few digits.
struct NotADigitCheck {
    let modelPath: String
    let imagesPath: String

    func run() throws {
        let classifier = Classifier(trained: try Checkpoint(decoding: readFile(modelPath)))
        let images = try readIDX(path: imagesPath).payload
        func unsure(_ png: [UInt8]) throws -> Bool { isUnsure(classifier.probabilities(try readDigits(in: decodeGreyAlphaPNG(png)).pixels)) }
        let digits = stride(from: 0, to: images.count / 784, by: 5).map { Array(images[($0 * 784)..<(($0 + 1) * 784)]) }
        let digitRate = Double(try digits.filter { try unsure(encodeGreyPNG(width: 28, height: 28, grey: $0)) }.count) / Double(digits.count)
        var glyphs = 0, warned = 0
        for glyph in NotADigitGlyph.allCases {
            for i in 0..<40 {
                glyphs += 1
                if try unsure(renderGlyph(glyph, index: i)) { warned += 1 }
            }
        }
        let glyphRate = Double(warned) / Double(glyphs)
        FileHandle.standardError.write(Data("not-a-digit warning: on \(digitRate) of \(digits.count) test digits, \(glyphRate) of \(glyphs) letters and signs\n".utf8))
        #expect(glyphRate >= 0.5, "letters and signs warned: \(glyphRate)")
        #expect(digitRate <= 0.1, "test digits warned: \(digitRate)")
    }
}
