import Foundation
import Testing
@testable import MNISTData

/// The pictures' building blocks, checked by decoding what they draw.
@Suite struct PictureTests {
    /// Weights derived from the index: both signs, a spread of sizes, one exact zero per tile.
    private func weights(tile k: Int, side: Int) -> [Float] {
        (0..<(side * side)).map { i in i == 5 ? 0 : Float(sin(Double(i) * 1.7 + Double(k))) * Float(k + 1) }
    }

    @Test func rgbPNGRoundTripsThroughTheDecoder() throws {
        var canvas = PictureCanvas(width: 7, height: 5)
        for y in 0..<5 { for x in 0..<7 { canvas[x, y] = RGBColour(UInt8(x * 30), UInt8(y * 50), UInt8((x * y * 13) % 256)) } }
        let png = canvas.encodedPNG()
        #expect(png[25] == 2, "IHDR colour type")
        let decoded = try decodePNG(png)
        #expect(decoded.width == 7 && decoded.height == 5)
        for y in 0..<5 {
            for x in 0..<7 {
                let i = (y * 7 + x) * 4
                #expect(RGBColour(decoded.pixels[i], decoded.pixels[i + 1], decoded.pixels[i + 2]) == canvas[x, y])
                #expect(decoded.pixels[i + 3] == 255)
            }
        }
    }

    @Test func divergingColoursGiveTheSignAsHueAndTheSizeAsDistanceFromWhite() {
        #expect(divergingColour(0) == .white)
        #expect(divergingColour(1) == positiveColour && divergingColour(-1) == negativeColour)
        #expect(divergingColour(3) == positiveColour, "clamped")
        let steps = stride(from: Float(0.1), through: 1, by: 0.1).map { $0 }
        for t in steps {
            let red = divergingColour(t), blue = divergingColour(-t)
            #expect(red.r > red.b && blue.b > blue.r, "t \(t)")
        }
        for (a, b) in zip(steps, steps.dropFirst()) {
            for sign in [Float(1), -1] {
                let weaker = divergingColour(sign * a), stronger = divergingColour(sign * b)
                #expect(stronger.r <= weaker.r && stronger.g < weaker.g && stronger.b <= weaker.b, "\(sign * a) vs \(sign * b)")
            }
        }
    }

