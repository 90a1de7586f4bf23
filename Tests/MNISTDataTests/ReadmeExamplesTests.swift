import Foundation
@testable import MNISTData
import Testing
import TestSupport

/// The pictures README's "How predict sees a picture" shows, made from MNIST test digits: each must be
/// found as its one digit (two for "42"), close to the original. With MNIST_EXAMPLES=DIR they are
/// also written to DIR (made if it does not exist), to try `mnist-cli predict --show` on them:
///
///     MNIST_EXAMPLES=/tmp/examples swift test --filter ReadmeExamples
@Suite(.enabled(if: TestData.mnist.isPresent, "MNIST is missing (run `make data`)"))
struct ReadmeExamplesTests {
    @Test func theExamplePicturesShowTheirDigits() throws {
        let images = try readIDX(path: TestData.mnist.directory + "/t10k-images-idx3-ubyte.gz").payload
        func digit(_ i: Int) -> [UInt8] { Array(images[(i * 784)..<((i + 1) * 784)]) }
        // Test digits 97 (a 7), 18 (a 3), 4 and 1 (a 4 and a 2), 23 (a 5), 61 (an 8).
        let examples: [(name: String, bytes: [UInt8], digits: [Int])] = [
            ("sheet-on-desk.png", renderSituation(.sheetOnDesk, digit: digit(97), index: 97), [97]),
            ("screenshot.png", renderSituation(.screenshot, digit: digit(18), index: 18), [18]),
            ("42.png", renderDigitRow([digit(4), digit(1)]), [4, 1]),
            ("phone-photo.jpg", try phonePhoto(ofPNG: renderSituation(.tiltedSheetOnDesk, digit: digit(61), index: 61), quality: 85), [61]),
            ("ruled-paper.png", renderSituation(.ruledPaper, digit: digit(23), index: 23), [23]),
        ]
        let directory = ProcessInfo.processInfo.environment["MNIST_EXAMPLES"]
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        for example in examples {
            let reading = try readDigits(in: decodeGreyAlphaPicture(example.bytes, minimumPixels: maxDigitWorkingPixels))
            #expect(reading.digits.count == example.digits.count, "\(example.name)")
            for (found, index) in zip(reading.digits, example.digits) {
                #expect(correlation(found.pixels, digit(index)) > 0.8, "\(example.name)")
                #expect(found.shape == .digit)
            }
            if let directory {
                try Data(example.bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(example.name))
            }
        }
    }
}
