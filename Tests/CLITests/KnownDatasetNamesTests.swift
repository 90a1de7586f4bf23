import Foundation
import MNISTData
import TestSupport
import Testing

/// A known dataset's class names come from its checksums, not from a names file beside it.
@Suite struct KnownDatasetNamesTests {
    @Test(.enabled(if: CLI.hasFashion)) func fashionMNISTCopiedElsewhereTrainsWithItsNames() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.fashionDirectory).filter { $0.contains("-ubyte") }
        #expect(files.count == 4, "\(files)")
        for name in files {
            try FileManager.default.copyItem(atPath: CLI.fashionDirectory + "/" + name, toPath: dir.appendingPathComponent(name).path)
        }
        let model = dir.appendingPathComponent("f.bin").path
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "8", "--epochs", "1", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        let eval = try CLI.run(["eval", model, "--data", dir.path, "--json"])
        let report = try jsonObject(Substring(eval.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let shipped = try String(contentsOfFile: TestData.repositoryRoot.appendingPathComponent("data/fashion-mnist.classes.txt").path, encoding: .utf8)
        #expect(report["class_names"] as? [String] == shipped.split(separator: "\n").map(String.init))
        #expect(report["dataset"] as? String == "Fashion-MNIST")
    }
}
