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

/// eval's precision, recall, F1 and top-k accuracy agree with its own confusion matrix.
@Suite struct EvalScoresTests {
    @Test func jsonScoresFollowFromTheConfusionMatrix() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try SyntheticDataset.write(to: dir)
        let model = dir.appendingPathComponent("m.bin").path
        #expect(try CLI.run(["train", "--data", dir.path, "--hidden", "8", "--epochs", "1", "--out", model]).status == 0)
        let run = try CLI.run(["eval", model, "--data", dir.path, "--json", "--top-k", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try jsonObject(Substring(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let confusion = try #require(report["confusion"] as? [[Int]])
        let perClass = try #require(report["per_class"] as? [[String: Any]])
        for k in 0..<confusion.count {
            let row = confusion[k].reduce(0, +), column = confusion.map { $0[k] }.reduce(0, +)
            #expect(perClass[k]["support"] as? Int == row)
            if row > 0 { #expect(perClass[k]["recall"] as? Double == Double(confusion[k][k]) / Double(row)) }
            if column > 0 { #expect(perClass[k]["precision"] as? Double == Double(confusion[k][k]) / Double(column)) }
        }
        let topK = try #require(report["top_k_accuracy"] as? [String: Double])
        #expect(topK.keys.sorted() == ["1", "3", "5"])
        #expect(topK["1"] == report["accuracy"] as? Double)
        #expect(topK["1"]! <= topK["3"]! && topK["3"]! <= topK["5"]!)
        let weighted = try #require(report["weighted_average"] as? [String: Any])
        #expect(abs((weighted["recall"] as? Double ?? 0) - (report["accuracy"] as? Double ?? 1)) < 1e-12)

        let text = try CLI.run(["eval", model, "--data", dir.path, "--top-k", "3"])
        #expect(text.stdout.contains("macro avg") && text.stdout.contains("weighted avg") && text.stdout.contains("top-3 "))
    }
}

/// A known dataset's class names come from its checksums, not from a names file beside it.
@Suite struct KnownDatasetNamesTests {
    @Test(.enabled(if: CLI.hasFashion)) func fashionMNISTCopiedElsewhereTrainsWithItsNames() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.fashionDirectory).filter { $0.contains("-ubyte") }
        #expect(files.count == 4, "\(files)")
        for name in files {
            try FileManager.default.copyItem(atPath: CLI.fashionDirectory + "/" + name, toPath: dir.appendingPathComponent(name).path)
        }
        let model = dir.appendingPathComponent("f.bin").path
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "8", "--epochs", "1", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        let eval = try CLI.run(["eval", model, "--data", dir.path, "--json"])
        let report = try jsonObject(Substring(eval.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let shipped = try String(contentsOfFile: TestData.repositoryRoot.appendingPathComponent("data/fashion-mnist.classes.txt").path, encoding: .utf8)
        #expect(report["class_names"] as? [String] == shipped.split(separator: "\n").map(String.init))
        #expect(report["dataset"] as? String == "Fashion-MNIST")
    }
}

/// info reads the model file alone: settings, provenance and history without the data.
@Suite struct InfoTests {
    @Test func infoNeedsNoData() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("set")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try SyntheticDataset.write(to: data)
        let model = dir.appendingPathComponent("m.bin").path
        #expect(try CLI.run(["train", "--data", data.path, "--hidden", "8", "--epochs", "2", "--seed", "3", "--out", model]).status == 0)
        try FileManager.default.removeItem(at: data)
        let run = try CLI.run(["info", model, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let info = try jsonObject(Substring(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(info["shape"] as? [String: Int] == ["inputs": 784, "hidden": 8, "outputs": 10])
        #expect(info["seed"] as? String == "3" && info["epochs"] as? Int == 2)
        let history = try #require(info["history"] as? [[String: Any]])
        #expect(history.compactMap { $0["epoch"] as? Int } == [1, 2])
        #expect((info["trained_on"] as? [String: Any])?["folder"] as? String == data.path)
        let text = try CLI.run(["info", model])
        #expect(text.status == 0 && text.stdout.contains("seed:") && text.stdout.contains("epoch"), "\(text.stdout)")

        // The pictures that need no data are made without it; the report shows what the file holds.
        let page = dir.appendingPathComponent("r.html").path
        let report = try CLI.run(["report", model, "--output", page, "--json"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("Not measured: "))
        #expect(try jsonObject(Substring(report.stdout.dropLast()))["accuracy"] is NSNull)
        for picture in [["templates", "t.png"], ["classes", "c.png"], ["curves", "u.svg"]] {
            let drawn = try CLI.run(["draw", picture[0], model, "--output", dir.appendingPathComponent(picture[1]).path], in: dir)
            #expect(drawn.status == 0, "draw \(picture[0]): \(drawn.stderr)")
        }
    }
}

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
