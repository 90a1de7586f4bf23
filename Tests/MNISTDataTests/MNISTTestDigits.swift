import Foundation
@testable import MNISTData

private let repoRoot = String(#filePath.split(separator: "/", omittingEmptySubsequences: false)
    .dropLast(3).joined(separator: "/"))
private let testImagesPath = repoRoot + "/data/mnist/t10k-images-idx3-ubyte.gz"

/// The first `count` MNIST test digits (28x28 bytes each), parsed here with a minimal IDX read
/// so these suites do not depend on the IDX reader; nil (said loudly on stderr) without the data.
func mnistTestDigits(_ count: Int) -> [[UInt8]]? {
    guard let gz = try? readFile(testImagesPath),
          let stream = try? InflateStream(gz),
          let bytes = try? stream.read(exactly: 16 + count * 784),
          readUInt32(bytes, at: 0) == 0x0803, readUInt32(bytes, at: 8) == 28 else {
        FileHandle.standardError.write(Data("SKIPPED DigitForm tests on real digits: \(testImagesPath) is missing or unreadable (run `make data`)\n".utf8))
        return nil
    }
    return (0..<count).map { Array(bytes[(16 + $0 * 784)..<(16 + ($0 + 1) * 784)]) }
}

let realDigitsAvailable = mnistTestDigits(1) != nil

/// Centre of mass (x, y) of a side x side byte image.
func centreOfMass(_ image: [UInt8], side: Int = 28) -> (x: Double, y: Double) {
    var m = 0.0, sx = 0.0, sy = 0.0
    for (i, v) in image.enumerated() {
        m += Double(v); sx += Double(v) * Double(i % side); sy += Double(v) * Double(i / side)
    }
    return (sx / m, sy / m)
}

/// An opaque 8-bit picture from grey levels.
func picture(grey: [UInt8], width: Int) -> GreyAlphaImage {
    GreyAlphaImage(width: width, height: grey.count / width, grey: grey.map { UInt16($0) * 257 },
                   alpha: [UInt16](repeating: 65535, count: grey.count), bitDepth: 8)
}

/// An opaque RGBA image from grey levels.
func rgba(fromGrey grey: [UInt8], width: Int) -> RGBAImage {
    RGBAImage(width: width, height: grey.count / width, pixels: grey.flatMap { [$0, $0, $0, 255] })
}

func greyImage(_ width: Int, _ height: Int, _ value: (Int, Int) -> Float) -> GreyImage {
    GreyImage(width: width, height: height, values: (0..<(width * height)).map { value($0 % width, $0 / width) })
}
