import Foundation
@testable import MLPCore
import Testing
import TestSupport
@testable import MNISTData  // crc32(of:), to repair a rewritten PNG chunk

/// Every kind of broken or hostile input a user can hand the CLI, one row each: the file, the
/// command that reads it, and the words its error must hold. Every row must end with exit status 1
/// and exactly one stderr line, `error: <the file>: …`, never a crash or a backtrace.
/// Files are built in code: a small synthetic dataset (SyntheticDataset), one file of it spoiled per
/// row, and a model trained on it once for the eval and predict rows.
struct ErrorTableTests {
    @Test(arguments: errorTable)
    func badInputGivesOneErrorLineNamingTheFile(_ row: ErrorRow) throws {
        let workspace = try #require(ErrorWorkspace.shared, "could not build the dataset or train the model")
        let (arguments, file) = try row.setUp(workspace, workspace.root.appendingPathComponent(row.name))
        let result = try CLI.run(arguments, timeout: 120)
        #expect(result.status == 1, "exit status \(result.status); stderr: \(result.stderr)")
        #expect(result.stderrLines.count == 1, "expected one line, got: \(result.stderr)")
        let line = String(result.stderrLines.first ?? "")
        #expect(line.hasPrefix("error: "), "\(line)")
        #expect(line.contains(file), "the file \(file) is not named in: \(line)")
        for word in row.words { #expect(line.contains(word), "'\(word)' not in: \(line)") }
        for crash in ["Fatal error", "backtrace", "Stack dump", "Illegal instruction", "💣"] {
            #expect(!result.stderr.contains(crash), "\(result.stderr)")
        }
    }
}

/// One row: `setUp` writes its files into a fresh directory and returns the CLI arguments and the
/// path the error must name.
struct ErrorRow: Sendable, CustomTestStringConvertible {
    let name: String
    let words: [String]
    let setUp: @Sendable (ErrorWorkspace, URL) throws -> (arguments: [String], file: String)

    var testDescription: String { name }
}

private let trainImages = "train-images-idx3-ubyte", trainLabels = "train-labels-idx1-ubyte"
private let testImages = "t10k-images-idx3-ubyte", testLabels = "t10k-labels-idx1-ubyte"

let errorTable: [ErrorRow] = [
    // MARK: IDX data, through `train --data DIR`
    dataRow("empty file", words: ["empty file"], file: trainImages, []),
    dataRow("truncated gzip", words: ["truncated"], file: trainImages + ".gz", removing: trainImages) { w in
        let gz = Fixtures.gzip(w.idxImages(count: ErrorWorkspace.trainCount))
        return Array(gz.prefix(gz.count / 2))
    },
    dataRow("gzip CRC error", words: ["incorrect data check", "CRC"], file: trainImages + ".gz", removing: trainImages) { w in
        var gz = Fixtures.gzip(w.idxImages(count: ErrorWorkspace.trainCount))
        gz[gz.count - 8] ^= 0x01  // the CRC-32 in the gzip trailer
        return gz
    },
    dataRow("trailing garbage after gzip", words: ["7 unexpected bytes after the end"], file: trainImages + ".gz",
            removing: trainImages) { w in Fixtures.gzip(w.idxImages(count: ErrorWorkspace.trainCount)) + Array("garbage".utf8) },
    dataRow("wrong magic", words: ["not an IDX file", "starts with 12 34"], file: trainImages) { w in
        var bytes = w.idxImages(count: ErrorWorkspace.trainCount)
        bytes[0] = 0x12; bytes[1] = 0x34
        return bytes
    },
    dataRow("labels file given as images", words: ["not an images file", "looks like a labels file"], file: trainImages) { w in
        Fixtures.idx(typeCode: 0x08, dims: [ErrorWorkspace.trainCount], payload: w.labels(count: ErrorWorkspace.trainCount))
    },
    dataRow("dimension product overflow", words: ["4294967295x4294967295x4294967295", "too large"], file: trainImages) { _ in
        Fixtures.idx(typeCode: 0x08, dims: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [1, 2, 3])
    },
    dataRow("huge declared count, tiny payload", words: ["60000x28x28", "47040000 bytes but holds 100", "truncated"],
            file: trainImages) { _ in
        Fixtures.idx(typeCode: 0x08, dims: [60000, 28, 28], payload: [UInt8](repeating: 7, count: 100))
    },
    dataRow("huge count behind a gzip bomb", words: ["60000x28x28", "holds 1048576"], file: trainImages + ".gz",
            removing: trainImages) { _ in
        // 1 MiB of zeros compresses to ~1 KB; the header claims 47 MB: refused at the real size.
        Fixtures.gzip(Fixtures.idx(typeCode: 0x08, dims: [60000, 28, 28], payload: [UInt8](repeating: 0, count: 1 << 20)))
    },
    dataRow("trailing garbage", words: ["5 extra bytes"], file: trainImages) { w in
        w.idxImages(count: ErrorWorkspace.trainCount) + [1, 2, 3, 4, 5]
    },
    dataRow("images/labels count mismatch", words: ["holds \(ErrorWorkspace.trainCount) images",
                                                    "holds \(ErrorWorkspace.trainCount - 1) labels"], file: trainImages) { w in
        // The labels file is the one cut short; the error names the images file first, then it.
        try Data(Fixtures.idx(typeCode: 0x08, dims: [ErrorWorkspace.trainCount - 1],
                                      payload: w.labels(count: ErrorWorkspace.trainCount - 1)))
            .write(to: w.currentDirectory.appendingPathComponent(trainLabels))
        return w.idxImages(count: ErrorWorkspace.trainCount)
    },
    dataRow("label out of range", words: ["label 3 is 12", "class count 10"], file: testLabels) { w in
        var labels = w.labels(count: ErrorWorkspace.testCount)
        labels[3] = 12
        return Fixtures.idx(typeCode: 0x08, dims: [ErrorWorkspace.testCount], payload: labels)
    },
    ErrorRow(name: "data file is a directory", words: ["is a directory"]) { w, dir in
        try w.copyDataset(to: dir)
        let path = dir.appendingPathComponent(trainImages)
        try FileManager.default.removeItem(at: path)
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: false)
        return (w.trainArguments(dir), path.path)
    },
    ErrorRow(name: "data file missing", words: ["no such file", "t10k-labels-idx1-ubyte.gz"]) { w, dir in
        try w.copyDataset(to: dir)
        let path = dir.appendingPathComponent(testLabels)
        try FileManager.default.removeItem(at: path)
        return (w.trainArguments(dir), path.path)
    },

