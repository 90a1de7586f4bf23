import Foundation
import MLPCore
import Testing
import TestSupport

/// Datasets that are not digits: names from classes.txt beside the data or --classes, kept in
/// the model, shown by eval and predict.
@Suite final class ClassNamesRunTests {
    let dir: URL
    var data: String { dir.path }
    static let names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine ☂"]

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func train(_ extra: [String], out: String) throws -> CLIResult {
        try CLI.run(["train", "--data", data, "--hidden", "32", "--epochs", "2", "--batch-size", "16", "--out", out] + extra)
    }

    @Test func namesBesideTheDataReachEvalAndPredict() throws {
        try (Self.names.joined(separator: "\n") + "\n").write(toFile: path("classes.txt"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path("classes.txt")) }
        let model = path("named.bin")
        #expect(try train([], out: model).status == 0)
        #expect(try Checkpoint(decoding: Array(Data(contentsOf: URL(fileURLWithPath: model)))).classNames == Self.names)

        let eval = try CLI.run(["eval", model, "--data", data])
        #expect(eval.status == 0, "\(eval.stderr)")
        let rows = eval.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("confusion matrix") }.dropFirst(2).prefix { !$0.isEmpty }
        #expect(rows.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
                == Self.names.enumerated().map { "\($0) \($1.split(separator: " ")[0])" }, "\(eval.stdout)")
        let json = try jsonObject(Substring(try CLI.run(["eval", model, "--data", data, "--json"]).stdout.dropLast()))
        #expect(json["class_names"] as? [String] == Self.names)

        let predicted = try CLI.run(["predict", "--model", model, "--idx", path("t10k-images-idx3-ubyte"), "--index", "0", "--index", "1", "--json"])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let lines = try predicted.stdout.split(separator: "\n").map(jsonObject)
        #expect(lines.count == 2)
        for line in lines {
            let digit = try #require(line["digit"] as? Int)
            #expect(line["class"] as? Int == digit && line["name"] as? String == Self.names[digit])
            let top = try #require((line["top"] as? [[String: Any]])?.first)
            #expect(top["name"] as? String == Self.names[digit])
        }
        let first = try #require(lines.first?["digit"] as? Int)
        let text = try CLI.run(["predict", "--model", model, "--idx", path("t10k-images-idx3-ubyte"), "--index", "0"])
        #expect(text.stdout.hasPrefix("\(path("t10k-images-idx3-ubyte"))[0]: \(first) \(Self.names[first])   ("), "\(text.stdout)")
    }

    @Test func digitModelsHaveNoNames() throws {
        let model = path("plain.bin")
        #expect(try train([], out: model).status == 0)
        let line = try jsonObject(Substring(try CLI.run(["predict", "--model", model, "--idx", path("t10k-images-idx3-ubyte"), "--index", "0", "--json"])
            .stdout.dropLast()))
        #expect(line["class"] as? Int == line["digit"] as? Int && line["name"] is NSNull)
    }

    @Test(arguments: [("a\nb\n", "has 2 names but the data has 10 classes"), ("\u{FF}\n", "is not UTF-8 text"),
                      ((0..<10).map { $0 == 4 ? "" : "c\($0)" }.joined(separator: "\n"), "line 5 is empty")])
    func badNamesFilesAreOneErrorLineNamingTheFile(text: String, problem: String) throws {
        let file = path("bad-names.txt")
        try Data(text == "\u{FF}\n" ? [0xFF, 0x0A] : Array(text.utf8)).write(to: URL(fileURLWithPath: file))
        let model = path("bad.bin")
        let result = try train(["--classes", file], out: model)
        #expect(result.status == 1 && result.stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: \(file): \(problem)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    /// Fashion-MNIST with the names `make data` ships: eval shows "T-shirt/top … Ankle boot".
    @Test(.enabled(if: CLI.hasFashion)) func fashionMNISTEvalShowsItsNames() throws {
        let shipped = TestData.repositoryRoot.appendingPathComponent("data/fashion-mnist.classes.txt").path
        // The copy beside the data when `make data DATASET=fashion-mnist` made it; else the shipped file.
        let besideData = FileManager.default.fileExists(atPath: CLI.fashionDirectory + "/classes.txt")
        let model = path("fashion.bin")
        let trained = try CLI.run(["train", "--data", CLI.fashionDirectory, "--hidden", "32", "--epochs", "1", "--out", model]
                                  + (besideData ? [] : ["--classes", shipped]))
        #expect(trained.status == 0, "\(trained.stderr)")
        let eval = try CLI.run(["eval", model, "--data", CLI.fashionDirectory])
        #expect(eval.status == 0, "\(eval.stderr)")
        let rows = eval.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("confusion matrix") }.dropFirst(2).prefix { !$0.isEmpty }
        #expect(rows.first?.hasPrefix("0 T-shirt/top ") == true && rows.last?.hasPrefix("9 Ankle boot ") == true, "\(eval.stdout)")
        for (row, name) in zip(rows, ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]) {
            #expect(row.contains(name))
        }
    }
}