    @Test func weightTilesFollowEachTilesWeights() throws {
        let side = 6, tiles = (0..<5).map { weights(tile: $0, side: side) }
        let picture = weightTilesPicture(tiles, imageWidth: side, imageHeight: side, captions: (0..<5).map { [String($0)] }, scale: 2)
        let decoded = try decodePNG(picture.canvas.encodedPNG())
        func colour(_ x: Int, _ y: Int) -> RGBColour {
            let i = (y * decoded.width + x) * 4
            return RGBColour(decoded.pixels[i], decoded.pixels[i + 1], decoded.pixels[i + 2])
        }
        for (k, w) in tiles.enumerated() {
            let origin = picture.grid.tileOrigin(k), largest = w.map(abs).max()!
            var seen: [(size: Float, paleness: Int)] = []  // paleness: the sum of the channels
            for y in 0..<side {
                for x in 0..<side {
                    let v = w[y * side + x]
                    // Every pixel of the scale x scale block is the weight's colour.
                    for (dx, dy) in [(0, 0), (1, 1)] {
                        #expect(colour(origin.x + 2 * x + dx, origin.y + 2 * y + dy) == divergingColour(v / largest))
                    }
                    let c = colour(origin.x + 2 * x, origin.y + 2 * y)
                    // Sign → hue (weights under 1% of the tile's largest may round to white).
                    if v > largest / 100 { #expect(c.r > c.b, "tile \(k) (\(x),\(y)) weight \(v)") }
                    if v < -largest / 100 { #expect(c.b > c.r, "tile \(k) (\(x),\(y)) weight \(v)") }
                    if v == 0 { #expect(c == .white) }
                    seen.append((v, Int(c.r) + Int(c.g) + Int(c.b)))
                }
            }
            // Magnitude → saturation, on each side of zero: a larger |w| is never paler (per-tile scale).
            for side in [seen.filter { $0.size > 0 }, seen.filter { $0.size < 0 }] {
                let sorted = side.sorted { abs($0.size) < abs($1.size) }
                for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(b.paleness <= a.paleness, "tile \(k): \(a) then \(b)") }
            }
            let strongest = seen.max { abs($0.size) < abs($1.size) }!
            #expect(strongest.paleness == (strongest.size > 0 ? positiveColour : negativeColour).lightness, "full colour at max |w|")
        }
    }

    @Test func imageTilesAreTheImagesPixelForPixel() throws {
        let images: [[UInt8]] = (0..<7).map { (k: Int) -> [UInt8] in
            (0..<(28 * 28)).map { (i: Int) -> UInt8 in UInt8((i * 7 + k * 31) % 256) }
        }
        let picture = imageTilesPicture(images, imageWidth: 28, imageHeight: 28, captions: images.indices.map { ["\($0)→9", "88%"] })
        let decoded = try decodePNG(picture.canvas.encodedPNG())
        for (k, image) in images.enumerated() {
            let origin = picture.grid.tileOrigin(k)
            for y in 0..<28 {
                for x in 0..<28 {
                    let row: Int = origin.y + 2 * y + 1, column: Int = origin.x + 2 * x + 1
                    let i = (row * decoded.width + column) * 4, expected = image[y * 28 + x]
                    #expect(decoded.pixels[i] == expected && decoded.pixels[i + 2] == expected)
                }
            }
        }
        #expect(picture.grid.captionLines == 2 && picture.grid.columns == 3 && picture.grid.rows == 3)
    }

    @Test func heatMapCellsDarkenAsTheirCountsGrow() throws {
        let classes = 4, counts = [900, 3, 0, 12, 1, 850, 40, 0, 7, 7, 300, 2, 0, 100, 5, 60]
        let drawn = confusionHeatMapPicture(counts: counts, classes: classes, rowLabels: ["0", "1 shirt", "2", "3"])
        let decoded = try decodePNG(drawn.canvas.encodedPNG())
        func lightness(_ row: Int, _ column: Int) -> Int {
            let origin = drawn.layout.cellOrigin(row: row, column: column)
            let i = ((origin.y + 2) * decoded.width + origin.x + 2) * 4  // a corner, clear of the number
            return Int(decoded.pixels[i]) + Int(decoded.pixels[i + 1]) + Int(decoded.pixels[i + 2])
        }
        let cells = (0..<counts.count).map { (count: counts[$0], lightness: lightness($0 / classes, $0 % classes)) }
        for a in cells {
            for b in cells where a.count < b.count { #expect(a.lightness > b.lightness, "\(a) vs \(b)") }
            for b in cells where a.count == b.count { #expect(a.lightness == b.lightness) }
        }
        #expect(cells.first { $0.count == 0 }!.lightness == 3 * 255, "no count, no colour")
        // The count is written in its cell: ink of the other colour in the middle of a nonzero cell.
        let centre = drawn.layout.cellOrigin(row: 0, column: 0)
        let inked = (0..<drawn.layout.cellSize).contains { dx in
            drawn.canvas[centre.x + dx, centre.y + drawn.layout.cellSize / 2] == .white
        }
        #expect(inked, "900 written in white on the darkest cell")
    }

    @Test func fontDrawsItsGlyphsAndFallsBackToCapitalsAndQuestionMarks() {
        var canvas = PictureCanvas(width: 40, height: 10)
        canvas.draw("1a€", x: 1, y: 1)
        for row in 0..<7 {
            for column in 0..<5 {
                #expect((canvas[1 + column, 1 + row] == .black) == BitmapFont.isInk("1", column: column, row: row))
                #expect((canvas[7 + column, 1 + row] == .black) == BitmapFont.isInk("A", column: column, row: row))
                #expect((canvas[13 + column, 1 + row] == .black) == BitmapFont.isInk("?", column: column, row: row))
            }
        }
        #expect(BitmapFont.isInk("→", column: 4, row: 3) && !BitmapFont.isInk("→", column: 0, row: 0))
        #expect(BitmapFont.width(of: "") == 0 && BitmapFont.width(of: "ab") == 11 && BitmapFont.width(of: "ab", scale: 2) == 22)
        #expect(BitmapFont.glyphs.values.allSatisfy { $0.count == 7 && $0.allSatisfy { $0.count == 5 } })
        for name in ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", "100%"] {
            #expect(name.allSatisfy { BitmapFont.glyph(for: $0) != BitmapFont.glyphs["?"] }, "\(name) has a glyph for every letter")
        }
    }

    @Test func base64MatchesRFC4648() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors { #expect(base64Encoded(Array(plain.utf8)) == encoded) }
        #expect(base64Encoded([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(pngDataURI([0x89]) == "data:image/png;base64,iQ==")
    }

    @Test func markupEscapingLeavesNoMarkupAndNothingAnXMLParserRejects() {
        #expect(markupEscaped("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        #expect(markupEscaped("a\u{1}b\u{FFFF}\tc\n") == "a\u{FFFD}b\u{FFFD}\tc\n")
        #expect(markupEscaped("T-shirt/top é 7→2") == "T-shirt/top é 7→2")
    }

    @Test func ticksAreRoundAndCoverTheRange() {
        #expect(ticks(0, 100, about: 5) == [0, 20, 40, 60, 80, 100])
        #expect(ticks(0, 1, about: 5).count == 6)
        #expect(ticks(1, 10, about: 8) == [2, 4, 6, 8, 10])
        #expect(ticks(0.9, 1, about: 5).first! >= 0.9 && ticks(0.9, 1, about: 5).last! <= 1)
        #expect(ticks(1, 1, about: 5) == [1])
    }
}

extension RGBColour {
    var lightness: Int { Int(r) + Int(g) + Int(b) }
}
