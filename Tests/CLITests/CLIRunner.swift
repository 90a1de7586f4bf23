import Foundation
import TestSupport

/// Runs the built mnist-cli binary the way a user or a CI script would.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

enum CLI {
    /// $MNIST_CLI_BIN, else the debug build that `make test` makes first.
    static let binary: String = ProcessInfo.processInfo.environment["MNIST_CLI_BIN"]
        ?? TestData.repositoryRoot.appendingPathComponent(".build/debug/mnist-cli").path

    // The real data sets (TestData says once, loudly, when one is missing).
    static var hasMNIST: Bool { TestData.mnist.isPresent }
    static var mnistDirectory: String { TestData.mnist.directory }
    static var hasFashion: Bool { TestData.fashionMNIST.isPresent }
    static var fashionDirectory: String { TestData.fashionMNIST.directory }

    /// Says loudly on stderr that a test is skipped and why; use with `.enabled(if:)` for a missing
    /// tool (a missing data set is announced by TestData already).
    static func skipNotice(_ condition: Bool, _ what: String) -> Bool {
        if !condition { FileHandle.standardError.write(Data("SKIPPED: \(what)\n".utf8)) }
        return condition
    }

    /// `stdoutPath`, when given, receives standard output instead of the result (a file or a
    /// device node the test made). `program` is the binary under test unless a test runs another
    /// (an installed copy, a script).
    @discardableResult
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    in directory: URL? = nil, stdoutPath: String? = nil, timeout: TimeInterval = 600,
                    program: String = binary) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
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

    /// A fresh empty directory under the system's temporary folder (TestSupport's, by the name
    /// the CLI suites use).
    static func temporaryDirectory() throws -> URL { try Fixtures.temporaryDirectory() }
}

enum CLIRunError: Error { case timedOut([String]), cannotOpen(String) }

/// Parses one JSON object line.
func jsonObject(_ line: Substring) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
}

/// `train --json`'s stdout: an object per epoch, then one summing the run up.
func trainOutput(_ stdout: String) throws -> (epochs: [[String: Any]], summary: [String: Any]) {
    let objects = try stdout.split(separator: "\n").map(jsonObject)
    return (Array(objects.dropLast()), objects.last ?? [:])
}
