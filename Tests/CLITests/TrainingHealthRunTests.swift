import Foundation
@testable import MLPCore
import Testing

/// train's health figures as a user meets them: dead units in the epoch line and --json, the
/// history in the model file, --log, leaky ReLU.
@Suite final class TrainingHealthRunTests {
    let dir: URL
    var data: String { dir.path }

    init() throws {
        dir = try CLI.temporaryDirectory()
        try SyntheticDataset.write(to: dir)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func train(_ extra: [String], out: String, epochs: Int = 3) throws -> CLIResult {
        try CLI.run(["train", "--data", data, "--hidden", "32", "--epochs", "\(epochs)", "--batch-size", "16", "--seed", "7",
                     "--out", out] + extra)
    }

    private func checkpoint(_ path: String) throws -> Checkpoint {
        try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// --json carries dead_units (a fraction for ReLU, null for tanh), the text line says "dead",
    /// and the model file's history holds the same figures.
    @Test(arguments: [Activation.relu, .leakyRelu, .tanh])
    func deadUnitsAreReportedAndKept(activation: Activation) throws {
        let model = path("dead-\(activation).bin")
        let result = try train(["--json", "--activation", activation.rawValue], out: model)
        #expect(result.status == 0, "\(result.stderr)")
        let epochs = try trainOutput(result.stdout).epochs
        #expect(epochs.count == 3)
        let history = try checkpoint(model).history
        #expect(history.map(\.epoch) == [1, 2, 3])
        for (line, record) in zip(epochs, history) {
            #expect(line.keys.contains("dead_units"))
            if activation.canDie {
                let dead = try #require(line["dead_units"] as? Double)
                #expect((0...1).contains(dead) && abs(dead - record.deadUnitFraction!) < 1e-12)
            } else {
                #expect(line["dead_units"] is NSNull && record.deadUnitFraction == nil)
            }
            // Within a few ulps: JSONSerialization does not always read back the shortest form exactly.
            func close(_ key: String, _ value: Double?) -> Bool {
                guard let read = line[key] as? Double, let value else { return false }
                return abs(read - value) <= 1e-12 * max(abs(value), 1)
            }
            #expect(close("loss", record.loss) && close("test_accuracy", record.testAccuracy) && close("train_accuracy", record.trainAccuracy))
            #expect(record.validationAccuracy == nil)
        }
        let text = try train(["--activation", activation.rawValue], out: path("text-\(activation).bin"), epochs: 1)
        #expect(text.stdout.contains(" dead ") == activation.canDie, "\(text.stdout)")
    }

    /// --log: CSV with one header and a row per epoch; resumed, it appends (no second header)
    /// and the model's history has every epoch once, the one interrupted mid-way included.
    @Test func csvLogAppendsOnResumeAndHistoryHasEveryEpochOnce() throws {
        let model = path("log.bin"), log = path("run.csv")
        let stopped = try CLI.run(["train", "--data", data, "--hidden", "32", "--epochs", "4", "--batch-size", "16", "--seed", "7",
                                   "--out", model, "--log", log], environment: ["MNIST_CLI_TEST_RAISE": "INT@3:10"])
        #expect(stopped.status == 130, "\(stopped.stderr)")
        #expect(try checkpoint(model).history.map(\.epoch) == [1, 2])
        #expect(stopped.stderr.contains("--log \(log)"), "the resume command keeps --log: \(stopped.stderr)")
        let resumed = try CLI.run(["train", "--data", data, "--resume", model, "--epochs", "4", "--log", log])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let history = try checkpoint(model).history
        #expect(history.map(\.epoch) == [1, 2, 3, 4])

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "epoch,loss,train_accuracy,validation_accuracy,test_accuracy,learning_rate,dead_units,seconds,samples_per_second")
        #expect(lines.count == 5, "\(lines)")
        for (line, record) in zip(lines.dropFirst(), history) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 9 && Double(fields[8])! > 0)
            // Swift's own parse of its own shortest form is exact.
            #expect(Int(fields[0]) == record.epoch && Double(fields[1]) == record.loss && Double(fields[4]) == record.testAccuracy)
            #expect(fields[3] == "", "no validation split")
            #expect(Double(fields[6]) == record.deadUnitFraction)
            #expect(fields[5] == "0.1", "the default --lr reads as typed, not as the Float's binary expansion")
        }
    }

    /// JSON Lines: an object per epoch, validation accuracy filed as such with --validation.
    @Test func jsonLinesLogWithValidation() throws {
        let log = path("run.jsonl")
        let result = try train(["--validation", "100", "--log", log], out: path("v.bin"), epochs: 2)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(jsonObject)
        #expect(lines.map { $0["epoch"] as? Int } == [1, 2])
        #expect(lines.allSatisfy { $0["validation_accuracy"] is Double && $0["test_accuracy"] is NSNull && $0["dead_units"] is Double })
    }

    @Test func badLogTargetsAreErrorsThatWriteNothing() throws {
        let model = path("never.bin")
        let wrongKind = try train(["--log", path("run.txt")], out: model)
        #expect(wrongKind.status == 64 && wrongKind.stderrLines.count == 1, "\(wrongKind.stderr)")
        #expect(wrongKind.stderr.contains("--log must end in .csv"))
        let folder = path("folder.csv")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let directory = try train(["--log", folder], out: model)
        #expect(directory.status == 1 && directory.stderrLines.count == 1, "\(directory.stderr)")
        #expect(directory.stderr.hasPrefix("error: \(folder): is a directory"), "\(directory.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    /// Leaky ReLU with its slope: trains, is stored (eval names it), resumes with it, and
    /// refuses another slope on resume.
    @Test func leakyReluIsStoredWithItsSlope() throws {
        let model = path("leaky.bin")
        let trained = try train(["--activation", "leaky-relu", "--leak", "0.05"], out: model, epochs: 1)
        #expect(trained.status == 0, "\(trained.stderr)")
        let saved = try checkpoint(model)
        #expect(saved.model.activation == .leakyRelu && saved.model.leak == 0.05)
        let eval = try CLI.run(["eval", model, "--data", data])
        #expect(eval.stdout.contains("leaky-relu (slope 0.05)"), "\(eval.stdout)")
        let other = try CLI.run(["train", "--data", data, "--resume", model, "--epochs", "2", "--leak", "0.1"])
        #expect(other.status == 64 && other.stderr.contains("--leak cannot change when resuming"), "\(other.stderr)")
        let resumed = try CLI.run(["train", "--data", data, "--resume", model, "--epochs", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try checkpoint(model).model.leak == 0.05)
        let noLeaky = try train(["--leak", "0.1"], out: path("x.bin"))
        #expect(noLeaky.status == 64 && noLeaky.stderr.contains("--leak needs --activation leaky-relu"))
    }

    /// The lectures' dying ReLU: a large step with strong decay kills most units in epoch 2; the
    /// run says so once, with the fix.
    @Test(.enabled(if: CLI.hasMNIST)) func dyingReluIsWarnedOnce() throws {
        let result = try CLI.run(["train", "--data", CLI.mnistDirectory, "--hidden", "32", "--lr", "1", "--weight-decay", "0.05",
                                  "--epochs", "3", "--json", "--out", path("dying.bin")])
        let dead = try result.stdout.split(separator: "\n").map(jsonObject).compactMap { $0["dead_units"] as? Double }
        #expect(dead.count == 3 && dead[1] > 0.5, "\(dead)")
        let warnings = result.stderrLines.filter { $0.hasPrefix("warning:") && $0.contains("never fired") }
        #expect(warnings.count == 1, "\(result.stderr)")
        #expect(warnings.first?.contains("--activation leaky-relu") == true)
    }
}
