import Foundation
import MLPCore
import Testing

/// `train --optimiser adam|adamw --dropout p`: interrupted and resumed, the same bytes as an
/// uninterrupted run, whatever the thread count; the optimiser cannot change on resume.
@Suite final class OptimiserRunTests {
    let dir: URL

    init() throws {
        dir = try CLI.temporaryDirectory()
        try SyntheticDataset.write(to: dir)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func settings(_ optimiser: String, threads: Int) -> [String] {
        ["train", "--data", dir.path, "--hidden", "48", "--epochs", "3", "--batch-size", "8", "--seed", "3",
         "--optimiser", optimiser, "--dropout", "0.3", "--threads", "\(threads)"]
    }

    @Test(arguments: ["adam", "adamw"])
    func interruptedAndResumedEqualsUninterrupted(optimiser: String) throws {
        let whole = dir.appendingPathComponent("whole-\(optimiser).bin").path
        let run = try CLI.run(settings(optimiser, threads: 1) + ["--out", whole])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(optimiser == "adam" ? "Adam (β1 0.9, β2 0.999" : "AdamW (β1 0.9"), "\(run.stdout)")
        #expect(run.stdout.contains("dropout 0.3"), "\(run.stdout)")
        let saved = try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: whole))))
        #expect(saved.adam?.config.decoupledDecay == (optimiser == "adamw"))
        #expect(saved.dropoutRate == 0.3 && saved.velocity == nil && saved.state.settings.sgd.learningRate == 0.001)
        #expect(saved.state.settings.sgd.weightDecay == (optimiser == "adamw" ? 0.01 : 0))

        let part = dir.appendingPathComponent("part-\(optimiser).bin").path
        let stopped = try CLI.run(settings(optimiser, threads: 2) + ["--out", part], environment: ["MNIST_CLI_TEST_RAISE": "INT@2:37"])
        #expect(stopped.status == 130, "\(stopped.stderr)")
        let resumed = try CLI.run(["train", "--data", dir.path, "--resume", part, "--epochs", "3", "--threads", "3"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: part)) == Data(contentsOf: URL(fileURLWithPath: whole)))

        // eval reads it as any model.
        let eval = try CLI.run(["eval", whole, "--data", dir.path])
        #expect(eval.status == 0, "\(eval.stderr)")
    }

    @Test func theOptimiserCannotChangeOnResume() throws {
        let model = dir.appendingPathComponent("adam.bin").path
        #expect(try CLI.run(settings("adam", threads: 1) + ["--epochs", "1", "--out", model]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: model))
        for option in [["--optimiser", "sgd"], ["--momentum", "0.9"]] {
            let result = try CLI.run(["train", "--data", dir.path, "--resume", model, "--epochs", "2"] + option)
            #expect(result.status == 64, "\(option): \(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: "), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)
        let fresh = try CLI.run(["train", "--data", dir.path, "--beta1", "0.8", "--out", model])
        #expect(fresh.status == 64 && fresh.stderr.contains("--beta1 is Adam's"), "\(fresh.stderr)")
    }
}
