import Foundation
import MLPCore
@testable import MNISTData
import Testing
import TestSupport

/// `draw` and `report` end to end on the synthetic dataset: each picture decoded with our own
/// PNG decoder and checked against the numbers it shows.
@Suite final class PictureRunTests {
    let dir: URL
    var data: String { dir.path }
    let model: String

    init() throws {
        dir = try SyntheticDataset.inTemporaryDirectory()
        model = dir.appendingPathComponent("m.bin").path
        // One short epoch at a small rate: a model that still makes mistakes to draw.
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "16", "--epochs", "1", "--lr", "0.02",
                                   "--batch-size", "32", "--seed", "5", "--out", model])
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    private func checkpoint() throws -> Checkpoint { try Checkpoint(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: model)))) }
    private func decoded(_ file: String) throws -> RGBAImage { try decodePNG(Array(try Data(contentsOf: URL(fileURLWithPath: file)))) }

    @Test func templateTilesFollowTheChosenUnitsColumnsOfW1() throws {
        let out = path("t.png")
        let drawn = try CLI.run(["draw", "templates", model, "--units", "3,7", "--output", out])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let image = try decoded(out), m = try checkpoint().model
        let grid = TileGrid(count: 2, columns: squareGridColumns(2), tileWidth: 56, tileHeight: 56, captions: [["3"], ["7"]])
        #expect(drawn.stdout == "wrote \(out): 2 of 16 hidden units, \(grid.width)x\(grid.height)\n")
        #expect(image.width == grid.width && image.height == grid.height)
        for (tile, unit) in [3, 7].enumerated() {
            let w = (0..<784).map { m.parameters[$0 * 16 + unit] }, largest = w.map(abs).max()!
            let origin = grid.tileOrigin(tile)
            var agreeing = 0, mismatched: [String] = []
            for y in 0..<28 {
                for x in 0..<28 {
                    let i = ((origin.y + 2 * y) * image.width + origin.x + 2 * x) * 4
                    let colour = RGBColour(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
                    let v = w[y * 28 + x]
                    if colour != divergingColour(v / largest) { mismatched.append("(\(x),\(y)): \(colour) for weight \(v)") }
                    if (v > largest / 100 && colour.r > colour.b) || (v < -largest / 100 && colour.b > colour.r) { agreeing += 1 }
                }
            }
            #expect(mismatched.isEmpty, "unit \(unit): \(mismatched.count) pixels off, first \(mismatched.first ?? "")")
            #expect(agreeing > 700, "sign → hue for unit \(unit): \(agreeing) of 784")
        }
    }

    @Test func classTilesShowW1TimesW2() throws {
        let out = path("c.png")
        #expect(try CLI.run(["draw", "classes", model, "-o", out]).status == 0)
        let image = try decoded(out), m = try checkpoint().model
        let grid = TileGrid(count: 10, columns: 5, tileWidth: 84, tileHeight: 84, captions: (0..<10).map { [String($0)] })
        #expect(image.width == grid.width && image.height == grid.height)
        for c in [0, 9] {
            let template = m.classTemplate(c), largest = template.map(abs).max()!, origin = grid.tileOrigin(c)
            for (x, y) in [(5, 5), (14, 14), (20, 9)] {
                let i = ((origin.y + 3 * y + 1) * image.width + origin.x + 3 * x + 1) * 4
                #expect(RGBColour(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
                        == divergingColour(template[y * 28 + x] / largest), "class \(c) (\(x),\(y))")
            }
        }
    }

    @Test func mistakeTilesAreTheTestImagesTheModelGotWrong() throws {
        let out = path("mistakes.png")
        let drawn = try CLI.run(["draw", "mistakes", model, "--data", data, "--limit", "5", "--output", out])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        // The mistakes, recomputed: every test image through the classifier, most confident first.
        let test = try loadSplit(.test, from: data, classCount: 10)
        let classifier = Classifier(trained: try checkpoint())
        var wrong: [(index: Int, label: Int, predicted: Int, confidence: Float)] = []
        for i in 0..<test.count {
            let p = classifier.probabilities(Array(test.images[(i * 784)..<((i + 1) * 784)]))
            let predicted = p.indices.max { p[$0] < p[$1] }!
            if predicted != Int(test.labels[i]) { wrong.append((i, Int(test.labels[i]), predicted, p[predicted])) }
        }
        wrong.sort { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.index < $1.index }
        try #require(wrong.count >= 5, "the model should still make mistakes; it made \(wrong.count)")
        #expect(drawn.stdout.contains(": 5 of \(wrong.count) mistakes"), "\(drawn.stdout)")
        let captions = wrong.prefix(5).map { ["\($0.label)→\($0.predicted)", "\(Int((Double($0.confidence) * 100).rounded()))%"] }
        let grid = TileGrid(count: 5, columns: 5, tileWidth: 56, tileHeight: 56, captions: captions)
        let image = try decoded(out)
        #expect(image.width == grid.width && image.height == grid.height)
        for (tile, mistake) in wrong.prefix(5).enumerated() {
            let origin = grid.tileOrigin(tile)
            var differing = 0
            for y in 0..<28 {
                for x in 0..<28 {
                    let i = ((origin.y + 2 * y + 1) * image.width + origin.x + 2 * x + 1) * 4
                    if image.pixels[i] != test.images[mistake.index * 784 + y * 28 + x] { differing += 1 }
                }
            }
            #expect(differing == 0, "tile \(tile) is test image \(mistake.index)")
        }
    }

    @Test func heatMapCellsOrderWithTheConfusionCounts() throws {
        let out = path("confusion.png")
        #expect(try CLI.run(["draw", "confusion", model, "--data", data, "-o", out]).status == 0)
        let evaluated = try jsonObject(Substring(try CLI.run(["eval", model, "--data", data, "--json"]).stdout.dropLast()))
        let counts = try #require(evaluated["confusion"] as? [[Int]]).flatMap { $0 }
        let layout = HeatMapLayout(classes: 10, rowLabels: (0..<10).map(String.init), largestCount: counts.max()!)
        let image = try decoded(out)
        #expect(image.width == layout.width && image.height == layout.height)
        func lightness(_ cell: Int) -> Int {
            let origin = layout.cellOrigin(row: cell / 10, column: cell % 10)
            let i = ((origin.y + 2) * image.width + origin.x + 2) * 4
            return Int(image.pixels[i]) + Int(image.pixels[i + 1]) + Int(image.pixels[i + 2])
        }
        #expect(Set(counts).count >= 3, "a confusion matrix with some spread: \(counts)")
        for a in 0..<100 {
            for b in 0..<100 where counts[a] < counts[b] { #expect(lightness(a) > lightness(b), "cells \(a) and \(b)") }
        }
    }

    @Test func picturesRefuseWhatTheyCannotDoWithOneErrorLine() throws {
        let wrongExtension = try CLI.run(["draw", "templates", model, "--output", path("t.svg")])
        #expect(wrongExtension.status == 64 && wrongExtension.stderrLines.count == 1)
        #expect(wrongExtension.stderr.hasPrefix("error: --output ") && wrongExtension.stderr.contains(".png"))
        let beyond = try CLI.run(["draw", "templates", model, "--units", "3,16", "--output", path("t.png")])
        #expect(beyond.status == 64 && beyond.stderr == "error: \(model): has 16 hidden units (0-15); --units names unit 16\n")
        #expect(try CLI.run(["draw", "templates", model, "--units", "5-2"]).status == 64)
        var old = try checkpoint()
        old.history = []  // as a model file from before histories were kept
        let oldModel = try Fixtures.write(old.encoded(), to: dir, name: "old.bin")
        let noHistory = try CLI.run(["draw", "curves", oldModel, "--output", path("c.svg")])
        #expect(noHistory.status == 1 && noHistory.stderrLines.count == 1 && noHistory.stderr.contains("history"))
        let intoDirectory = try CLI.run(["draw", "classes", model, "--output", dir.path + "/sub.png/"])
        #expect(intoDirectory.status != 0 && intoDirectory.stderrLines.count == 1)
        let overModel = try CLI.run(["report", model, "--data", data, "--output", model])
        #expect(overModel.status == 64 && overModel.stderr.contains("give a file name ending in .html"))
        #expect(try checkpoint().model.shape.hidden == 16, "the model is untouched")
        let missing = try CLI.run(["report", path("none.bin"), "--data", data, "--output", path("r.html")])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: \(path("none.bin")): no such file"))
        #expect(!FileManager.default.fileExists(atPath: path("t.png")) && !FileManager.default.fileExists(atPath: path("r.html")),
                "nothing written, not even half a file")
    }

    @Test func reportIsOnePageThatParsesNamesNoURLAndEscapesWhatCameFromFiles() throws {
        // A data folder whose path is markup, with both quotes and an ampersand.
        let hostile = dir.appendingPathComponent("x<script>alert(1)<").appendingPathComponent("script>&\"'")
        try FileManager.default.createDirectory(at: hostile, withIntermediateDirectories: true)
        try SyntheticDataset.write(to: hostile)
        let out = path("report.html")
        let written = try CLI.run(["report", model, "--data", hostile.path, "--output", out])
        #expect(written.status == 0, "\(written.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script"), "the folder's name stayed text")
        #expect(html.utf8.count < 3 << 20)
        let parsed = parseXML(html)
        #expect(parsed.error == nil, "\(parsed.error ?? "")")
        #expect(parsed.text.contains("Test split of \(hostile.path): 100 images"))
        let images = parsed.elements(named: "img").compactMap { $0["src"] }
        #expect(images.count == 4, "confusion, templates, class templates, mistakes")
        for src in images {
            #expect(src.hasPrefix("data:image/png;base64,"))
            let png = try #require(Data(base64Encoded: String(src.dropFirst("data:image/png;base64,".count))))
            #expect(try decodePNG(Array(png)).width > 100)
        }
        #expect(parsed.elements(named: "td").count > 20)
        #expect(parsed.elements.allSatisfy { !["script", "link", "iframe", "object"].contains($0.name) })
        #expect(parsed.elements.allSatisfy { $0.attributes.values.allSatisfy { !$0.hasPrefix("file:") && !$0.hasPrefix("//") } })
    }

    @Test func curvesFollowTheHistoryTheModelKeeps() throws {
        let longer = path("three.bin")
        let trained = try CLI.run(["train", "--data", data, "--hidden", "16", "--epochs", "3", "--lr", "0.02",
                                   "--batch-size", "32", "--seed", "5", "--out", longer, "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        // One line per epoch, then the summary, which has no loss.
        let losses = try trained.stdout.split(separator: "\n").compactMap { try jsonObject($0)["loss"] as? Double }
        #expect(losses.count == 3, "\(trained.stdout)")
        let out = path("curves.svg")
        let drawn = try CLI.run(["draw", "curves", longer, "--output", out])
        #expect(drawn.status == 0 && drawn.stdout == "wrote \(out): 3 epochs\n", "\(drawn.stderr)")
        let parsed = parseXML(try String(contentsOfFile: out, encoding: .utf8))
        #expect(parsed.error == nil, "\(parsed.error ?? "")")
        let lines = parsed.elements(named: "polyline").filter { $0["class"] == "series" }
        #expect(lines.compactMap { $0["data-name"] } == ["training loss", "train", "test"])
        let lossY = try #require(lines.first?["points"]).split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        #expect(lossY.count == 3)
        // Page y grows downwards: the higher loss sits higher on the page, in the same order.
        for i in 0..<3 {
            for j in 0..<3 where losses[i] > losses[j] { #expect(lossY[i] < lossY[j], "epochs \(i + 1) and \(j + 1): \(losses)") }
        }
        let report = path("three.html")
        #expect(try CLI.run(["report", longer, "--data", data, "--output", report]).status == 0)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let page = parseXML(html)
        #expect(page.error == nil && page.elements(named: "svg").count == 1 && !html.contains("xmlns"))
        #expect(page.elements(named: "polyline").filter { $0["class"] == "series" }.count == 3)
        #expect(page.text.contains(fixed(losses[2], 4)), "the history table shows the last loss")
    }

    @Test func classNamesLabelThePicturesAndStayTextInTheReport() throws {
        let names = ["T-shirt/top", "<b>Trouser</b>", "Pull & over", "\"Dress\"", "Coat's", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        let namesFile = try Fixtures.write(Array(names.joined(separator: "\n").utf8), to: dir, name: "names.txt")
        let named = path("named.bin")
        #expect(try CLI.run(["train", "--data", data, "--hidden", "16", "--epochs", "1", "--lr", "0.02", "--batch-size", "32",
                             "--seed", "5", "--classes", namesFile, "--out", named]).status == 0)
        let confusion = path("named-confusion.png")
        #expect(try CLI.run(["draw", "confusion", named, "--data", data, "-o", confusion]).status == 0)
        let counts = try #require(try jsonObject(Substring(try CLI.run(["eval", named, "--data", data, "--json"]).stdout.dropLast()))["confusion"] as? [[Int]]).flatMap { $0 }
        let layout = HeatMapLayout(classes: 10, rowLabels: names.enumerated().map { "\($0.offset) \($0.element)" }, largestCount: counts.max()!)
        let image = try decoded(confusion)
        #expect(image.width == layout.width && layout.left > 60, "rows labelled with the names")
        let report = path("named.html")
        #expect(try CLI.run(["report", named, "--data", data, "--output", report]).status == 0)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let parsed = parseXML(html)
        #expect(parsed.error == nil, "\(parsed.error ?? "")")
        #expect(parsed.elements(named: "b").isEmpty && html.contains("&lt;b&gt;Trouser&lt;/b&gt;"))
        for name in names { #expect(parsed.text.contains(name), "\(name) in the per-class table") }
    }

    @Test(.enabled(if: CLI.skipNotice(Browser.chromium != nil,
                                      "chromium not installed (apt-get install chromium): the report is parsed, not opened")))
    func reportOpensInARealBrowser() throws {
        let out = path("report.html"), shot = path("shot.png")
        #expect(try CLI.run(["report", model, "--data", data, "--output", out]).status == 0)
        try Browser.screenshot(of: out, to: shot, width: 900, height: 1400, scratch: dir)
        let image = try decoded(shot)
        #expect(image.width == 900 && image.height == 1400)
        var nonWhite = 0, heatCells = 0
        for i in stride(from: 0, to: image.pixels.count, by: 4) {
            let (r, g, b) = (Int(image.pixels[i]), Int(image.pixels[i + 1]), Int(image.pixels[i + 2]))
            if r + g + b < 700 { nonWhite += 1 }
            if b > r + 60 && b > 80 { heatCells += 1 }
        }
        #expect(nonWhite > image.width * image.height / 50, "the page is drawn: \(nonWhite) non-white pixels")
        #expect(heatCells > 1000, "the confusion heat map shows: \(heatCells) blue pixels")
    }
}

/// A headless browser, when one is installed (.ci/run installs Debian's chromium).
enum Browser {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Opens `page` and saves what it shows; its profile lives in `scratch`, never in $HOME.
    static func screenshot(of page: String, to png: String, width: Int, height: Int, scratch: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(scratch.appendingPathComponent("chromium-profile").path)",
                             "--screenshot=\(png)", "--window-size=\(width),\(height)", URL(fileURLWithPath: page).absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "chromium exit status")
    }
}
