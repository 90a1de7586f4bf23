import Foundation
import Testing

/// A model file records what it was trained on; `eval` shows it and warns (exit 0 all the same)
/// when it measures the model on other data.
@Suite final class ProvenanceTests {
    let root: URL, trainedOn: URL, other: URL
    let model: String

    init() throws {
        root = try CLI.temporaryDirectory()
        trainedOn = root.appendingPathComponent("set A")
        other = root.appendingPathComponent("set B")
        for dir in [trainedOn, other] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        try SyntheticDataset.write(to: trainedOn)
        try SyntheticDataset.write(to: other, trainCount: 600, testCount: 120)
        model = root.appendingPathComponent("m.bin").path
        let trained = try CLI.run(["train", "--data", trainedOn.path, "--hidden", "16", "--epochs", "1", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    @Test func evalOnTheSameDataShowsItAndDoesNotWarn() throws {
        let text = try CLI.run(["eval", model, "--data", trainedOn.path])
        #expect(text.status == 0 && text.stderr.isEmpty, "\(text.stderr)")
        #expect(text.stdout.contains("trained on \(trainedOn.path) (600 training and 100 test images)"), "\(text.stdout)")
        let json = try jsonObject(Substring(try CLI.run(["eval", model, "--data", trainedOn.path, "--json"]).stdout.dropLast()))
        let recorded = try #require(json["trained_on"] as? [String: Any])
        #expect(recorded["folder"] as? String == trainedOn.path && recorded["train_images"] as? Int == 600)
        #expect((json["warnings"] as? [String])?.isEmpty == true)
    }

    @Test func evalOnOtherDataWarnsNamingBoth() throws {
        for json in [false, true] {
            let result = try CLI.run(["eval", model, "--data", other.path] + (json ? ["--json"] : []))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("warning: \(model) was trained on \(trainedOn.path)"), "\(result.stderr)")
            #expect(result.stderr.contains("the test split of \(other.path) is other data (120 images"), "\(result.stderr)")
            if json {
                let warnings = try jsonObject(Substring(result.stdout.dropLast()))["warnings"] as? [String]
                #expect(warnings?.count == 1 && warnings?.first?.contains(other.path) == true)
            }
        }
    }
}
