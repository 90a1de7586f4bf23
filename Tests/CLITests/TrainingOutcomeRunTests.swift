import Foundation
import MLPCore
import Testing

/// How a train run ends and what it warns of, beside the health figures and on the same data: the
/// --json summary, early stopping with --patience (and its resume), labels that make an odd
/// network, a validation split too large to train on.
extension TrainingHealthRunTests {
    private var patient: [String] { ["--hidden", "32", "--batch-size", "16", "--seed", "7", "--validation", "100", "--patience", "2", "--json"] }

    /// The synthetic problem is learnt within a few epochs; once validation stops improving, two
    /// epochs later the run stops, keeps the best epoch, and says so in its summary.
    @Test func patienceStopsTwoEpochsAfterTheBestAndKeepsIt() throws {
        let model = path("patient.bin")
        let result = try CLI.run(["train", "--data", data, "--epochs", "30", "--out", model] + patient)
        #expect(result.status == 0, "\(result.stderr)")
        let (epochs, summary) = try trainOutput(result.stdout)
        let validation = epochs.map { $0["validation_accuracy"] as? Double ?? -1 }
        let best = validation.firstIndex(of: validation.max()!)! + 1
        #expect(epochs.count == best + 2 && epochs.count < 30, "validation: \(validation)")
        #expect(summary["kept_because"] as? String == "early stop" && summary["kept_epoch"] as? Int == best)
        #expect(summary["epochs"] as? Int == epochs.count && summary["model"] as? String == model)
        let saved = try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: model))))
        #expect(saved.state.best?.epoch == best && saved.state.position.epochsCompleted == epochs.count)
        #expect((summary["test_accuracy"] as? Double).map(Float.init) == saved.state.testAccuracy)
        #expect(saved.otherSections.contains { $0.tag == "STOP" && $0.payload == [2, 0, 0, 0] })
    }

    /// Interrupted in epoch 2 (its summary says so), then resumed without naming --patience: it
    /// stops at the same epoch, with the same bytes, as the run that was never interrupted.
    @Test func aResumedPatientRunStopsWhereTheUninterruptedOneDid() throws {
        let whole = path("whole.bin"), part = path("part.bin")
        #expect(try CLI.run(["train", "--data", data, "--epochs", "30", "--out", whole] + patient).status == 0)
        let stopped = try CLI.run(["train", "--data", data, "--epochs", "30", "--out", part] + patient,
                                  environment: ["MNIST_CLI_TEST_RAISE": "INT@2:5"])
        #expect(stopped.status == 130, "\(stopped.stderr)")
        #expect(try trainOutput(stopped.stdout).summary["kept_because"] as? String == "interrupted")
        let resumed = try CLI.run(["train", "--data", data, "--resume", part, "--epochs", "30", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try trainOutput(resumed.stdout).summary["kept_because"] as? String == "early stop")
        #expect(try Data(contentsOf: URL(fileURLWithPath: part)) == Data(contentsOf: URL(fileURLWithPath: whole)))
        // Stopped early, it does not go on unless given more patience.
        let again = try CLI.run(["train", "--data", data, "--resume", part, "--epochs", "30"])
        #expect(again.status == 1 && again.stderr.contains("stopped early") && again.stderr.contains("--patience"), "\(again.stderr)")
    }

    @Test func patienceWithoutValidationIsAUsageError() throws {
        let model = path("never.bin")
        let result = try CLI.run(["train", "--data", data, "--epochs", "3", "--patience", "2", "--out", model])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: --patience needs --validation") && result.stderr.split(separator: "\n").count == 1,
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    /// 590 of 600 held out leaves 10, fewer than a batch of 16: a usage error before any training.
    @Test func aValidationSplitLeavingLessThanABatchIsAUsageError() throws {
        let model = path("never.bin")
        let result = try CLI.run(["train", "--data", data, "--batch-size", "16", "--validation", "590", "--out", model])
        #expect(result.status == 64)
        #expect(result.stderr == "error: \(data): --validation 590 leaves 10 training samples of 600, fewer than one batch of 16 "
                + "(hold out at most 584, or pass a smaller --batch-size)\n", "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
        // Exactly one batch left is no usage error (16 samples may still learn too little: that is another error).
        let one = try CLI.run(["train", "--data", data, "--batch-size", "16", "--validation", "584", "--epochs", "1", "--out", model])
        #expect(one.status != 64 && !one.stderr.contains("--validation"), "\(one.stderr)")
    }

    /// One training label changed to 200: a warning names it (the net has 201 outputs).
    @Test func aLabelFarAboveTheRestIsNamed() throws {
        let odd = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: odd) }
        try SyntheticDataset.write(to: odd) { training, index, label in training && index == 5 ? 200 : label }
        let result = try CLI.run(["train", "--data", odd.path, "--hidden", "8", "--epochs", "1", "--out", odd.appendingPathComponent("m.bin").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(odd.path): label 200 (1 sample) is far above the others (up to 9): "
                                       + "the network gets 201 outputs, 190 of them for classes with no samples"), "\(result.stderr)")
    }

    /// Classes 0, 1, 2 and 5 only: 3 and 4 are named as having no samples.
    @Test func classesWithoutSamplesAreNamed() throws {
        let gappy = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: gappy) }
        try SyntheticDataset.write(to: gappy) { _, _, label in [0, 1, 2, 5][label % 4] }
        let result = try CLI.run(["train", "--data", gappy.path, "--hidden", "8", "--epochs", "1", "--out", gappy.appendingPathComponent("m.bin").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(gappy.path): classes 3, 4 of 0-5 have no training samples"), "\(result.stderr)")
        let plain = try CLI.run(["train", "--data", data, "--hidden", "8", "--epochs", "1", "--out", path("plain.bin")])
        #expect(!plain.stderr.contains("no training samples") && !plain.stderr.contains("far above"), "\(plain.stderr)")
    }
}
