import Foundation
import MNISTData
import Testing
import TestSupport

/// `predict` on pictures with several marks, or no digit at all: warnings, --each and
/// --save-input, end to end through the binary. The model is a small synthetic one: what is checked
/// here is what predict says around its answers, not the answers.
@Suite final class PredictMarksTests {
    let dir: URL
    let model: String

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
        model = dir.appendingPathComponent("m.bin").path
        // Standing in for a digit model: only the digit form looks for marks.
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "1", "--input-form", "digit", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Warnings other than the model being unsure, which this small model always is about strokes.
    private func besidesUnsure<S: StringProtocol>(_ warnings: [S]) -> [S] { warnings.filter { !$0.contains("the model is unsure") } }

    /// Dark strokes on white, saved as a PNG in the test directory; returns its path.
    private func page(_ name: String, width: Int, height: Int, _ layers: [(ink: InkLayer, left: Int, top: Int)]) throws -> String {
        var canvas = Canvas(width: width, height: height, colour: (255, 255, 255))
        for layer in layers { canvas.lay(layer.ink, left: layer.left, top: layer.top, colour: (0, 0, 0)) }
        let path = dir.appendingPathComponent(name).path
        try Data(encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A 7 (smaller, left) and a 4 (larger, right), like "74".
    private func twoDigits() throws -> String {
        try page("74.png", width: 150, height: 90, [(InkLayer(strokes: strokesOfSeven, size: 50, width: 5), 10, 20),
                                                   (InkLayer(strokes: strokesOfFour, size: 60, width: 6), 80, 15)])
    }

    @Test func severalMarksGiveOneWarningNamingTheFileAndTheOneClassified() throws {
        let path = try twoDigits()
        let text = try CLI.run(["predict", "--model", model, path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.split(separator: "\n").count == 1)
        let warnings = besidesUnsure(text.stderrLines.filter { $0.hasPrefix("warning: ") })
        #expect(warnings.count == 1 && besidesUnsure(text.stderrLines).count == 1, "\(text.stderr)")
        #expect(warnings.first?.hasPrefix("warning: \(path): 2 digit-sized marks; classified the largest, 2nd from the left") == true)

        let json = try CLI.run(["predict", "--model", model, path, "--json"])
        let line = try jsonObject(Substring(json.stdout.dropLast()))
        let listed = besidesUnsure(try #require(line["warnings"] as? [String]))
        #expect(listed.count == 1 && listed[0].contains("2 digit-sized marks"))
    }

    @Test func eachClassifiesEveryMarkLeftToRightWithoutAWarning() throws {
        let path = try twoDigits()
        let result = try CLI.run(["predict", "--model", model, path, "--each", "--json"])
        #expect(result.status == 0 && besidesUnsure(result.stderrLines).isEmpty, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map(jsonObject)
        #expect(lines.map { $0["mark"] as? Int } == [1, 2])
        #expect(lines.allSatisfy { $0["marks"] as? Int == 2 && besidesUnsure($0["warnings"] as? [String] ?? ["missing"]).isEmpty })
        // The last mark's object carries the whole string: its digits, one per mark.
        let digits = lines.compactMap { $0["digit"] as? Int }.map(String.init).joined()
        #expect(lines.last?["string"] as? String == digits && lines.first?["string"] == nil)
        let boxes = lines.compactMap { $0["box"] as? [Int] }
        #expect(boxes.count == 2 && boxes[0][0] < boxes[1][0])
        let text = try CLI.run(["predict", "--model", model, path, "--each"])
        #expect(text.stdout.split(separator: "\n").map { $0.prefix(path.count + 3) } == ["\(path)#1:", "\(path)#2:", "\(path): \(digits.prefix(1))"])
        #expect(text.stdout.split(separator: "\n").last.map(String.init) == "\(path): \(digits)")
    }

    @Test func aDotOrALineIsAnsweredWithAWarning() throws {
        let dot = try page("dot.png", width: 80, height: 80, [(InkLayer(strokes: [(0.5, 0.5, 0.5, 0.5)], size: 60, width: 12), 10, 10)])
        let dash = try page("dash.png", width: 80, height: 80, [(InkLayer(strokes: [(0.1, 0.5, 0.9, 0.5)], size: 60, width: 4), 10, 10)])
        for (path, word) in [(dot, "a dot"), (dash, "a straight line")] {
            let result = try CLI.run(["predict", "--model", model, path, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("warning: \(path): the mark is \(word), not a digit"))
            let line = try jsonObject(Substring(result.stdout.dropLast()))
            #expect((line["warnings"] as? [String])?.first?.contains("guess") == true)
        }
    }

    @Test func saveInputWritesTheImageTheModelSaw() throws {
        let path = try twoDigits()
        let saved = dir.appendingPathComponent("seen.png").path
        let result = try CLI.run(["predict", "--model", model, path, "--json", "--show", "--save-input", saved])
        #expect(result.status == 0, "\(result.stderr)")
        let shown = try #require(try jsonObject(Substring(result.stdout.dropLast()))["pixels"] as? [Int])
        let image = try decodePNG(readFile(saved))
        #expect(image.width == 28 && image.height == 28)
        #expect(stride(from: 0, to: image.pixels.count, by: 4).map { Int(image.pixels[$0]) } == shown)

        // A directory: one file per input and per mark, named after the inputs.
        let out = dir.appendingPathComponent("seen")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let dot = try page("dot.png", width: 40, height: 40, [(InkLayer(strokes: [(0.5, 0.5, 0.5, 0.5)], size: 30, width: 8), 5, 5)])
        let each = try CLI.run(["predict", "--model", model, path, dot, "--each", "--save-input", out.path])
        #expect(each.status == 0, "\(each.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["74-1.input.png", "74-2.input.png", "dot-1.input.png"])
    }

    @Test func saveInputNeverReplacesADeviceAFIFOOrADirectory() throws {
        let path = try twoDigits()
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let taken = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: taken.appendingPathComponent("74.input.png"), withIntermediateDirectories: true)
        for (target, words) in [("/dev/null", "character device"), (fifo, "FIFO")] {
            let result = try CLI.run(["predict", "--model", model, path, "--save-input", target])
            #expect(result.status == 1)
            let errors = result.stderrLines.filter { $0.hasPrefix("error: ") }
            #expect(errors.count == 1 && errors[0].contains(target) && errors[0].contains(words), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        // Inside a directory, a directory where the file would go is left alone too.
        let blocked = try CLI.run(["predict", "--model", model, path, "--save-input", taken.path])
        #expect(blocked.status == 1)
        #expect(blocked.stderrLines.filter { $0.hasPrefix("error: ") }.count == 1, "\(blocked.stderr)")
        #expect(stat(taken.appendingPathComponent("74.input.png").path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR)
        // Several images and a file: refused before anything is classified.
        let several = try CLI.run(["predict", "--model", model, path, path, "--save-input", dir.appendingPathComponent("x.png").path])
        #expect(several.status == 1 && several.stdout.isEmpty && several.stderr.contains("directory"))
    }
}
