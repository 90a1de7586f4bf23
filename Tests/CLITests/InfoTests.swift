import Foundation
import MNISTData
import TestSupport
import Testing

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
        #expect(info["optimiser"] as? String == "sgd" && info["dropout"] as? Double == 0 && info["learning_rate"] as? Double == 0.1)
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

    @Test func infoNamesTheOptimiserAndDropout() throws {
        let dir = try SyntheticDataset.inTemporaryDirectory()
        defer { Fixtures.remove(dir) }
        let model = dir.appendingPathComponent("adam.bin").path
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "8", "--epochs", "1", "--optimiser", "adamw",
                                   "--dropout", "0.25", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        let info = try jsonObject(Substring(try CLI.run(["info", model, "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(info["optimiser"] as? String == "adamw" && info["dropout"] as? Double == 0.25)
        #expect(info["learning_rate"] as? Double == 0.001 && info["weight_decay"] as? Double == 0.01)
        let text = try CLI.run(["info", model]).stdout
        #expect(text.contains("AdamW (β1 0.9, β2 0.999, ε 1e-08)") && text.contains("dropout:                    0.25"), "\(text)")
    }
}
