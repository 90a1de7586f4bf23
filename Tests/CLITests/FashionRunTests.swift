import Foundation
import Testing

/// Any IDX dataset with MNIST's file names works: one epoch of Fashion-MNIST, then eval on it.
@Suite(.enabled(if: CLI.hasFashion, "Fashion-MNIST is missing"))
final class FashionRunTests {
    let dir: URL

    init() throws { dir = try CLI.temporaryDirectory() }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test func oneEpochOfFashionMNISTLearnsSomething() throws {
        let model = dir.appendingPathComponent("fashion.bin").path
        let trained = try CLI.run(["train", "--data", CLI.fashionDirectory, "--epochs", "1", "--out", model, "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let evaluated = try CLI.run(["eval", model, "--data", CLI.fashionDirectory, "--json"])
        let report = try jsonObject(Substring(evaluated.stdout.dropLast()))
        let accuracy = try #require(report["accuracy"] as? Double)
        // Chance is 10%; a linear model gets ~84% after many epochs; one epoch of the MLP gets ~82%.
        #expect(accuracy > 0.78, "Fashion-MNIST after one epoch: \(accuracy)")
        #expect(try trainOutput(trained.stdout).epochs.first?["test_accuracy"] as? Double == accuracy)
    }
}
