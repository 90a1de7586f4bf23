import Foundation
import MLPCore
import Testing

/// How results are shown: a progress line that fits a narrow terminal, a class with no samples,
/// a checkpoint saved mid-epoch, the training header, shell completion.
@Suite final class ReportingTests {
    let dir: URL

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Under a real terminal 30 columns wide (script(1) makes the pseudo-terminal), no redraw of the
    /// progress line is wider than 29 characters, so it never wraps and scrolls.
    @Test(.enabled(if: CLI.skipNotice(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
                                      "progress-line width: script(1) is missing")))
    func theProgressLineFitsANarrowTerminal() throws {
        let out = dir.appendingPathComponent("narrow.bin").path
        let command = "stty cols 30; MNIST_CLI_TEST_RAISE=INT@2:140 '\(CLI.binary)' train --data '\(dir.path)' --hidden 16 "
            + "--epochs 2 --batch-size 4 --out '\(out)'"
        let result = try runShell("script -qec \"\(command)\" /dev/null", in: dir)
        let redraws = result.stdout.split(separator: "\r").map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }
            .filter { $0.hasPrefix("epoch ") && $0.contains("loss") && !$0.contains("train") }
        #expect(redraws.count >= 2, "no progress line drawn: \(result.stdout.debugDescription)")
        #expect(redraws.allSatisfy { $0.count <= 29 }, "\(redraws.filter { $0.count > 29 })")
    }

    @Test func aClassWithNoSamplesSaysSoAndAMidEpochCheckpointCountsItsBatches() throws {
        let model = dir.appendingPathComponent("mid.bin").path
        let stopped = try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "3", "--batch-size", "16",
                                   "--out", model], environment: ["MNIST_CLI_TEST_RAISE": "INT@2:7"])
        #expect(stopped.status == 130)
        // A test split that holds only digits 0 to 8.
        let narrow = dir.appendingPathComponent("no nines")
        try FileManager.default.createDirectory(at: narrow, withIntermediateDirectories: true)
        try SyntheticDataset.write(to: narrow, trainCount: 30, testCount: 30, classes: 9)
        let result = try CLI.run(["eval", model, "--data", narrow.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("784-16-10 relu, cross-entropy, 1 epoch + 7 batches"), "\(result.stdout)")
        let nines = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("    9 ") })
        #expect(nines.hasSuffix("no samples") && !result.stdout.contains("nan"), "\(result.stdout)")
    }

    @Test func theHeaderSaysWhatTrainingUses() throws {
        let result = try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "1", "--standardise",
                                  "--momentum", "0.5", "--out", dir.appendingPathComponent("s.bin").path])
        #expect(result.stdout.hasPrefix("training 784-16-10 relu, cross-entropy, lr 0.1, batch 64, momentum 0.5, standardised inputs on 600 samples"),
                "\(result.stdout)")
    }

    @Test func completionOffersFilesAndFolders() throws {
        let result = try CLI.run(["--generate-completion-script", "bash"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("-fX '!*.@(bin)'"), "model files complete as .bin")
        #expect(result.stdout.contains("-fX '!*.@(png|jpg|jpeg|bmp|gif)'"), "predict's images complete as the pictures it reads")
        #expect(result.stdout.contains("-d"), "--data completes folders")
        #expect(try CLI.run(["--help"]).stdout.contains("--generate-completion-script"))
    }
}
