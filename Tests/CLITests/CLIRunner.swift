import Foundation

/// Runs the built mnist-cli binary the way a user or a CI script would.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

enum CLI {
    /// The repository root, found from this file's path (Tests/CLITests/CLIRunner.swift).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// $MNIST_CLI_BIN, else the debug build that `make test` makes first.
    static let binary: String = ProcessInfo.processInfo.environment["MNIST_CLI_BIN"]
        ?? root.appendingPathComponent(".build/debug/mnist-cli").path

    static let mnistDirectory = root.appendingPathComponent("data/mnist").path
    static let fashionDirectory = root.appendingPathComponent("../shared/data/fashion-mnist").standardized.path

    static var hasMNIST: Bool { hasDataset(at: mnistDirectory) }
    static var hasFashion: Bool { hasDataset(at: fashionDirectory) }

    static func hasDataset(at dir: String) -> Bool {
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
            .allSatisfy { FileManager.default.fileExists(atPath: dir + "/" + $0) }
    }

    /// Says loudly on stderr that a test is skipped and why; use with `.enabled(if:)`.
    static func skipNotice(_ condition: Bool, _ what: String) -> Bool {
        if !condition { FileHandle.standardError.write(Data("SKIPPED: \(what)\n".utf8)) }
        return condition
    }

    /// `stdoutPath`, when given, receives standard output instead of the result (a file or a
    /// device node the test made).
    @discardableResult
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    in directory: URL? = nil, stdoutPath: String? = nil, timeout: TimeInterval = 600) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "MNIST_DATA")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        if let stdoutPath {
            guard let handle = FileHandle(forWritingAtPath: stdoutPath) else { throw CLIRunError.cannotOpen(stdoutPath) }
            process.standardOutput = handle
            try? out.fileHandleForWriting.close()
        } else {
            process.standardOutput = out
        }
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Drain both pipes while the process runs so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw CLIRunError.timedOut(arguments)
        }
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh empty directory under the system's temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mnist-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

enum CLIRunError: Error { case timedOut([String]), cannotOpen(String) }

/// Parses one JSON object line.
func jsonObject(_ line: Substring) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
}
