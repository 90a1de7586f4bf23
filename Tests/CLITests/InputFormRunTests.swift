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
}
