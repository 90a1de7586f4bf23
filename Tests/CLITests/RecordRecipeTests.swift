import Foundation
import MLPCore
import Testing
import TestSupport

/// A smoke run of `make record`'s recipe, with the settings read from the Makefile itself so the
/// suite notices when they stop parsing or stop learning: two epochs on MNIST instead of 200 (the
/// cosine schedule then reaches 0 at the end of the second), 10 000 images held out for validation.
@Suite(.enabled(if: CLI.hasMNIST, "MNIST is missing (run `make data`)"))
final class RecordRecipeTests {
    let dir: URL

    init() throws { dir = try CLI.temporaryDirectory() }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// RECORD_FLAGS as the Makefile sets them, continuation lines joined.
    static func recordFlags() throws -> [String] {
        let makefile = try String(contentsOf: TestData.repositoryRoot.appendingPathComponent("Makefile"), encoding: .utf8)
        let joined = makefile.replacingOccurrences(of: "\\\n", with: " ")
        let line = try #require(joined.split(separator: "\n").first { $0.hasPrefix("RECORD_FLAGS ?=") }, "Makefile has no RECORD_FLAGS")
        return line.dropFirst("RECORD_FLAGS ?=".count).split(whereSeparator: \.isWhitespace).map(String.init)
    }

    @Test func twoEpochsOfTheRecipeLearnWithTheTestReadOnce() throws {
        let flags = try Self.recordFlags()
        #expect(flags.contains("--augment") && flags.contains("--hidden"), "\(flags)")
        let model = dir.appendingPathComponent("smoke.bin").path
        // A repeated option takes its last value, so this --epochs overrides the recipe's.
        let result = try CLI.run(["train", "--data", CLI.mnistDirectory] + flags
                                 + ["--epochs", "2", "--validation", "10000", "--out", model, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let epochs = try trainOutput(result.stdout).epochs
        #expect(epochs.count == 2 && epochs.allSatisfy { $0["test_accuracy"] is NSNull }, "validation each epoch, not the test set")
        let validation = epochs.compactMap { $0["validation_accuracy"] as? Double }
        #expect(validation.count == 2 && validation[1] > validation[0] && validation[1] >= 0.96, "\(validation)")
        #expect(epochs.last?["learning_rate"] as? Double == 0, "the cosine schedule ends at 0")

        let saved = try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: model))))
        #expect(saved.model.shape.inputs == 784 && saved.model.shape.outputs == 10 && saved.model.shape.hidden >= 800)
        #expect(result.stderr.contains("kept epoch 2 (validation"), "\(result.stderr)")
        #expect(saved.state.testAccuracy ?? 0 >= 0.96, "the test set, read once at the end: \(String(describing: saved.state.testAccuracy))")
    }
}
