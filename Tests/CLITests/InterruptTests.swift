import Foundation
import Testing

/// Ctrl-C during training: the current batch finishes, a resumable checkpoint is saved, exit 130;
/// resuming it reaches the same model bytes as a run that was never interrupted.
@Suite final class InterruptTests {
    let dir: URL

    init() throws {
        dir = try CLI.temporaryDirectory()
        try SyntheticDataset.write(to: dir, trainCount: 12_000, testCount: 200)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private var settings: [String] {
        ["--data", dir.path, "--hidden", "64", "--epochs", "3", "--batch-size", "4", "--momentum", "0.5", "--seed", "3", "--threads", "1"]
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptedThenResumedEqualsUninterrupted(signal: Int32, expectedStatus: Int32) throws {
        let whole = dir.appendingPathComponent("whole-\(signal).bin").path
        let part = dir.appendingPathComponent("part-\(signal).bin").path
        #expect(try CLI.run(["train"] + settings + ["--out", whole]).status == 0)

        // Start the same run, wait for epoch 1's line, then signal it half-way through epoch 2.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["train"] + settings + ["--out", part, "--json"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            firstLine += chunk
        }
        let epoch1 = try jsonObject(Substring(String(decoding: firstLine, as: UTF8.self).split(separator: "\n")[0]))
        let seconds = try #require(epoch1["seconds"] as? Double)
        Thread.sleep(forTimeInterval: seconds / 2)
        kill(process.processIdentifier, signal)
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        _ = rest

        #expect(process.terminationStatus == expectedStatus, "\(stderr)")
        #expect(stderr.contains("resume with: mnist-cli train --resume \(part)"), "\(stderr)")
        #expect(stderr.contains("batch"), "\(stderr)")
        let interrupted = try Data(contentsOf: URL(fileURLWithPath: part))
        let uninterrupted = try Data(contentsOf: URL(fileURLWithPath: whole))
        #expect(interrupted != uninterrupted, "the signal arrived too late to interrupt anything")

        let resumed = try CLI.run(["train", "--data", dir.path, "--resume", part, "--epochs", "3", "--out", part, "--threads", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: part)) == uninterrupted)
    }
}