    // MARK: Checkpoints, through `eval FILE`
    modelRow("checkpoint truncated", words: ["truncated"]) { Array($0.prefix($0.count - 100)) },
    modelRow("checkpoint bit-flipped", words: ["checksum mismatch"]) { bytes in
        var bytes = bytes
        bytes[bytes.count / 2] ^= 0x10
        return bytes
    },
    modelRow("checkpoint from a future version", words: ["version 3", "not supported"]) { bytes in
        var bytes = bytes
        bytes[8] = 3  // the little-endian version field after the 8-byte magic
        return bytes
    },
    modelRow("checkpoint with an impossible size", words: ["hidden size 0"]) { bytes in
        var bytes = bytes
        for i in 0..<4 { bytes[20 + i] = 0 }  // hidden, after magic, version, header length, inputs
        return bytes
    },
    modelRow("checkpoint not for 28x28 images", words: ["784 pixels", "expects 16"], dataNamed: true) { _ in
        let model = MLP(shape: MLPShape(inputs: 16, hidden: 4, outputs: 10), activation: .relu, seed: 1)
        let state = TrainingState(settings: TrainingSettings(seed: 1, batchSize: 8, sgd: SGDConfig(learningRate: 0.1), loss: .crossEntropy),
                                  position: TrainingPosition(epochsCompleted: 1, rngState: 1))
        return Checkpoint(model: model, normalisationShift: [], normalisationScale: [], state: state).encoded()
    },
    modelRow("checkpoint is not one", words: ["not an mnist-cli model file"]) { _ in Array("hello, world\n".utf8) },
    ErrorRow(name: "checkpoint is a directory", words: ["is a directory"]) { w, dir in
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (["eval", dir.path, "--data", w.dataset.path], dir.path)
    },
    ErrorRow(name: "checkpoint missing", words: ["no such file"]) { w, dir in
        let path = dir.appendingPathComponent("absent.bin").path
        return (["eval", path, "--data", w.dataset.path], path)
    },

    // MARK: PNGs, through `predict FILE --model M`
    pngRow("PNG with a bad CRC", words: ["CRC mismatch in chunk IDAT at byte 33"]) { png in
        var png = png
        png[33 + 8 + 5] ^= 0x40  // inside the first IDAT's data (IDAT starts at byte 33)
        return png
    },
    pngRow("PNG with an absurd IHDR", words: ["100000x100000", "megapixel limit"]) { png in
        withIHDR(png, width: 100_000, height: 100_000)
    },
    pngRow("PNG with a zero-width IHDR", words: ["0x28", "invalid"]) { png in withIHDR(png, width: 0, height: 28) },
    pngRow("PNG without IDAT", words: ["no IDAT chunk"]) { png in
        Array(png.prefix(33)) + [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]
    },
    pngRow("PNG truncated", words: ["truncated", "file ends at byte 60"]) { png in Array(png.prefix(60)) },
    pngRow("TIFF, not a PNG", words: ["TIFF is not supported", "convert scan.tiff scan.png"]) { _ in [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0] },
    pngRow("JPEG cut in its header", words: ["JPEG ends at byte 12", "truncated"]) { _ in
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1]
    },
    pngRow("empty PNG file", words: ["empty"]) { _ in [] },
    ErrorRow(name: "PNG is a directory", words: ["is a directory"]) { w, dir in
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (["predict", dir.path, "--model", w.model.path], dir.path)
    },
    ErrorRow(name: "PNG missing", words: ["no such file"]) { w, dir in
        let path = dir.appendingPathComponent("absent.png").path
        return (["predict", path, "--model", w.model.path], path)
    },
]

