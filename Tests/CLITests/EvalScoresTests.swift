import Foundation
import MNISTData
import TestSupport
import Testing

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
