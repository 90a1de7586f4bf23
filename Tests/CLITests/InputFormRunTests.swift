import Foundation
import MNISTData
import Testing
import TestSupport

/// Pictures of things that are not digits read in their model's own input form: Fashion-MNIST's
/// test images, and a made-up set of letters, saved as PNGs and classified within a point of the
/// same images given as IDX.
@Suite(.serialized)
final class InputFormRunTests {
    let dir: URL

    init() throws { dir = try CLI.temporaryDirectory() }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test(.enabled(if: CLI.hasFashion, "Fashion-MNIST is missing"))
    func fashionPicturesReadAsTheIDXDoes() throws {
        let model = dir.appendingPathComponent("fashion.bin").path
        let trained = try CLI.run(["train", "--data", CLI.fashionDirectory, "--epochs", "3", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        let check = InputFormCheck(modelPath: model, imagesPath: "\(CLI.fashionDirectory)/t10k-images-idx3-ubyte.gz",
                                   labelsPath: "\(CLI.fashionDirectory)/t10k-labels-idx1-ubyte.gz", stride: 5)
        var report: [String] = []
        for form in InputForm.allCases {
            let (idx, png) = try check.accuracies(form: form)
            report.append("\(form.rawValue) \(png) (idx \(idx))")
            if form == .object { #expect(abs(png - idx) <= 0.01, "object form: \(png) as PNGs, \(idx) as IDX") }
        }
        FileHandle.standardError.write(Data("Fashion-MNIST test images as PNGs: \(report.joined(separator: ", "))\n".utf8))
    }

    /// Data no checksum knows is trained in the default form for unknown data (none), and its own
    /// test images as PNGs read within a point of the IDX; the other forms are measured for the record.
    @Test func letterPicturesReadAsTheIDXDoes() throws {
        let data = dir.appendingPathComponent("letters")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Self.writeLetters(to: data, train: 20_000, test: 2_000)
        let model = dir.appendingPathComponent("letters.bin").path
        let trained = try CLI.run(["train", "--data", data.path, "--epochs", "5", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("(\(data.path), none form)"), "\(trained.stdout)")
        let check = InputFormCheck(modelPath: model, imagesPath: data.path + "/t10k-images-idx3-ubyte",
                                   labelsPath: data.path + "/t10k-labels-idx1-ubyte")
        var report: [String] = []
        for form in InputForm.allCases {
            let (idx, png) = try check.accuracies(form: form)
            report.append("\(form.rawValue) \(png) (idx \(idx))")
            if form == .none {
                #expect(idx > 0.8, "letters as IDX: \(idx)")
                #expect(abs(png - idx) <= 0.01, "none form: \(png) as PNGs, \(idx) as IDX")
            }
        }
        FileHandle.standardError.write(Data("letters' test images as PNGs: \(report.joined(separator: ", "))\n".utf8))
    }
}

extension InputFormRunTests {
    /// Letters (TestSupport's `Letters`) in MNIST's file names, uncompressed: data no checksum knows.
    static func writeLetters(to dir: URL, train: Int, test: Int) throws {
        for (prefix, count, offset) in [("train", train, 0), ("t10k", test, 1_000_000)] {
            var images: [UInt8] = [], labels: [UInt8] = []
            for i in 0..<count {
                let label = (i * 11 + offset) % Letters.classes
                labels.append(UInt8(label))
                images += Letters.image(index: i + offset, label: label)
            }
            try Data(Fixtures.idx(typeCode: 0x08, dims: [count, Letters.side, Letters.side], payload: images))
                .write(to: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try Data(Fixtures.idx(typeCode: 0x08, dims: [count], payload: labels))
                .write(to: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
    }
}
