import Foundation
import MNISTData
import Testing

/// train → eval → predict end to end on a small computed dataset (no download needed).
@Suite final class SyntheticRunTests {
    let dir: URL
    var data: String { dir.path }

    init() throws {
        dir = try CLI.temporaryDirectory()
        try SyntheticDataset.write(to: dir)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func train(_ extra: [String], out: String) throws -> CLIResult {
        try CLI.run(["train", "--data", data, "--hidden", "32", "--epochs", "3", "--batch-size", "16",
                     "--seed", "7", "--out", out] + extra)
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func trainPrintsAnEpochLineEachAndEvalAgreesWithTheLastOne() throws {
        let model = dir.appendingPathComponent("m.bin").path
        let trained = try train(["--json"], out: model)
        #expect(trained.status == 0, "\(trained.stderr)")
        let (epochs, summary) = try trainOutput(trained.stdout)
        #expect(epochs.count == 3)
        #expect(epochs.map { $0["epoch"] as? Int } == [1, 2, 3])
        for key in ["loss", "train_accuracy", "test_accuracy", "seconds", "samples_per_second"] {
            #expect(epochs.allSatisfy { $0[key] is Double }, "missing \(key)")
        }
        let losses = epochs.compactMap { $0["loss"] as? Double }
        #expect(losses[2] < losses[0], "loss did not fall: \(losses)")

        let evaluated = try CLI.run(["eval", model, "--data", data, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let report = try jsonObject(Substring(evaluated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let accuracy = try #require(report["accuracy"] as? Double)
        #expect(accuracy == epochs[2]["test_accuracy"] as? Double)
        #expect(summary["kept_epoch"] as? Int == 3 && summary["kept_because"] as? String == "last" && summary["epochs"] as? Int == 3)
        #expect(summary["test_accuracy"] as? Double == accuracy && summary["model"] as? String == model)
        #expect((summary["seconds"] as? Double ?? 0) > 0)
        #expect(accuracy > 0.9, "the synthetic problem is easy; got \(accuracy)")
        #expect(report["samples"] as? Int == 100)
        let confusion = try #require(report["confusion"] as? [[Int]])
        #expect(confusion.count == 10 && confusion.allSatisfy { $0.count == 10 })
        #expect(confusion.joined().reduce(0, +) == 100)
        let diagonal = (0..<10).map { confusion[$0][$0] }.reduce(0, +)
        #expect(Double(diagonal) / 100 == accuracy)
    }

    @Test func evalMinAccuracyGatesTheExitStatus() throws {
        let model = dir.appendingPathComponent("gate.bin").path
        #expect(try train([], out: model).status == 0)
        let report = try jsonObject(Substring(try CLI.run(["eval", model, "--data", data, "--json"]).stdout.dropLast()))
        let accuracy = try #require(report["accuracy"] as? Double)
        #expect(try CLI.run(["eval", model, "--data", data, "--min-accuracy", "0.5"]).status == 0)
        let strict = try CLI.run(["eval", model, "--data", data, "--min-accuracy", "1"])
        #expect(strict.status == (accuracy < 1 ? 2 : 0), "accuracy \(accuracy): \(strict.stderr)")
        let text = try CLI.run(["eval", model, "--data", data])
        #expect(text.stdout.contains("confusion matrix"))
        #expect(text.stdout.contains(fixedPercent(accuracy)), "\(text.stdout)")
    }

    @Test func sameSeedSameBytesWhateverTheThreadCount() throws {
        let a = dir.appendingPathComponent("a.bin").path, b = dir.appendingPathComponent("b.bin").path
        let c = dir.appendingPathComponent("c.bin").path, d = dir.appendingPathComponent("d.bin").path
        #expect(try train(["--threads", "1"], out: a).status == 0)
        #expect(try train(["--threads", "1"], out: b).status == 0)
        #expect(try train(["--threads", "2"], out: c).status == 0)
        #expect(try train(["--threads", "1", "--seed", "8"], out: d).status == 0)
        #expect(try bytes(a) == bytes(b))
        #expect(try bytes(a) == bytes(c))
        #expect(try bytes(a) != bytes(d))
    }

    @Test func predictIdxAgreesWithEvalOnEveryTestItem() throws {
        let model = dir.appendingPathComponent("p.bin").path
        #expect(try train([], out: model).status == 0)
        let images = dir.appendingPathComponent("t10k-images-idx3-ubyte").path
        let indices = Array(0..<100)
        let result = try CLI.run(["predict", "--model", model, "--idx", images, "--json"] + indices.flatMap { ["--index", "\($0)"] })
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map(jsonObject)
        #expect(lines.count == 100)
        let labels = try readIDX(path: dir.appendingPathComponent("t10k-labels-idx1-ubyte").path).payload
        let correct = zip(lines, labels).filter { ($0.0["digit"] as? Int) == Int($0.1) }.count
        let report = try jsonObject(Substring(try CLI.run(["eval", model, "--data", data, "--json"]).stdout.dropLast()))
        #expect(Double(correct) / 100 == report["accuracy"] as? Double)
        for line in lines {
            let p = try #require(line["probabilities"] as? [Double])
            #expect(p.count == 10 && abs(p.reduce(0, +) - 1) < 1e-4)
            #expect(line["digit"] as? Int == p.indices.max { p[$0] < p[$1] })
        }
    }

    @Test func predictReportsBadFilesAndStillClassifiesTheGoodOne() throws {
        let model = dir.appendingPathComponent("q.bin").path
        #expect(try train([], out: model).status == 0)
        var digit = [UInt8](repeating: 255, count: 40 * 40)
        for r in 8..<32 { for c in 17..<23 { digit[r * 40 + c] = 0 } }  // a dark "1" on white
        let good = dir.appendingPathComponent("one.png")
        try Data(encodeGreyPNG(width: 40, height: 40, grey: digit)).write(to: good)
        let jpeg = dir.appendingPathComponent("photo.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46]).write(to: jpeg)
        let truncated = dir.appendingPathComponent("cut.png")
        try Data(encodeGreyPNG(width: 40, height: 40, grey: digit).prefix(50)).write(to: truncated)
        let blank = dir.appendingPathComponent("blank.png")
        try Data(encodeGreyPNG(width: 40, height: 40, grey: [UInt8](repeating: 255, count: 1600))).write(to: blank)
        let missing = dir.appendingPathComponent("missing.png")

        let result = try CLI.run(["predict", "--model", model, jpeg.path, good.path, truncated.path, missing.path, blank.path])
        #expect(result.status == 1)
        let errors = result.stderrLines.filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 5, "\(result.stderr)")  // four bad files + the summary
        #expect(errors.contains { $0.contains(jpeg.path) && $0.contains("JPEG ends at byte 10") })
        #expect(errors.contains { $0.contains(truncated.path) })
        #expect(errors.contains { $0.contains(missing.path) && $0.contains("no such file") })
        #expect(errors.contains { $0.contains(blank.path) && $0.contains("no ink") })
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stdout.hasPrefix(good.path + ": "))
    }

    @Test func predictReadsAPNGFromStandardInput() throws {
        let model = dir.appendingPathComponent("s.bin").path
        #expect(try train([], out: model).status == 0)
        var digit = [UInt8](repeating: 0, count: 28 * 28)
        for r in 6..<22 { for c in 12..<16 { digit[r * 28 + c] = 255 } }
        let png = Data(encodeGreyPNG(width: 28, height: 28, grey: digit))
        let result = try CLI.run(["predict", "--model", model, "-", "--json", "--show"], stdin: png)
        #expect(result.status == 0, "\(result.stderr)")
        let line = try jsonObject(Substring(result.stdout.dropLast()))
        #expect(line["file"] as? String == "<stdin>")
        #expect((line["pixels"] as? [Int])?.count == 784)
    }

    @Test func trainRefusesToResumeAFinishedRunAndKeepsTheModel() throws {
        let model = dir.appendingPathComponent("r.bin").path
        #expect(try train([], out: model).status == 0)
        let before = try bytes(model)
        let again = try CLI.run(["train", "--data", data, "--resume", model, "--epochs", "3", "--out", model])
        #expect(again.status == 1)
        #expect(again.stderr.contains("--epochs"))
        #expect(try bytes(model) == before)
    }

    @Test func divergenceStopsWithAHintAndLeavesTheOldModel() throws {
        let model = dir.appendingPathComponent("keep.bin").path
        #expect(try train([], out: model).status == 0)
        let before = try bytes(model)
        let result = try train(["--lr", "100000"], out: model)
        #expect(result.status == 1)
        #expect(result.stderrLines.filter { $0.hasPrefix("error: ") }.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("diverged") && result.stderr.contains("--lr"), "\(result.stderr)")
        #expect(try bytes(model) == before)
    }

    @Test func periodicCheckpointsDoNotChangeTheResult() throws {
        let plain = dir.appendingPathComponent("plain.bin").path, saved = dir.appendingPathComponent("saved.bin").path
        #expect(try train([], out: plain).status == 0)
        #expect(try train(["--checkpoint-every", "1"], out: saved).status == 0)
        #expect(try bytes(plain) == bytes(saved))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    @Test func resumingFinishesWithTheSameBytesAsOneRun() throws {
        let whole = dir.appendingPathComponent("whole.bin").path
        let part = dir.appendingPathComponent("part.bin").path
        #expect(try train(["--momentum", "0.9"], out: whole).status == 0)
        #expect(try CLI.run(["train", "--data", data, "--hidden", "32", "--epochs", "1", "--batch-size", "16",
                             "--seed", "7", "--momentum", "0.9", "--out", part]).status == 0)
        let resumed = try CLI.run(["train", "--data", data, "--resume", part, "--epochs", "3", "--out", part])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try bytes(part) == bytes(whole))
    }
}

/// The same text eval prints for a fraction: "97.61%".
func fixedPercent(_ fraction: Double) -> String {
    String(format: "%.2f%%", fraction * 100)
}
