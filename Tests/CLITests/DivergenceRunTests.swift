import Foundation
import Testing

/// A run that learns nothing stops with one `error:` line, exit 1, and leaves --out as it was;
/// healthy runs, slow ones included, are not stopped.
@Suite final class DivergenceRunTests {
    let dir: URL

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func expectDivergence(_ result: CLIResult, out: String, before: Data) throws {
        #expect(result.status == 1, "\(result.stderr)")
        // A loaded machine may first say what takes over a second ("loading DIR…"): that is not an error line.
        let lines = result.stderrLines.filter { !$0.hasPrefix("loading ") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("error: training diverged: ") == true, "\(result.stderr)")
        #expect(result.stderr.contains("\(out) was left as it was") && result.stderr.contains("try a smaller --lr"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before, "--out was overwritten")
    }

    @Test func aHugeLearningRateStopsAndLeavesTheOldModel() throws {
        let out = dir.appendingPathComponent("good.bin").path
        #expect(try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "1", "--out", out]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        let result = try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "2", "--lr", "10000", "--out", out])
        try expectDivergence(result, out: out, before: before)
        #expect(result.stderr.contains("far above"), "\(result.stderr)")
    }

    @Test(.enabled(if: CLI.hasMNIST, "MNIST is missing (run `make data`)"))
    func onMNISTChanceIsDivergenceButASlowStartIsNot() throws {
        let out = dir.appendingPathComponent("mnist.bin").path
        try Data("previous".utf8).write(to: URL(fileURLWithPath: out))
        // lr 5: the ReLUs die in the first epoch and train accuracy sits at chance (11.24%).
        let dead = try CLI.run(["train", "--data", CLI.mnistDirectory, "--lr", "5", "--epochs", "2", "--out", out])
        try expectDivergence(dead, out: out, before: Data("previous".utf8))
        #expect(dead.stderr.contains("no better than chance (11.24%"), "\(dead.stderr)")
        // Sigmoid with MSE and a tiny step starts near chance too, but its loss falls.
        let slow = try CLI.run(["train", "--data", CLI.mnistDirectory, "--activation", "sigmoid", "--loss", "mse",
                                "--lr", "0.001", "--epochs", "2", "--out", out, "--json"])
        #expect(slow.status == 0, "\(slow.stderr)")
        let accuracies = try slow.stdout.split(separator: "\n").map { try jsonObject($0)["train_accuracy"] as? Double ?? 1 }
        #expect(accuracies.first ?? 1 < 0.2, "not a slow start: \(accuracies)")
    }
}
