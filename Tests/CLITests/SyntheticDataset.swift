import Foundation
import TestSupport

/// A small learnable dataset in MNIST's files and names, so the CLI can be exercised end to end
/// without the real data: class k is a bright 6x6 square whose position depends on k, plus noise.
enum SyntheticDataset {
    static let side = 28

    /// Pixel (r, c) of sample i of class k: computed, so tests can recompute it.
    static func image(index i: Int, label k: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: side * side)
        let top = 3 + (k / 5) * 12 + (i % 3), left = 2 + (k % 5) * 5 + (i % 2)
        for r in 0..<side {
            for c in 0..<side {
                let noise = UInt8((r * 31 + c * 17 + i * 13) % 23)
                let inSquare = (top..<top + 6).contains(r) && (left..<left + 6).contains(c)
                pixels[r * side + c] = inSquare ? 255 - noise : noise
            }
        }
        return pixels
    }

    /// A fresh temporary directory (`CLI.temporaryDirectory()`) holding the dataset: the setup of
    /// every suite that trains on it.
    static func inTemporaryDirectory(trainCount: Int = 600, testCount: Int = 100) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        try write(to: dir, trainCount: trainCount, testCount: testCount)
        return dir
    }

    /// Writes train (`trainCount` samples) and test (`testCount`) files into `dir`, uncompressed;
    /// `relabel` may change a label (given whether the sample is a training one, its index and label).
    static func write(to dir: URL, trainCount: Int = 600, testCount: Int = 100, classes: Int = 10,
                      relabel: (_ training: Bool, _ index: Int, _ label: Int) -> Int = { $2 }) throws {
        for (prefix, count, offset) in [("train", trainCount, 0), ("t10k", testCount, 100_000)] {
            var images = [UInt8](), labels = [UInt8]()
            for i in 0..<count {
                let label = relabel(offset == 0, i, (i * 7 + offset) % classes)
                labels.append(UInt8(label))
                images += image(index: i + offset, label: label)
            }
            try Data(Fixtures.idx(typeCode: 0x08, dims: [count, side, side], payload: images))
                .write(to: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try Data(Fixtures.idx(typeCode: 0x08, dims: [count], payload: labels))
                .write(to: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
    }
}
