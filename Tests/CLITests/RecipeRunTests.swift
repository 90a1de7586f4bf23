import Foundation
@testable import MLPCore
import Testing

/// The record recipe's parts through the command line, on the small synthetic set: a validation
/// split evaluated every epoch with the best epoch kept and the test set read once at the end,
/// augmentation, Nesterov momentum, a cosine schedule and weight averaging; a run stopped midway
/// and resumed ends with the same bytes.
@Suite final class RecipeRunTests {
    let dir: URL
    let recipe: [String]

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
        recipe = ["--data", dir.path, "--hidden", "24", "--epochs", "4", "--batch-size", "16", "--lr", "0.1", "--momentum", "0.9",
                  "--nesterov", "--schedule", "cosine", "--warmup", "1", "--average", "0.9", "--validation", "100", "--augment", "simard"]
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test func validationEveryEpochTheBestKeptAndTheTestReadOnce() throws {
        let model = dir.appendingPathComponent("recipe.bin").path
        let result = try CLI.run(["train"] + recipe + ["--out", model, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let (epochs, summary) = try trainOutput(result.stdout)
        #expect(epochs.count == 4 && epochs.allSatisfy { $0["validation_accuracy"] is Double && $0["test_accuracy"] is NSNull })
        let rates = epochs.compactMap { $0["learning_rate"] as? Double }
        #expect(rates.count == 4 && abs(rates[0] - 0.1) < 1e-7 && rates[3] == 0, "warm-up to 0.1, cosine to 0: \(rates)")
        let validation = epochs.map { $0["validation_accuracy"] as! Double }
        let saved = try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: model))))
        let best = validation.firstIndex(of: validation.max()!)! + 1
        #expect(saved.state.best == BestEpoch(epoch: best, accuracy: Float(validation.max()!)))
        #expect(saved.trainingParameters != nil && saved.state.settings.averageDecay == 0.9 && saved.state.settings.sgd.nesterov)
        #expect(summary["kept_epoch"] as? Int == best && summary["kept_because"] as? String == "best validation")
        #expect((summary["test_accuracy"] as? Double).map(Float.init) == saved.state.testAccuracy)
        #expect(result.stderr.contains("kept epoch \(best) (validation"), "\(result.stderr)")
        // The figure saved with the model is the test accuracy of the kept weights, as eval measures it.
        let evaluated = try jsonObject(Substring(try CLI.run(["eval", model, "--data", dir.path, "--json"]).stdout.dropLast()))
        #expect((evaluated["accuracy"] as? Double).map(Float.init) == saved.state.testAccuracy)
    }

    @Test(arguments: ["2:7", "4:1", "1:25"])
    func stoppedAndResumedEqualsUninterrupted(at batch: String) throws {
        let whole = dir.appendingPathComponent("whole-\(batch).bin").path, part = dir.appendingPathComponent("part-\(batch).bin").path
        #expect(try CLI.run(["train"] + recipe + ["--out", whole]).status == 0)
        let stopped = try CLI.run(["train"] + recipe + ["--out", part], environment: ["MNIST_CLI_TEST_RAISE": "INT@" + batch])
        #expect(stopped.status == 130, "\(stopped.stderr)")
        let resumed = try CLI.run(["train", "--resume", part, "--data", dir.path, "--epochs", "4", "--threads", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: part)) == Data(contentsOf: URL(fileURLWithPath: whole)))
    }

    @Test func aValidationSplitLeavingNothingToTrainOnIsAUsageError() throws {
        let result = try CLI.run(["train", "--data", dir.path, "--validation", "600", "--out", dir.appendingPathComponent("x.bin").path])
        #expect(result.status == 64 && result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("leaves nothing to train on"), "\(result.stderr)")
    }
}

private extension Float {
    var double: Double { Double(self) }
}
