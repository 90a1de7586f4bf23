import Foundation
import Testing
import TestSupport

/// Bad files: exit 1, one `error:` line that names the file and the problem, no backtrace, nothing written.
@Suite final class InputErrorTests {
    let dir: URL

    init() throws { dir = try CLI.temporaryDirectory() }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func expectOneError(_ result: CLIResult, status: Int32 = 1, mentions: [String]) {
        #expect(result.status == status, "status \(result.status): \(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        for text in mentions { #expect(result.stderr.contains(text), "'\(text)' not in: \(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("backtrace"))
    }

    @Test func evalOfAMissingModelNamesIt() throws {
        let path = dir.appendingPathComponent("absent.bin").path
        expectOneError(try CLI.run(["eval", path]), mentions: [path, "no such file"])
    }

    @Test func evalOfADirectorySaysSo() throws {
        expectOneError(try CLI.run(["eval", dir.path]), mentions: [dir.path, "directory"])
    }

    @Test func evalOfAGarbageFileSaysItIsNotAModel() throws {
        let path = try Fixtures.write((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }, to: dir, name: "garbage.bin")
        expectOneError(try CLI.run(["eval", path]), mentions: [path, "model"])
    }

    @Test func evalOfAnEmptyFileSaysSo() throws {
        let path = try Fixtures.write([], to: dir, name: "empty.bin")
        expectOneError(try CLI.run(["eval", path]), mentions: [path])
    }

    /// `make data` fills data/mnist, so only a missing data/mnist suggests it; another folder's
    /// error names the file it lacks, .gz or not.
    @Test func missingDataSuggestsMakeDataOnlyForTheDefaultFolder() throws {
        let missing = dir.appendingPathComponent("nodata").path
        let out = dir.appendingPathComponent("m.bin").path
        let elsewhere = try CLI.run(["train", "--data", missing, "--out", out])
        expectOneError(elsewhere, mentions: [missing + "/train-images-idx3-ubyte: no such file", "train-images-idx3-ubyte.gz"])
        #expect(!elsewhere.stderr.contains("make data"))
        expectOneError(try CLI.run(["train", "--out", out], in: dir),
                       mentions: ["data/mnist/train-images-idx3-ubyte: no such file", "run `make data`"])
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func trainRefusesAnUnwritableOutputBeforeLoadingAnything() throws {
        let out = dir.appendingPathComponent("no/such/dir/model.bin").path
        // Data is missing too: the output check must come first, so the error is about --out.
        let result = try CLI.run(["train", "--data", dir.path, "--out", out])
        expectOneError(result, mentions: [out])
        #expect(result.stderr.contains("does not exist"))
    }

    @Test func predictWithoutItsModelNamesTheModel() throws {
        let jpeg = try Fixtures.write([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46], to: dir, name: "photo.jpg")
        let model = dir.appendingPathComponent("absent-model.bin").path
        // Without a model nothing can be classified: one error naming the model.
        expectOneError(try CLI.run(["predict", jpeg, "--model", model]), mentions: [model])
    }
}
