import Foundation
import Testing
import TestSupport
@testable import MNISTData

private let repoRoot = String(#filePath.split(separator: "/", omittingEmptySubsequences: false)
    .dropLast(3).joined(separator: "/"))
private let testImagesPath = repoRoot + "/data/mnist/t10k-images-idx3-ubyte.gz"

/// The first `count` MNIST test digits (28x28 bytes each), parsed here with a minimal IDX read
/// so this suite does not depend on the IDX reader; nil (said loudly on stderr) without the data.
private func mnistTestDigits(_ count: Int) -> [[UInt8]]? {
    guard let gz = try? readFile(testImagesPath),
          let stream = try? InflateStream(gz),
          let bytes = try? stream.read(exactly: 16 + count * 784),
          readUInt32(bytes, at: 0) == 0x0803, readUInt32(bytes, at: 8) == 28 else {
        FileHandle.standardError.write(Data("SKIPPED DigitForm tests on real digits: \(testImagesPath) is missing or unreadable (run `make data`)\n".utf8))
        return nil
    }
    return (0..<count).map { Array(bytes[(16 + $0 * 784)..<(16 + ($0 + 1) * 784)]) }
}
private let realDigitsAvailable = mnistTestDigits(1) != nil

/// Pearson correlation of two equally long byte images.
private func correlation(_ a: [UInt8], _ b: [UInt8]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) {
        let dx = Double(x) - ma, dy = Double(y) - mb
        sab += dx * dy; saa += dx * dx; sbb += dy * dy
    }
    return sab / (saa * sbb).squareRoot()
}

/// Centre of mass (x, y) of a side x side byte image.
private func centreOfMass(_ image: [UInt8], side: Int = 28) -> (x: Double, y: Double) {
    var m = 0.0, sx = 0.0, sy = 0.0
    for (i, v) in image.enumerated() {
        m += Double(v); sx += Double(v) * Double(i % side); sy += Double(v) * Double(i / side)
    }
    return (sx / m, sy / m)
}

