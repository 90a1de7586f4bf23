import Foundation
import MNISTData
import Testing
import TestSupport

/// The real thing: train on MNIST, evaluate, and predict from PNGs. Skips (loudly) without data/mnist.
@Suite(.enabled(if: CLI.hasMNIST, "MNIST is missing (run `make data`)"))
final class MNISTRunTests {
    let dir: URL
    let testImages = CLI.mnistDirectory + "/t10k-images-idx3-ubyte.gz"
    let testLabels = CLI.mnistDirectory + "/t10k-labels-idx1-ubyte.gz"

    init() throws { dir = try CLI.temporaryDirectory() }

    private func evalAccuracy(_ model: String) throws -> Double {
        let result = try CLI.run(["eval", model, "--data", CLI.mnistDirectory, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try jsonObject(Substring(result.stdout.dropLast()))["accuracy"] as? Double)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Predicted digit per PNG, in order, from one `predict --json` call.
    private func predictDigits(_ files: [String], model: String) throws -> [Int] {
        let result = try CLI.run(["predict", "--model", model, "--json"] + files)
        #expect(result.status == 0, "\(result.stderr.prefix(2000))")
        return try result.stdout.split(separator: "\n").map { try jsonObject($0)["digit"] as? Int ?? -1 }
    }

    @Test func oneEpochReaches95PercentAndEvalReportsTheSameFigure() throws {
        let model = dir.appendingPathComponent("one-epoch.bin").path
        let trained = try CLI.run(["train", "--data", CLI.mnistDirectory, "--epochs", "1", "--momentum", "0.9",
                                   "--lr", "0.05", "--out", model, "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let epoch = try #require(try trainOutput(trained.stdout).epochs.first)
        let trainReported = try #require(epoch["test_accuracy"] as? Double)
        #expect(trainReported >= 0.95, "1 epoch: \(trainReported)")
        #expect(try evalAccuracy(model) == trainReported)
    }

    /// The reference run of the README, then predict on PNGs made from test digits: plain ones must
    /// agree with eval's own classification.
    @Test func referenceModelAndPredictOnRenderedDigits() throws {
        let model = dir.appendingPathComponent("reference.bin").path
        let trained = try CLI.run(["train", "--data", CLI.mnistDirectory, "--hidden", "128", "--lr", "0.1", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        let accuracy = try evalAccuracy(model)
        #expect(accuracy >= 0.973, "reference run: \(accuracy)")

        // eval's view of the digits: predict --idx classifies the raw 28x28 items, as eval does.
        let count = 1000
        let images = try readIDX(path: testImages).payload
        let idxRun = try CLI.run(["predict", "--model", model, "--idx", testImages, "--json"]
                                 + (0..<count).flatMap { ["--index", "\($0)"] })
        let byIDX = try idxRun.stdout.split(separator: "\n").map { try jsonObject($0)["digit"] as? Int ?? -1 }
        #expect(byIDX.count == count)

        // The same digits as plain 8-bit grey PNGs: predict must agree with eval on (nearly) every one.
        let plain = try (0..<count).map { i in
            let url = dir.appendingPathComponent("plain-\(i).png")
            try Data(encodeGreyPNG(width: 28, height: 28, grey: Array(images[(i * 784)..<((i + 1) * 784)]))).write(to: url)
            return url.path
        }
        let byPNG = try predictDigits(plain, model: model)
        let agreement = Double(zip(byPNG, byIDX).filter { $0.0 == $0.1 }.count) / Double(count)
        #expect(agreement >= 0.99, "predict on PNGs agrees with eval on only \(agreement)")

        try RenderedDigitsCheck(modelPath: model, imagesPath: testImages, labelsPath: testLabels).run()
        try TouchingPairsCheck(modelPath: model, imagesPath: testImages, labelsPath: testLabels).run()
        try NotADigitCheck(modelPath: model, imagesPath: testImages).run()

        // A hand-drawn A: predict answers, and warns that it may be no digit.
        let letter = dir.appendingPathComponent("letter-a.png")
        try Data(renderGlyph(.capitalA, index: 0)).write(to: letter)
        let read = try CLI.run(["predict", "--model", model, letter.path])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stderr.contains("warning: \(letter.path): the model is unsure"), "\(read.stderr)")
    }
}
