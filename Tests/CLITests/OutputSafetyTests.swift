import Foundation
import MLPCore
import Testing

/// What the tool writes, and where: it never replaces a device, FIFO or directory with a file
/// (as root, /dev/null would go), it follows a symbolic link to the model it names, and a failed
/// write to standard output fails the command. Every special file here is made by the test in its
/// own temporary directory, never a real /dev entry.
@Suite final class OutputSafetyTests {
    let dir: URL

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func train(out: String, _ extra: [String] = []) throws -> CLIResult {
        try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "2", "--batch-size", "16", "--out", out] + extra)
    }

    enum Special: String, CaseIterable { case fifo, characterDevice, directory, linkToDevice }

    /// Makes the special file and says how `stat` must still see it afterwards.
    private func make(_ special: Special, at path: String) throws -> mode_t {
        switch special {
        case .fifo:
            #expect(mkfifo(path, 0o600) == 0)
            return S_IFIFO
        case .characterDevice:
            // The null device's numbers (1, 3), in the test's own directory.
            #expect(mknod(path, S_IFCHR | 0o600, deviceNumber(1, 3)) == 0, "mknod needs root, which the tests run as")
            return S_IFCHR
        case .directory:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            return S_IFDIR
        case .linkToDevice:
            let device = path + ".dev"
            #expect(mknod(device, S_IFCHR | 0o600, deviceNumber(1, 3)) == 0)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: device)
            return S_IFCHR
        }
    }

    @Test(arguments: Special.allCases)
    func anOutThatIsNotARegularFileIsRefusedBeforeAnyDataIsRead(_ special: Special) throws {
        let target = path("out-\(special.rawValue)")
        let kind = try make(special, at: target)
        // The data folder does not exist: the refusal must come first.
        let result = try CLI.run(["train", "--data", path("no-such-data"), "--out", target])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: \(target): "), "\(result.stderr)")
        #expect(result.stderr.contains("not a regular file") && !result.stderr.contains("no-such-data"), "\(result.stderr)")
        var info = stat()
        #expect(stat(target, &info) == 0 && info.st_mode & S_IFMT == kind, "the \(special) was replaced")
    }

    @Test func aSymlinkedOutIsFollowedAndStaysALink() throws {
        let models = path("models")
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: false)
        try Data("old model".utf8).write(to: URL(fileURLWithPath: models + "/v1.bin"))
        chmod(models + "/v1.bin", 0o640)
        let link = path("current.bin")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "models/v1.bin")
        let result = try train(out: link)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "models/v1.bin")
        let saved = try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: models + "/v1.bin"))))
        #expect(saved.state.position.epochsCompleted == 2)
        #expect(try FileManager.default.attributesOfItem(atPath: models + "/v1.bin")[.posixPermissions] as? Int == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: models) == ["v1.bin"], "a temporary file was left")
    }

    /// The full device's numbers (1, 7): every write fails with ENOSPC, as on a full disk.
    @Test(arguments: [["eval", "MODEL", "--json"], ["eval", "MODEL"], ["train", "--json", "--epochs", "1", "--out", "NEW"],
                      ["predict", "--model", "MODEL", "--idx", "IMAGES", "--index", "0", "--json"]])
    func aFailedWriteToStandardOutputFailsTheCommand(_ template: [String]) throws {
        let model = path("full-\(template[0]).bin")
        #expect(try train(out: model).status == 0)
        let full = path("full-\(UUID().uuidString)")
        #expect(mknod(full, S_IFCHR | 0o600, deviceNumber(1, 7)) == 0)
        let arguments = template.map {
            ["MODEL": model, "NEW": path("new.bin"), "IMAGES": path("t10k-images-idx3-ubyte")][$0] ?? $0
        } + ["--data", dir.path].filter { _ in template[0] != "predict" }
        let result = try CLI.run(arguments, stdoutPath: full)
        #expect(result.status == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderrLines.last?.hasPrefix("error: standard output: write failed") == true, "\(result.stderr)")
    }
}

/// Linux's dev_t for a small major and minor number (glibc's makedev is a macro Swift cannot call).
func deviceNumber(_ major: UInt, _ minor: UInt) -> dev_t {
    dev_t((major & 0xFFF) << 8 | (minor & 0xFF))
}
