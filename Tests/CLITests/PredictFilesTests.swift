import Foundation
import MNISTData
import Testing
import TestSupport

/// What `predict` reads and writes besides single PNGs: folders of pictures, the one kind of file
/// --save-input may replace, and --show fitted to the terminal's width. The model is a small
/// synthetic one with long class names (Fashion-MNIST's); the answers themselves are not checked.
@Suite final class PredictFilesTests {
    static let names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    let dir: URL
    let model: String

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
        try (Self.names.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("names.txt"), atomically: true, encoding: .utf8)
        model = dir.appendingPathComponent("m.bin").path
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "1", "--out", model,
                                   "--classes", dir.appendingPathComponent("names.txt").path])
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A dark 7 on white, as a PNG.
    private func seven() -> [UInt8] {
        var canvas = Canvas(width: 60, height: 60, colour: (255, 255, 255))
        canvas.lay(InkLayer(strokes: strokesOfSeven, size: 44, width: 5), left: 8, top: 8, colour: (0, 0, 0))
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))
    }

    private func write(_ bytes: [UInt8], _ name: String) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    private func contents(_ file: String) -> Data? { FileManager.default.contents(atPath: file) }

    /// A damaged file between two good ones: one error line names it, the others are classified,
    /// and the exit status says not everything was.
    @Test func predictReportsABadFileAndGoesOnWithTheRest() throws {
        let first = try write(seven(), "first.png"), last = try write(seven(), "last.png")
        let bad = try write([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46], "damaged.jpg")
        let result = try CLI.run(["predict", "--model", model, first, bad, last, "--json"])
        #expect(result.status != 0, "\(result.stderr)")
        let errors = result.stderrLines.filter { $0.hasPrefix("error: ") }
        #expect(errors.filter { $0.contains(bad) }.count == 1, "\(result.stderr)")
        #expect(errors.contains { $0.contains("1 of 3 inputs could not be classified") }, "\(result.stderr)")
        #expect(!result.stderr.contains(first) && !result.stderr.contains(last), "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stdout)")
        for (line, file) in zip(lines, [first, bad, last]) { #expect(line.contains("\"file\":\"\(file)\""), "\(line)") }
        #expect(lines.count == 3 && lines[0].contains("\"probabilities\"") && lines[2].contains("\"probabilities\""))
        #expect(lines.count == 3 && lines[1].contains("\"error\"") && !lines[1].contains("\"probabilities\""))
    }

    @Test func saveInputWritesOnlyAPNGNameAndReplacesOnlyAPNG() throws {
        let picture = try write(seven(), "7.png")
        let modelBytes = try #require(contents(model))
        let notes = try write(Array("my notes\n".utf8), "notes.png")
        for (target, words) in [(model, "ending in .png"), (path("out.jpg"), "ending in .png"), (notes, "not a PNG file")] {
            let result = try CLI.run(["predict", "--model", model, picture, "--save-input", target])
            #expect(result.status == 1, "\(target)")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: \(target): ") && result.stderr.contains(words),
                    "\(result.stderr)")
            #expect(result.stdout.isEmpty, "nothing is classified before the target is known to be safe")
        }
        #expect(contents(model) == modelBytes)
        #expect(contents(notes) == Data("my notes\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: path("out.jpg")))

        // A PNG is replaced, whatever the case of its extension; so is an empty file.
        let earlier = try write(encodeGreyPNG(width: 3, height: 3, grey: [UInt8](repeating: 9, count: 9)), "seen.PNG")
        let empty = try write([], "empty.png")
        for target in [earlier, empty] {
            let result = try CLI.run(["predict", "--model", model, picture, "--save-input", target])
            #expect(result.status == 0, "\(result.stderr)")
            let saved = try decodePNG(readFile(target))
            #expect(saved.width == 28 && saved.height == 28)
        }

        // In a directory, a file that is not a PNG where NAME.input.png would go is left alone.
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: out.appendingPathComponent("7.input.png"))
        let blocked = try CLI.run(["predict", "--model", model, picture, "--save-input", out.path])
        #expect(blocked.status == 1 && blocked.stderrLines.filter { $0.hasPrefix("error: ") }.count == 1, "\(blocked.stderr)")
        #expect(contents(out.appendingPathComponent("7.input.png").path) == Data("keep".utf8))
    }

    @Test func aFolderIsReadInNameOrderSkippingWhatIsNoPicture() throws {
        let folder = dir.appendingPathComponent("pictures")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let bytes = seven()
        // Byte order puts "B" before "a", and "a.png" before "a0".
        for name in ["b.png", "B.png", "a.png", "a0", ".hidden.png", "sub/c.png"] {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        try Data("not a picture".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try Data("x,y\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
        try Data("damaged".utf8).write(to: folder.appendingPathComponent("broken.png"))
        let base = folder.path + "/"
        let read = ["B.png", "a.png", "a0", "b.png", "broken.png"].map { base + $0 }

        let text = try CLI.run(["predict", "--model", model, folder.path])
        #expect(text.status == 1)
        #expect(text.stdout.split(separator: "\n").map { String($0.prefix { $0 != ":" }) } == read.filter { !$0.hasSuffix("broken.png") })
        #expect(text.stderrLines.contains("warning: \(folder.path): skipped 2 files that are not a picture by name or by content"), "\(text.stderr)")
        #expect(text.stderrLines.contains { $0.hasPrefix("error: \(base)broken.png: ") }, "\(text.stderr)")
        #expect(text.stderrLines.last == "error: 1 of 5 inputs could not be classified", "\(text.stderr)")

        let json = try CLI.run(["predict", "--model", model, folder.path, "--json", "--each"])
        let objects = try json.stdout.split(separator: "\n").map(jsonObject)
        var files: [String] = []
        for object in objects { if let file = object["file"] as? String, files.last != file { files.append(file) } }
        #expect(files == read)
        #expect(objects.filter { $0["error"] != nil }.map { $0["file"] as? String } == [base + "broken.png"])
        #expect(objects.filter { $0["mark"] != nil }.count == objects.count - 1)

        let out = dir.appendingPathComponent("seen")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let saved = try CLI.run(["predict", "--model", model, folder.path, "--save-input", out.path])
        #expect(saved.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["B.input.png", "a.input.png", "a0.input.png", "b.input.png"])

        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: empty.appendingPathComponent(".DS_Store"))
        let none = try CLI.run(["predict", "--model", model, empty.path])
        #expect(none.status == 1 && none.stdout.isEmpty)
        #expect(none.stderrLines == ["error: \(empty.path): the folder holds no pictures (files ending in .png, .jpg, .jpeg, .bmp, .gif)"])
    }

    /// --show's lines (after the input form's line and the summary) fit the width, and every bar starts in the same column.
    @Test(arguments: [40, 80])
    func showFitsTheWidthAndLinesUpTheBars(columns: Int) throws {
        let picture = try write(seven(), "7.png")
        let result = try CLI.run(["predict", "--model", model, picture, "--show"], environment: ["COLUMNS": String(columns)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("input form: none\n"), "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).dropLast().map(String.init)
        for line in lines { #expect(line.count <= columns, "\(line.count) > \(columns): \(line)") }
        // Each class's bar: its label, its percentage; the picture's characters hold no letters.
        let percentColumns = try (0..<10).map { k in
            let label = "\(k) \(Self.names[k]) "
            let line = try #require(lines.first { $0.contains(label) }, "no bar for \(label)")
            let percentSign = try #require(line[line.range(of: label)!.upperBound...].firstIndex(of: "%"))
            return line.distance(from: line.startIndex, to: percentSign)
        }
        #expect(Set(percentColumns).count == 1, "\(result.stdout)")
        // Long names leave no room beside a full-size picture: it is drawn at half size, 14 lines,
        // beside the bars at 80 columns and above them at 40.
        #expect(lines.count == (columns == 40 ? 14 + 10 : 14), "\(result.stdout)")

        // A model without names has room for the full-size picture at 80 columns.
        let digits = dir.appendingPathComponent("digits.bin").path
        #expect(try CLI.run(["train", "--data", dir.path, "--hidden", "8", "--epochs", "1", "--out", digits]).status == 0)
        let plain = try CLI.run(["predict", "--model", digits, picture, "--show"], environment: ["COLUMNS": String(columns)])
        let plainLines = plain.stdout.split(separator: "\n").dropFirst(2)
        #expect(plainLines.allSatisfy { $0.count <= columns })
        #expect(plainLines.count == (columns == 80 ? 28 : 14 + 10), "\(plain.stdout)")
    }
}