/// SplitMix64's finaliser: a well-mixed deterministic hash for test noise.
private func hash(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// An opaque RGBA image from grey levels.
private func rgba(fromGrey grey: [UInt8], width: Int) -> RGBAImage {
    RGBAImage(width: width, height: grey.count / width, pixels: grey.flatMap { [$0, $0, $0, 255] })
}

private func greyImage(_ width: Int, _ height: Int, _ value: (Int, Int) -> Float) -> GreyImage {
    GreyImage(width: width, height: height, values: (0..<(width * height)).map { value($0 % width, $0 / width) })
}

struct DigitFormTests {
    // MARK: Whole pipeline

    @Test func blankPicturesHaveNoInk() {
        let white = rgba(fromGrey: [UInt8](repeating: 255, count: 40 * 30), width: 40)
        let transparent = RGBAImage(width: 5, height: 5, pixels: [UInt8](repeating: 0, count: 100))
        // Paper with grain of +-10 and shading: texture alone must not read as a digit.
        let paper = (0..<(60 * 60)).map { (i: Int) -> UInt8 in
            let grain = i * 7919 % 21 - 10, shading = i % 60 / 6
            return UInt8(200 + grain + shading)
        }
        // Paper with near-Gaussian noise (sum of four uniforms, sd ~ 14) on a 300x300 photo: its
        // extremes pass 3 x spread, but nowhere near the contrast of real ink.
        let noisy = (0..<(300 * 300)).map { (i: Int) -> UInt8 in
            UInt8(180 + (0..<4).reduce(0) { $0 + Int(hash(UInt64(i * 4 + $1)) % 25) - 12 })
        }
        for image in [white, transparent, rgba(fromGrey: paper, width: 60), rgba(fromGrey: noisy, width: 300)] {
            #expect(throws: DigitFormError.noInk) { try mnistDigit(from: image) }
        }
        #expect("\(DigitFormError.noInk)".hasPrefix("no ink found"))
    }

    @Test func badArgumentsAreErrorsNotCrashes() {
        let image = rgba(fromGrey: [0, 255, 0, 0], width: 2)
        #expect(throws: DigitFormError.badGeometry(side: 10, box: 20)) { try mnistDigit(from: image, side: 10) }
        let broken = RGBAImage(width: 3, height: 3, pixels: [1, 2, 3])
        #expect(throws: DigitFormError.malformedImage(width: 3, height: 3, bytes: 3)) { try mnistDigit(from: broken) }
    }

    @Test func barIsScaledToTheBoxKeepingAspectAndCentred() throws {
        // A dark 8x32 bar on a white 100x80 canvas, far from the centre.
        var grey = [UInt8](repeating: 255, count: 100 * 80)
        for y in 10..<42 { for x in 70..<78 { grey[y * 100 + x] = 0 } }
        let digit = try mnistDigit(from: rgba(fromGrey: grey, width: 100))
        // 32 -> 20 rows, 8 -> 5 columns; centre of mass (2, 9.5) moves to (14, 14) by a shift of
        // (12, 4.5), rounded away from zero to 5: columns 12..16, rows 5..24.
        let inked = digit.indices.filter { digit[$0] > 0 }
        #expect(Set(inked.map { $0 % 28 }) == Set(12...16))
        #expect(Set(inked.map { $0 / 28 }) == Set(5...24))
        #expect(inked.allSatisfy { digit[$0] == 255 })
    }

    // Needs data/mnist (run `make data`); skipped with a message on stderr without it.
    @Test(.enabled(if: realDigitsAvailable, "needs data/mnist (run `make data`)"))
    func realDigitsComeBackNearlyUnchanged() throws {
        let digits = try #require(mnistTestDigits(500))
        var totalDifference = 0.0, worstShift = 0.0, largestDifferences: [Int] = []
        for original in digits {
            let again = try mnistDigit(from: rgba(fromGrey: original, width: 28))
            let differences = zip(original, again).map { abs(Int($0) - Int($1)) }
            totalDifference += Double(differences.reduce(0, +)) / 784
            largestDifferences.append(differences.max()!)
            let a = centreOfMass(original), b = centreOfMass(again)
            worstShift = max(worstShift, abs(a.x - b.x), abs(a.y - b.y))
        }
        let meanDifference = totalDifference / Double(digits.count)
        let within2 = largestDifferences.filter { $0 <= 2 }.count
        FileHandle.standardError.write(Data("DigitForm on 500 MNIST test digits: mean |difference| \(meanDifference) per pixel, \(within2) with no pixel off by more than 2, worst centre-of-mass shift \(worstShift) px\n".utf8))
        // Measured: 0.16 per pixel, 497 of 500 digits within 2 levels everywhere (only the ink-level
        // stretch, 255/253 or so, moves them), centre of mass unmoved to 0.01 px.
        #expect(meanDifference < 0.5)
        #expect(within2 >= 450)
        #expect(worstShift < 0.1)
    }

    // Needs data/mnist (run `make data`); skipped with a message on stderr without it.
    @Test(.enabled(if: realDigitsAvailable, "needs data/mnist (run `make data`)"), arguments: DigitVariant.allCases)
    func renderedVariantsComeBackCloseToTheOriginal(variant: DigitVariant) throws {
        let digits = try #require(mnistTestDigits(200))
        var correlations: [Double] = []
        for original in digits {
            let image = try decodePNG(renderVariant(variant, digit: original))
            correlations.append(correlation(original, try mnistDigit(from: image)))
        }
        correlations.sort()
        let mean = correlations.reduce(0, +) / Double(correlations.count)
        FileHandle.standardError.write(Data("DigitForm \(variant): correlation with the original mean \(mean), 10th percentile \(correlations[20]), worst \(correlations[0])\n".utf8))
        // Faint edge pixels lost to thresholding or quantisation shrink the ink's bounding box by
        // a pixel, which rescales and shifts thin digits: a few fall to ~0.6, as MNIST's own
        // normalisation would do. Measured means are 0.92 (textured paper) to 1.0.
        #expect(mean > 0.9)
        #expect(correlations[20] > 0.8)
    }

    // MARK: Steps

    @Test func lumaCompositesOverWhite() {
        let image = RGBAImage(width: 4, height: 1, pixels: [255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 102, 10, 20, 30, 255])
        let grey = lumaOverWhite(image).values
        let expected: [Float] = [0.299 * 255, 255, 255 * (1 - 0.4), 0.299 * 10 + 0.587 * 20 + 0.114 * 30]
        for (g, e) in zip(grey, expected) { #expect(abs(g - e) < 1e-3) }
    }

    @Test func unevenLightingIsFlattenedAndFlatPaperLeftAlone() {
        // Light rising 2 per column and 3 per row: opposite 2-pixel strips differ by 52 and 78
        // over 26 pixels, so the plane is found exactly and the centre level 100 + 5 * 13.5 stays.
        let lit = flattenedLighting(greyImage(28, 28) { x, y in 100 + 2 * Float(x) + 3 * Float(y) })
        #expect(lit.values.allSatisfy { abs($0 - 167.5) < 1e-3 })
        let flat = greyImage(28, 28) { x, y in (10..<18).contains(x) && (4..<24).contains(y) ? 255 : 0 }
        #expect(flattenedLighting(flat) == flat)
    }

    @Test func aFaintHaloDoesNotShrinkTheDigit() throws {
        // The same 8x32 dark bar, now with a 2-pixel halo of faint grey (blur): the solid bar
        // still sets the scale (32 -> 20 rows of full ink); the halo, 2 / 1.6 = 1.25 output
        // pixels deep, gets 2 extra partly inked rows above and below.
        var grey = [UInt8](repeating: 255, count: 100 * 80)
        for y in 8..<44 { for x in 68..<80 { grey[y * 100 + x] = 225 } }
        for y in 10..<42 { for x in 70..<78 { grey[y * 100 + x] = 0 } }
        let digit = try mnistDigit(from: rgba(fromGrey: grey, width: 100))
        let solidRows = Set(digit.indices.filter { digit[$0] == 255 }.map { $0 / 28 })
        let inkedRows = Set(digit.indices.filter { digit[$0] > 0 }.map { $0 / 28 })
        #expect(solidRows.count == 20)
        #expect(inkedRows.count == 24)
        #expect(solidRows.min()! == inkedRows.min()! + 2)
    }

    @Test func borderLevelIsTheRingsMedianAndSpread() {
        // 28x28: the 2-pixel ring alternates 10 and 14 (median 14, deviations 0 or 4 -> MAD 4),
        // the inside is 200 and must not count.
        let grey = greyImage(28, 28) { x, y in
            (x < 2 || y < 2 || x >= 26 || y >= 26) ? ((x + y) % 2 == 0 ? 10 : 14) : 200
        }
        let level = borderLevel(grey)
        #expect(level.median == 14)
        #expect(abs(level.spread - 1.4826 * 4) < 1e-4)
    }

    @Test func polarityFollowsThePaper() {
        let darkOnLight = greyImage(10, 10) { x, _ in x == 5 ? 0 : 240 }
        let lightOnDark = greyImage(10, 10) { x, _ in x == 5 ? 255 : 0 }
        #expect(inkIsDarker(darkOnLight, backgroundMedian: 240))
        #expect(!inkIsDarker(lightOnDark, backgroundMedian: 0))
        #expect(inverted(darkOnLight).values[5] == 255 && inverted(darkOnLight).values[0] == 15)
        // A photo-sized page (6 Mpixel, 3.3% dark ink): a Float sum of the pixels would drift
        // past the 7-level gap between the mean and the paper and get the polarity wrong.
        let page = greyImage(3000, 2000) { x, y in (1400..<1600).contains(x) && (500..<1500).contains(y) ? 20 : 231 }
        #expect(inkIsDarker(page, backgroundMedian: 231))
    }

    @Test func separatingInkZeroesPaperNoiseAndStretchesLinearly() {
        // Paper 50 +- noise (spread 5: threshold 65), ink mostly 150, one brighter speck of 200.
        let values: [Float] = [50, 60, 65, 66, 100] + [Float](repeating: 150, count: 20) + [200]
        let ink = separateInk(GreyImage(width: values.count, height: 1, values: values), background: (50, 5))
        // Solid ink = 95th percentile (element 19 of 21) of the pixels >= (65 + 200) / 2: 150.
        // So v -> (v - 50) * 255 / 100.
        #expect(ink.values[0...2] == [0, 0, 0])
        #expect(abs(ink.values[3] - 16 * 2.55) < 1e-3)
        #expect(abs(ink.values[4] - 127.5) < 1e-3)
        #expect(ink.values[5] == 255 && ink.values[25] == 255)
        // Contrast 100 is less than 8 x spread 13: noise, not ink.
        #expect(separateInk(GreyImage(width: values.count, height: 1, values: values), background: (50, 13))
                    .values.allSatisfy { $0 == 0 })
    }

    @Test func specksFarLighterThanTheDigitAreDropped() {
        // A 5x5 block of 200 (mass 5000), a lone 90 (1.8%: dropped) and a pair of 60s (2.4%: kept).
        var ink = greyImage(20, 10) { x, y in (2..<7).contains(x) && (2..<7).contains(y) ? 200 : 0 }
        ink[15, 1] = 90
        ink[15, 8] = 60; ink[16, 8] = 60
        dropSpecks(&ink)
        #expect(ink[15, 1] == 0 && ink[15, 8] == 60 && ink[16, 8] == 60 && ink[4, 4] == 200)
        let bounds = inkBounds(ink)
        #expect(bounds?.x == 2 && bounds?.y == 2 && bounds?.width == 15 && bounds?.height == 7)
        #expect(inkBounds(greyImage(3, 3) { _, _ in 0 }) == nil)
    }

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
