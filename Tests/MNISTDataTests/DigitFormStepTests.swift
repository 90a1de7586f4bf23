import Testing
import TestSupport
@testable import MNISTData

/// The steps of `readDigits`, each on inputs whose answer can be worked out by hand.
struct DigitFormStepTests {
    // MARK: Views and noise

    @Test func lightnessCompositesOverWhiteAndKeepsTheAlpha() {
        let image = GreyAlphaImage(RGBAImage(width: 4, height: 1, pixels: [255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 102, 10, 20, 30, 255]))
        let views = pictureViews(image)
        // Luma (299 R + 587 G + 114 B) / 1000 of each colour, then over white by its alpha.
        let expected: [Float] = [0.299 * 255, 255, 255 * (1 - 0.4), 0.299 * 10 + 0.587 * 20 + 0.114 * 30]
        for (v, e) in zip(views.lightness.values, expected) { #expect(abs(v - e) < 0.01) }
        #expect(views.alpha.values == [255, 0, 102, 255])
        // 2x2 blocks: the mean of each block (partial ones at the edge average what they have).
        let grey = GreyAlphaImage(width: 3, height: 2, grey: [0, 65535, 0, 65535, 0, 65535], alpha: [UInt16](repeating: 65535, count: 6), bitDepth: 16)
        #expect(pictureViews(grey, shrinkingBy: 2).lightness.values == [127.5, 127.5])
    }

    @Test func noiseIsMeasuredFromNeighboursAndCleanPicturesHaveNone() {
        let clean = greyImage(60, 40) { x, y in (20..<30).contains(x) ? 0 : 255 }
        #expect(noiseLevel(clean) == 0)
        // Gaussian noise of standard deviation 5 around 128, a stroke through it.
        let noisy = greyImage(200, 200) { x, y in (90..<100).contains(x) ? 20 : 128 + 5 * gaussianNoise(x, y, salt: 11) }
        #expect(abs(noiseLevel(noisy) - 5) < 0.5)
    }

    @Test func smoothingIsABinomialBlurThatKeepsFlatAreas() {
        let flat = greyImage(5, 4) { _, _ in 42 }
        #expect(smoothed(flat) == flat)
        let impulse = smoothed(greyImage(5, 5) { x, y in x == 2 && y == 2 ? 16 : 0 })
        #expect(impulse.values == [0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 2, 4, 2, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0])
    }

    @Test func otsuSplitsTwoLevelsAndTellsARampFromThem() throws {
        let two = try #require(otsuSplit((0..<100).map { $0 < 30 ? Float(10) : 200 }))
        #expect(two.threshold > 10 && two.threshold <= 200)
        // Each value counts at its bin's centre: within half a bin (190 / 512) of the true means.
        #expect(abs(two.darkMean - 10) <= 190 / 512 && abs(two.lightMean - 200) <= 190 / 512 && two.separation > 0.999)
        // An even ramp: split in the middle, 3/4 of its variance between the halves.
        let ramp = try #require(otsuSplit((0..<1000).map { Float($0) }))
        #expect(abs(ramp.threshold - 500) < 5)
        #expect(abs(ramp.separation - 0.75) < 0.01)
        #expect(otsuSplit([3, 3, 3]) == nil)
    }

    @Test func aPlaneOfLightIsFittedAndASpeckIgnored() {
        let lit = greyImage(30, 20) { x, y in 100 + 2 * Float(x) - 3 * Float(y) }
        var samples = (0..<600).map { (x: $0 % 30, y: $0 / 30) }
        var spotted = lit
        spotted[7, 7] = 0  // a speck among the samples
        let plane = SurfacePlane(fitting: samples, in: spotted)
        for (x, y) in [(0, 0), (29, 19), (7, 7)] { #expect(abs(plane.level(x, y) - lit[x, y]) < 1e-2) }
        samples = [(3, 4)]  // one sample: a flat level
        #expect(SurfacePlane(fitting: samples, in: lit).level(20, 10) == lit[3, 4])
    }

    // MARK: Regions and what they are

    @Test func regionsNestAsTheyAreDrawn() {
        // White paper; a black ring (rows and columns 4...15 minus 6...13); white inside it; a black
        // dot at (9...10, 9...10).
        let image = greyImage(20, 20) { x, y in
            let ring = (4...15).contains(x) && (4...15).contains(y) && !((6...13).contains(x) && (6...13).contains(y))
            let dot = (9...10).contains(x) && (9...10).contains(y)
            return ring || dot ? 0 : 255
        }
        let rs = regions(of: image, splitAt: 128)
        #expect(rs.regions.count == 4 && rs.outerIsLight)
        let paper = rs[0], ring = rs[1], inside = rs[2], dot = rs[3]
        #expect(paper.touchesBorder && paper.parent == -1 && paper.children == [1])
        #expect(ring.parent == 0 && ring.children == [2] && !ring.isLight)
        #expect(inside.parent == 1 && inside.children == [3] && dot.parent == 2)
        #expect(ring.area == 144 - 64 && ring.filledArea == 144 && paper.filledArea == 400)
        #expect(dot.bounds == (9, 9, 2, 2) && dot.level == 0)
    }

    @Test func aFormBoxIsAFrameAndTheDigitInsideItIsTheMark() throws {
        // A 1-pixel box around a bar on paper: the box is dropped, the paper inside is the surface.
        let image = greyImage(60, 60) { x, y in
            let box = (5...54).contains(x) && (5...54).contains(y) && !((6...53).contains(x) && (6...53).contains(y))
            let bar = (28...31).contains(x) && (15...44).contains(y)
            return box || bar ? 0 : 255
        }
        let rs = regions(of: image, splitAt: 128)
        let found = try #require(findDigits(rs, smooth: image, noise: 0, quantum: 1))
        #expect(found.digits.count == 1)
        #expect(found.digits[0].bounds == (28, 15, 4, 30))
    }

    @Test func piecesOfOneDigitGroupButTwoDigitsAndSpecksStayApart() throws {
        // Left: a 5's body (a ring-less hook, here a 12x14 block outline) with its bar detached
        // above; right: two tall bars side by side ("11"); a 2x2 speck far from both.
        let image = greyImage(120, 60) { x, y in
            let body = (10...24).contains(x) && (24...45).contains(y) && !((13...21).contains(x) && (27...42).contains(y) && x > 12)
            let bar = (12...26).contains(x) && (17...19).contains(y)
            let ones = ((70...72).contains(x) || (84...86).contains(x)) && (15...45).contains(y)
            let speck = (110...111).contains(x) && (2...3).contains(y)
            return body || bar || ones || speck ? 0 : 255
        }
        let rs = regions(of: image, splitAt: 128)
        let found = try #require(findDigits(rs, smooth: image, noise: 0, quantum: 1))
        #expect(found.digits.map(\.bounds.x) == [10, 70, 84])
        #expect(found.digits[0].marks.count == 2 && found.digits[0].bounds == (10, 17, 17, 29))
        #expect(found.main == 0)
    }

    @Test func convexHullsAndShapes() {
        #expect(convexHullArea([(0, 0), (4, 0), (4, 3), (0, 3), (2, 1)]) == 12)
        #expect(convexHullArea([(0, 0), (6, 0), (0, 4)]) == 12)
        func moments(_ pixels: [(Int, Int)]) -> Moments {
            var m = Moments()
            for (x, y) in pixels {
                m.count += 1; m.sumX += Double(x); m.sumY += Double(y)
                m.sumXX += Double(x * x); m.sumYY += Double(y * y); m.sumXY += Double(x * y)
            }
            return m
        }
        let dash = moments((0..<40).flatMap { x in (0..<3).map { (x, $0) } })
        let upright = moments((0..<40).flatMap { y in (0..<3).map { ($0, y) } })
        let disc = moments((-6...6).flatMap { x in (-6...6).compactMap { x * x + $0 * $0 <= 36 ? (x, $0) : nil } })
        #expect(abs(dash.degreesFromVertical - 90) < 1e-9 && upright.degreesFromVertical < 1e-9)
        #expect(markShape(dash, boxArea: 120, hasHole: false, convex: true) == .line)
        #expect(markShape(upright, boxArea: 120, hasHole: false, convex: true) == .digit)
        #expect(markShape(disc, boxArea: 169, hasHole: false, convex: true) == .dot)
        #expect(markShape(disc, boxArea: 169, hasHole: true, convex: true) == .digit)  // an 0
    }

    // MARK: Strokes

    @Test func strokeWidthOfABarIsItsWidth() {
        // A solid w x l bar: area w l; its outline is 2 (w + l) steps, but at the far corner both
        // steps fall on one pixel and count as a diagonal one, sqrt 2 instead of 2. Then 2 A / P is
        // within 2% of w l / (w + l), about w for a long bar.
        for (w, l) in [(3, 40), (8, 30)] {
            let bar = greyImage(50, 50) { x, y in (5..<(5 + w)).contains(x) && (5..<(5 + l)).contains(y) ? 1 : 0 }
            let outline = Float(2 * (w + l)) - 2 + Float(2).squareRoot()
            #expect(abs(strokeWidth(bar) - 2 * Float(w * l) / outline) < 1e-4)
        }
        #expect(strokeWidth(greyImage(4, 4) { _, _ in 0 }) == 0)
    }

    @Test func offsettingMovesEveryEdgeByTheDistance() {
        let bar = greyImage(40, 40) { x, y in (10..<20).contains(x) && (5..<35).contains(y) ? 255 : 0 }
        func solidColumns(_ g: GreyImage) -> Int { (0..<g.width).filter { x in (0..<g.height).contains { g[x, $0] == 255 } }.count }
        #expect(solidColumns(strokesOffset(bar, by: 2)) == 6)   // 10 - 2 x 2
        #expect(solidColumns(strokesOffset(bar, by: -3)) == 16)  // 10 + 2 x 3
        // Half a pixel: the edge pixels come out half inked.
        let half = strokesOffset(bar, by: 0.5)
        #expect(half.values.contains(127.5) && solidColumns(half) == 8)
    }

    @Test func chamferDistanceIsWithinTwoPercentOfEuclidean() {
        var inside = [Bool](repeating: true, count: 81 * 81)
        inside[40 * 81 + 40] = false
        let d = chamferDistance(inside, width: 81, height: 81, from: false)
        for (x, y) in [(50, 40), (47, 47), (55, 48), (40, 21), (55, 33)] {
            let exact = Float(((x - 40) * (x - 40) + (y - 40) * (y - 40))).squareRoot()
            #expect(abs(d[y * 81 + x] - exact) <= 0.02 * exact + 0.05, "(\(x), \(y)): \(d[y * 81 + x]) vs \(exact)")
        }
        #expect(d[0] == 1 && d[40 * 81 + 2] == 3)  // beyond the picture's edge is outside too
    }

    // MARK: Fitting into the field

    @Test func coverageWeightsAreFractionsOfTheFootprint() {
        let threeToTwo = coverage(from: 3, to: 2)
        #expect(threeToTwo.map { $0.map(\.index) } == [[0, 1], [1, 2]])
        let weights = threeToTwo.flatMap { $0.map(\.weight) }
        let expected: [Float] = [2.0 / 3, 1.0 / 3, 1.0 / 3, 2.0 / 3]
        for (w, e) in zip(weights, expected) { #expect(abs(w - e) < 1e-6) }
        #expect(coverage(from: 7, to: 7).map { $0.map(\.index) } == (0..<7).map { [$0] })
        let up = coverage(from: 2, to: 5)  // each output cell 0.4 input wide; cell 2 straddles both
        #expect(up[2].count == 2 && abs(up[2][0].weight - 0.5) < 1e-6)
    }

    @Test func areaResampleAveragesBlocksAndKeepsSizeExact() {
        let grey = greyImage(4, 4) { x, y in Float(x + 4 * y) }
        let half = areaResample(grey, width: 2, height: 2)
        #expect(half.values == [2.5, 4.5, 10.5, 12.5])
        #expect(areaResample(grey, width: 4, height: 4) == grey)
    }

    @Test func placementPutsTheCentreOfMassAtTheMiddleAndClips() {
        let dot = placedAtCentreOfMass(GreyImage(width: 1, height: 1, values: [255]), side: 28)
        #expect(dot.firstIndex(of: 255) == 14 * 28 + 14 && dot.filter { $0 > 0 }.count == 1)
        // Mass all at the right end of a 20-wide strip: the wanted shift (14 - 19 = -5) clips to 0.
        let strip = GreyImage(width: 20, height: 1, values: (0..<20).map { $0 == 19 ? 255 : 0 })
        let placed = placedAtCentreOfMass(strip, side: 28)
        #expect(placed.firstIndex(of: 255) == 14 * 28 + 19)
    }
}
