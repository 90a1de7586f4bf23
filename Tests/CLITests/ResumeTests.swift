import Foundation
import MLPCore
import Testing

/// `train --resume`: what may change between runs is honoured and shown; what fixes the model or
/// the order of the data may only repeat the checkpoint's value (else a usage error, 64); the run
/// continues into the resumed file unless --out says otherwise.
@Suite final class ResumeTests {
    let dir: URL
    let start: String

    init() throws {
        dir = try CLI.temporaryDirectory()
        try SyntheticDataset.write(to: dir)
        start = dir.appendingPathComponent("start.bin").path
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "32", "--epochs", "1", "--batch-size", "16", "--out", start])
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func copy(_ name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: start, toPath: path)
        return path
    }

    private func checkpoint(_ path: String) throws -> Checkpoint {
        try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func changeableSettingsAreHonouredAndShown() throws {
        let plain = try copy("plain.bin"), changed = try copy("changed.bin")
        #expect(try CLI.run(["train", "--data", dir.path, "--resume", plain, "--epochs", "2"]).status == 0)
        let result = try CLI.run(["train", "--data", dir.path, "--resume", changed, "--epochs", "2",
                                  "--lr", "0.05", "--momentum", "0.5", "--weight-decay", "0.001", "--hidden", "32"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("now lr 0.05 (was 0.1), momentum 0.5 (was 0.0), weight decay 0.001 (was 0.0)"), "\(result.stdout)")
        let saved = try checkpoint(changed)
        #expect(saved.state.settings.sgd == SGDConfig(learningRate: 0.05, momentum: 0.5, weightDecay: 0.001))
        #expect(saved.state.position.epochsCompleted == 2 && saved.velocity != nil)
        #expect(saved.model.parameters != (try checkpoint(plain)).model.parameters)
    }

    @Test(arguments: [["--hidden", "16"], ["--activation", "tanh"], ["--loss", "mse"], ["--batch-size", "8"],
                      ["--seed", "9"], ["--standardise"]])
    func settingsThatFixTheModelOrTheOrderAreUsageErrors(_ option: [String]) throws {
        let model = try copy("fixed\(option[0]).bin")
        let before = try Data(contentsOf: URL(fileURLWithPath: model))
        let result = try CLI.run(["train", "--data", dir.path, "--resume", model, "--epochs", "2"] + option)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: \(option[0]) cannot change when resuming"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)
    }

    @Test func repeatingTheCheckpointsOwnSettingsIsFine() throws {
        let model = try copy("same.bin")
        let result = try CLI.run(["train", "--data", dir.path, "--resume", model, "--epochs", "2", "--hidden", "32",
                                  "--batch-size", "16", "--seed", "1", "--activation", "relu", "--loss", "cross-entropy"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try checkpoint(model).state.position.epochsCompleted == 2)
    }

    @Test func resumingWritesIntoTheResumedFileUnlessOutSaysOtherwise() throws {
        let model = try copy("into.bin")
        #expect(try CLI.run(["train", "--data", dir.path, "--resume", model, "--epochs", "2"], in: dir).status == 0)
        #expect(try checkpoint(model).state.position.epochsCompleted == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.bin").path))
        let other = dir.appendingPathComponent("other.bin").path
        #expect(try CLI.run(["train", "--data", dir.path, "--resume", model, "--epochs", "3", "--out", other]).status == 0)
        #expect(try checkpoint(other).state.position.epochsCompleted == 3 && checkpoint(model).state.position.epochsCompleted == 2)
    }
}