// MARK: - Row builders

/// A copy of the good dataset with `file` replaced by `bytes(workspace)` (and `removing` deleted),
/// read by `train`.
private func dataRow(_ name: String, words: [String], file: String, removing: String? = nil,
                     _ bytes: @escaping @Sendable (ErrorWorkspace) throws -> [UInt8]) -> ErrorRow {
    ErrorRow(name: name, words: words) { w, dir in
        try w.copyDataset(to: dir)
        if let removing { try FileManager.default.removeItem(at: dir.appendingPathComponent(removing)) }
        let path = dir.appendingPathComponent(file)
        try Data(try bytes(w.in(dir))).write(to: path)
        return (w.trainArguments(dir), path.path)
    }
}

private func dataRow(_ name: String, words: [String], file: String, _ bytes: [UInt8]) -> ErrorRow {
    dataRow(name, words: words, file: file) { _ in bytes }
}

/// The trained model's bytes, spoiled, read by `eval` on the good dataset. With `dataNamed` the
/// error is about the data the model does not fit, so it must name the data directory.
private func modelRow(_ name: String, words: [String], dataNamed: Bool = false,
                      _ spoil: @escaping @Sendable ([UInt8]) throws -> [UInt8]) -> ErrorRow {
    ErrorRow(name: name, words: words) { w, dir in
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("model.bin")
        try Data(try spoil([UInt8](Data(contentsOf: w.model)))).write(to: path)
        let named = dataNamed ? w.dataset.path : path.path
        return (["eval", path.path, "--data", w.dataset.path], named)
    }
}

/// A valid 28x28 greyscale PNG of a digit-like ring, spoiled, given to `predict`.
private func pngRow(_ name: String, words: [String], _ spoil: @escaping @Sendable ([UInt8]) -> [UInt8]) -> ErrorRow {
    ErrorRow(name: name, words: words) { w, dir in
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let grey = (0..<784).map { i -> UInt8 in
            let x = Double(i % 28) - 13.5, y = Double(i / 28) - 13.5, r = (x * x + y * y).squareRoot()
            return r > 6 && r < 9 ? 0 : 255
        }
        let path = dir.appendingPathComponent("digit.png")
        try Data(spoil(encodeGreyPNG(width: 28, height: 28, grey: grey))).write(to: path)
        return (["predict", path.path, "--model", w.model.path], path.path)
    }
}

/// `png` with IHDR's width and height replaced and its CRC recomputed (IHDR data is bytes 16..<29).
private func withIHDR(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
    var png = png
    png.replaceSubrange(16..<24, with: Fixtures.bigEndian(width) + Fixtures.bigEndian(height))
    png.replaceSubrange(29..<33, with: Fixtures.bigEndian(crc32(of: png[12..<29])))
    return png
}

// MARK: - Workspace

/// A temporary directory holding the good synthetic dataset and a model trained on it, made once
/// for all rows; each row works in a subdirectory named after it.
struct ErrorWorkspace: Sendable {
    static let trainCount = 60, testCount = 20

    let root: URL
    var dataset: URL { root.appendingPathComponent("good-data") }
    var model: URL { root.appendingPathComponent("model.bin") }
    /// The row's directory while its files are being written.
    var currentDirectory: URL = URL(fileURLWithPath: "/")

    static let shared: ErrorWorkspace? = {
        guard let root = try? CLI.temporaryDirectory() else { return nil }
        let workspace = ErrorWorkspace(root: root)
        guard (try? FileManager.default.createDirectory(at: workspace.dataset, withIntermediateDirectories: true)) != nil,
              (try? SyntheticDataset.write(to: workspace.dataset, trainCount: trainCount, testCount: testCount)) != nil,
              let trained = try? CLI.run(["train", "--data", workspace.dataset.path, "--epochs", "1", "--hidden", "8",
                                          "--out", workspace.model.path]),
              trained.status == 0 else { return nil }
        return workspace
    }()

    func `in`(_ dir: URL) -> ErrorWorkspace {
        var copy = self
        copy.currentDirectory = dir
        return copy
    }

    func copyDataset(to dir: URL) throws {
        try FileManager.default.copyItem(at: dataset, to: dir)
    }

    func trainArguments(_ dir: URL) -> [String] {
        ["train", "--data", dir.path, "--epochs", "1", "--hidden", "8", "--out", dir.appendingPathComponent("m.bin").path]
    }

    /// The good training images file's bytes (raw IDX) cut or padded to `count` images.
    func idxImages(count: Int) -> [UInt8] {
        let images = (0..<count).flatMap { SyntheticDataset.image(index: $0, label: $0 % 10) }
        return Fixtures.idx(typeCode: 0x08, dims: [count, 28, 28], payload: images)
    }

    func labels(count: Int) -> [UInt8] { (0..<count).map { UInt8($0 % 10) } }
}
