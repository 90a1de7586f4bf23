import Foundation
import Testing
import TestSupport

/// README's ```console blocks are run as written, so what they show cannot drift: each `$ ` line is
/// a command (run by /bin/sh in a workspace of files the test makes, with the binary under test
/// first on PATH as `mnist-cli`), and the lines after it, up to the next command, are its standard
/// output and error as a terminal would show them. A line `...` stands for any number of lines.
/// Output that depends on the CPU (training figures, timings) is pasted in plain ``` blocks
/// instead, with the CPU named beside it.
@Suite struct ReadmeConsoleTests {
    @Test func everyConsoleBlockInTheReadmeIsWhatTheCommandsPrint() throws {
        let readme = try String(contentsOf: TestData.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = consoleBlocks(in: readme)
        #expect(!blocks.isEmpty, "README has no ```console block")
        let workspace = try ReadmeWorkspace.make()
        defer { Fixtures.remove(workspace) }
        let binDirectory = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path
        for block in blocks {
            for step in block {
                let run = try CLI.run(["-c", step.command + " 2>&1"], environment: ["PATH": binDirectory + ":/usr/bin:/bin"],
                                      in: workspace, program: "/bin/sh")
                let printed = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map {
                    String($0).trimmingTrailingSpaces
                }
                #expect(matches(printed.last == "" ? Array(printed.dropLast()) : printed, step.output),
                        "README: `$ \(step.command)` printed:\n\(run.stdout)\nREADME shows:\n\(step.output.joined(separator: "\n"))")
            }
        }
    }

    @Test func theMatcherTellsOutputsApart() {
        #expect(matches(["a", "b", "c"], ["a", "...", "c"]))
        #expect(matches(["a", "c"], ["a", "...", "c"]))
        #expect(!matches(["a", "b"], ["a", "c"]))
        #expect(!matches(["a", "b", "c"], ["a", "b"]))
        #expect(matches(["x", "y"], ["..."]))
    }
}

struct ConsoleStep { var command: String; var output: [String] }

/// The ```console blocks of a Markdown text, each as its commands and their outputs.
func consoleBlocks(in markdown: String) -> [[ConsoleStep]] {
    var blocks: [[ConsoleStep]] = [], current: [ConsoleStep]?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if current == nil {
            if line == "```console" { current = [] }
        } else if line.hasPrefix("```") {
            blocks.append(current!)
            current = nil
        } else if line.hasPrefix("$ ") {
            current!.append(ConsoleStep(command: String(line.dropFirst(2)), output: []))
        } else if !current!.isEmpty {
            current![current!.count - 1].output.append(line.trimmingTrailingSpaces)
        }
    }
    return blocks
}

/// Whether `printed` is `expected`, where an expected line `...` stands for any number of lines.
func matches(_ printed: [String], _ expected: [String]) -> Bool {
    guard let first = expected.first else { return printed.isEmpty }
    if first == "..." {
        return (0...printed.count).contains { matches(Array(printed.dropFirst($0)), Array(expected.dropFirst())) }
    }
    return printed.first == first && matches(Array(printed.dropFirst()), Array(expected.dropFirst()))
}

/// The files README's console blocks name: a model of the reference run's shape trained on a small
/// synthetic dataset, a cut copy of it, a data folder whose test images are truncated, a picture in
/// a format predict does not read.
enum ReadmeWorkspace {
    static func make() throws -> URL {
        let root = try CLI.temporaryDirectory()
        let data = root.appendingPathComponent("synthetic")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try SyntheticDataset.write(to: data)
        let trained = try CLI.run(["train", "--data", data.path, "--hidden", "128", "--epochs", "1", "--out", "model.bin"],
                                  in: root)
        guard trained.status == 0 else { throw ReadmeWorkspaceError.trainFailed(trained.stderr) }
        let model = try Data(contentsOf: root.appendingPathComponent("model.bin"))
        try model.prefix(5000).write(to: root.appendingPathComponent("cut.bin"))
        let bad = root.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"] {
            try FileManager.default.copyItem(at: data.appendingPathComponent(name), to: bad.appendingPathComponent(name))
        }
        let gzipped = Fixtures.gzip(Array(try Data(contentsOf: data.appendingPathComponent("t10k-images-idx3-ubyte"))))
        try Data(gzipped.prefix(gzipped.count / 2)).write(to: bad.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        // A little-endian TIFF header and nothing more: predict must name the format from its bytes.
        try Data([0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 64))
            .write(to: root.appendingPathComponent("scan.tiff"))
        guard mkfifo(root.appendingPathComponent("fifo").path, 0o600) == 0 else { throw ReadmeWorkspaceError.noFIFO }
        return root
    }
}

enum ReadmeWorkspaceError: Error { case trainFailed(String), noFIFO }

private extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
