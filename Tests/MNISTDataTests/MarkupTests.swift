import Foundation
import Testing
import TestSupport
@testable import MNISTData

/// The SVG charts and the HTML page parse as XML, and what came from files stays text.
@Suite struct MarkupTests {
    static let hostile = "<script>alert(\"x\")</script> & 'q' ]]> \u{1}"

    @Test func htmlPageParsesAndEveryTextComesBackAsGiven() throws {
        var page = HTMLPage(title: Self.hostile)
        page.heading(Self.hostile)
        page.paragraph("path: " + Self.hostile)
        page.table(header: ["name", Self.hostile], rows: [[Self.hostile, "1"]], className: "x\"y")
        page.image(png: PictureCanvas(width: 2, height: 2).encodedPNG(), width: 4, height: 4, alt: Self.hostile)
        let html = page.html
        let parsed = parseXML(html)
        #expect(parsed.error == nil, "\(parsed.error ?? "")")
        #expect(parsed.elements(named: "script").isEmpty, "no element came from the text")
        let shown = Self.hostile.replacingOccurrences(of: "\u{1}", with: "\u{FFFD}")
        #expect(parsed.text.components(separatedBy: shown).count - 1 == 6, "title, h1, h2, p, a header cell, a cell")
        #expect(parsed.elements(named: "img").first?["alt"] == shown)
        let src = try #require(parsed.elements(named: "img").first?["src"])
        #expect(src.hasPrefix("data:image/png;base64,"))
        let png = try #require(Data(base64Encoded: String(src.dropFirst("data:image/png;base64,".count))))
        #expect(try decodePNG(Array(png)).width == 2)
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test func learningCurvesParseAndTheirLinesFollowTheValues() throws {
        let loss: [Double?] = [0.9, 0.5, 0.3, 0.25, 0.2]
        let train = ChartSeries(name: "train", values: [0.80, 0.90, 0.93, 0.95, 0.96], colour: curveColours[0])
        let test = ChartSeries(name: "test <&>", values: [0.85, nil, 0.92, 0.94, 0.95], colour: curveColours[2])
        let svg = learningCurvesSVG(loss: loss, accuracies: [train, test], standalone: true) { v, p in p ? "\(Int(v * 100))%" : "\(v)" }
        let parsed = parseXML(svg)
        #expect(parsed.error == nil, "\(parsed.error ?? "")")
        #expect(parsed.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(!learningCurvesSVG(loss: loss, accuracies: [train], standalone: false) { _, _ in "" }.contains("http"))
        let lines = parsed.elements(named: "polyline").filter { $0["class"] == "series" }
        // test's line breaks where it was not measured: its lone first point is a dot, the rest a line.
        #expect(lines.map { $0["data-name"] } == ["training loss", "train", "test <&>"])
        #expect(lines[2]["points"]?.split(separator: " ").count == 3)
        func points(_ line: [String: String]) -> [(x: Double, y: Double)] {
            line["points"]!.split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                return (xy[0], xy[1])
            }
        }
        let lossPoints = points(lines[0]), trainPoints = points(lines[1])
        #expect(lossPoints.count == 5 && trainPoints.count == 5)
        // SVG's y grows downwards: a falling loss climbs down the page... so y grows; a rising accuracy, y shrinks.
        for (a, b) in zip(lossPoints, lossPoints.dropFirst()) { #expect(b.x > a.x && b.y > a.y) }
        for (a, b) in zip(trainPoints, trainPoints.dropFirst()) { #expect(b.x > a.x && b.y < a.y) }
        // Equal steps in value are equal steps on the page.
        let dy1 = lossPoints[3].y - lossPoints[2].y, dy2 = lossPoints[4].y - lossPoints[3].y
        #expect(abs(dy1 - dy2) < 0.25)
        #expect(parsed.elements(named: "circle").count == 5 + 5 + 4, "a dot per measured point")
        #expect(parsed.text.contains("test <&>") && parsed.text.contains("90%"))
    }

    @Test func aOneEpochHistoryStillShowsItsPoints() {
        let svg = learningCurvesSVG(loss: [0.4], accuracies: [ChartSeries(name: "train", values: [0.9], colour: .black)],
                                    standalone: false) { v, _ in "\(v)" }
        let parsed = parseXML(svg)
        #expect(parsed.error == nil)
        #expect(parsed.elements(named: "circle").count == 2)
        #expect(parsed.elements(named: "polyline").filter { $0["class"] == "series" }.isEmpty)
    }
}
