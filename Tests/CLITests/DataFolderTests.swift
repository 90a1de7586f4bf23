import Foundation
import MNISTData
import TestSupport
import Testing

/// A model measured from another folder finds its data through the absolute path it recorded, or
/// says in one line what to pass.
@Suite struct DataFolderTests {
    @Test func evalFromAnotherFolderFindsTheDataOrSaysWhatToPass() throws {
        let project = try CLI.temporaryDirectory(), elsewhere = try CLI.temporaryDirectory()
        defer { for dir in [project, elsewhere] { try? FileManager.default.removeItem(at: dir) } }
        let data = project.appendingPathComponent("set")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try SyntheticDataset.write(to: data)
        let trained = try CLI.run(["train", "--data", "set", "--hidden", "8", "--epochs", "1", "--out", "m.bin"], in: project)
        #expect(trained.status == 0, "\(trained.stderr)")
        let model = project.appendingPathComponent("m.bin").path

        // From the folder it was trained in, the data folder is named as it was given.
        let here = try CLI.run(["eval", "m.bin"], in: project)
        #expect(here.status == 0 && here.stdout.contains("test split of set: 100 samples"), "\(here.stdout)\(here.stderr)")
        let there = try CLI.run(["eval", model], in: elsewhere)
        #expect(there.stdout.contains("test split of \(data.resolvingSymlinksInPath().path): 100 samples"), "\(there.stdout)")

        let found = try CLI.run(["eval", model, "--json"], in: elsewhere)
        #expect(found.status == 0, "\(found.stderr)")
        let report = try jsonObject(Substring(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(report["samples"] as? Int == 100)
        let trainedOn = try #require(report["trained_on"] as? [String: Any])
        #expect(trainedOn["folder"] as? String == "set")
        #expect(trainedOn["absolute_folder"] as? String == data.resolvingSymlinksInPath().path)

        try FileManager.default.removeItem(at: data)
        let lost = try CLI.run(["eval", model], in: elsewhere)
        #expect(lost.status == 1)
        #expect(lost.stderrLines.count == 1, "\(lost.stderr)")
        #expect(lost.stderr.hasPrefix("error: \(model): was trained on the data in set ("))
        #expect(lost.stderr.contains("pass --data DIR"))
    }
}
