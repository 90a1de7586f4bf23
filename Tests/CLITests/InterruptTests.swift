import Foundation
import Testing

/// Ctrl-C and SIGTERM. During training: the current batch finishes, a resumable checkpoint is
/// saved, exit 130/143, and the printed hint, pasted into a shell, resumes into the same file and
/// ends with the bytes of a run that was never interrupted. During setup: the process stops at
/// once with a message and writes nothing. The signal is raised at a known batch through the
/// CLI's test hook (MNIST_CLI_TEST_RAISE), or while the CLI is provably blocked reading a FIFO;
/// nothing here waits on a clock.
@Suite final class InterruptTests {
    let dir: URL

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory(trainCount: 1200, testCount: 100)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private var settings: [String] {
        ["--data", dir.path, "--hidden", "48", "--epochs", "3", "--batch-size", "8", "--momentum", "0.5", "--seed", "3", "--threads", "1"]
    }

    @Test(arguments: [("INT", Int32(130)), ("TERM", Int32(143))])
    func interruptedAtAKnownBatchThenResumedByTheHintEqualsUninterrupted(signal: String, expectedStatus: Int32) throws {
        let whole = dir.appendingPathComponent("whole-\(signal).bin").path
        #expect(try CLI.run(["train"] + settings + ["--out", whole]).status == 0)

        // A path a shell would split or choke on unquoted.
        let folder = dir.appendingPathComponent("odd dir $HOME's é")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let part = folder.appendingPathComponent("part \(signal).bin").path
        let stopped = try CLI.run(["train"] + settings + ["--out", part], environment: ["MNIST_CLI_TEST_RAISE": "\(signal)@2:37"])
        #expect(stopped.status == expectedStatus, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("stopped in epoch 2 after batch 37"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("error: training interrupted by SIG\(signal)"))
        let hint = try #require(stopped.stderrLines.first { $0.hasPrefix("resume with: ") }?.dropFirst("resume with: ".count))
        #expect(try Data(contentsOf: URL(fileURLWithPath: part)) != Data(contentsOf: URL(fileURLWithPath: whole)))

        // Pasted into a POSIX shell as printed, from another directory's point of view it is the
        // same command: it resumes into `part`, nowhere else.
        let pasted = try runShell(String(hint), in: dir)
        #expect(pasted.status == 0, "\(hint)\n\(pasted.stderr)")
        #expect(pasted.stdout.contains("saved \(part)"), "\(pasted.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: part)) == Data(contentsOf: URL(fileURLWithPath: whole)))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.bin").path))
    }

    /// The CLI blocks opening a FIFO that stands for the training labels; once the test's writer
    /// end opens, the CLI is inside setup, with nothing written, and the signal arrives there.
    /// The last case starts the CLI with SIGINT ignored, as a shell starts a background job: the
    /// CLI still stops cleanly on it.
    @Test(arguments: [(SIGINT, Int32(130), "SIGINT", false), (SIGTERM, Int32(143), "SIGTERM", false), (SIGINT, Int32(130), "SIGINT", true)])
    func aSignalDuringSetupStopsAtOnceAndWritesNothing(signal: Int32, expectedStatus: Int32, name: String, inheritedIgnored: Bool) throws {
        let data = dir.appendingPathComponent("fifo-data-\(name)-\(inheritedIgnored)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for file in ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            try FileManager.default.copyItem(at: dir.appendingPathComponent(file), to: data.appendingPathComponent(file))
        }
        let fifo = data.appendingPathComponent("train-labels-idx1-ubyte").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let out = dir.appendingPathComponent("setup-\(name)-\(inheritedIgnored).bin").path

        let process = Process()
        if inheritedIgnored {
            // sh ignores SIGINT and execs the CLI, which inherits that (same process, same pid).
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "trap '' INT; exec \"$0\" train --data \"$1\" --out \"$2\"", CLI.binary, data.path, out]
        } else {
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["train", "--data", data.path, "--out", out]
        }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Opening the writer end succeeds only once the CLI has opened the reader end.
        var writer: Int32 = -1
        while writer < 0 && process.isRunning {
            writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer < 0 { usleep(1000) }
        }
        #expect(writer >= 0, "the CLI never opened the training labels")
        // Setup that takes more than a moment says what it is doing: wait for that line, then signal.
        var notice = Data()
        while !notice.contains(UInt8(ascii: "\n")) {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            notice += chunk
        }
        #expect(String(decoding: notice, as: UTF8.self) == "loading \(data.path)…\n")
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if writer >= 0 { close(writer) }
        #expect(process.terminationReason == .exit && process.terminationStatus == expectedStatus, "\(stderr)")
        #expect(stderr == "error: interrupted by \(name) before training started; nothing was written\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// Runs `command` with /bin/sh, as a user pasting it would.
func runShell(_ command: String, in directory: URL) throws -> CLIResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = directory
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}
