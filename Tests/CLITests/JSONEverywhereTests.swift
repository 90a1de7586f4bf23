import Foundation
import MNISTData
import TestSupport
import Testing

/// --json is on every command that does something; `draw` alone, which only names its pictures,
/// has none of its own.
@Suite struct JSONEverywhereTests {
    static let commands = [["train"], ["eval"], ["predict"], ["gradcheck"], ["report"], ["info"], ["export"],
                           ["draw", "templates"], ["draw", "classes"], ["draw", "mistakes"], ["draw", "confusion"], ["draw", "curves"]]

    @Test(arguments: commands) func helpListsJSON(_ command: [String]) throws {
        let help = try CLI.run(command + ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--json"), "\(command.joined(separator: " ")) --help: \(help.stdout)")
    }

    @Test func drawConfusionJSONCarriesTheMatrix() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try SyntheticDataset.write(to: dir)
        let model = dir.appendingPathComponent("m.bin").path, picture = dir.appendingPathComponent("c.png").path
        #expect(try CLI.run(["train", "--data", dir.path, "--hidden", "8", "--epochs", "1", "--out", model]).status == 0)
        let run = try CLI.run(["draw", "confusion", model, "--data", dir.path, "--output", picture, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let drawn = try jsonObject(Substring(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(drawn["wrote"] as? String == picture)
        #expect(drawn["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: picture)[.size] as? Int))
        let confusion = try #require(drawn["confusion"] as? [[Int]])
        #expect(confusion.joined().reduce(0, +) == 100)
        let page = dir.appendingPathComponent("r.html").path
        let report = try CLI.run(["report", model, "--data", dir.path, "--output", page, "--json"])
        let summary = try jsonObject(Substring(report.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(summary["wrote"] as? String == page && summary["samples"] as? Int == 100)
        #expect(summary["accuracy"] as? Double == drawn["accuracy"] as? Double)
    }
}
