import Foundation
import Testing
import TestSupport
@testable import MNISTData

/// The whole of `readDigits`/`mnistDigit` on pictures built in code and on real MNIST digits.
struct DigitFormTests {
    @Test func blankPicturesHaveNoInk() {
        let white = picture(grey: [UInt8](repeating: 255, count: 40 * 30), width: 40)
        let transparent = GreyAlphaImage(RGBAImage(width: 5, height: 5, pixels: [UInt8](repeating: 0, count: 100)))
        // Paper with grain of +-10 and shading: texture alone must not read as a digit.
        let paper = (0..<(60 * 60)).map { (i: Int) -> UInt8 in
            let grain = i * 7919 % 21 - 10, shading = i % 60 / 6
            return UInt8(200 + grain + shading)
        }
        // Paper with near-Gaussian noise (sum of four uniforms, sd ~ 14) on a 300x300 photo: its
        // extremes pass 3 x spread, but nowhere near the contrast of real ink.
        let noisy = (0..<(300 * 300)).map { (i: Int) -> UInt8 in
            UInt8(180 + (0..<4).reduce(0) { $0 + Int(mixedHash(UInt64(i * 4 + $1)) % 25) - 12 })
        }
        // Light falling across an empty page, and a single pixel.
        let gradient = (0..<(90 * 70)).map { (i: Int) -> UInt8 in UInt8(120 + (i % 90) * 135 / 89) }
        for image in [white, transparent, picture(grey: paper, width: 60), picture(grey: noisy, width: 300),
                      picture(grey: gradient, width: 90), picture(grey: [7], width: 1)] {
            #expect(throws: DigitFormError.noInk) { try readDigits(in: image) }
        }
        #expect("\(DigitFormError.noInk)".hasPrefix("no ink found"))
    }

    @Test func badArgumentsAreErrorsNotCrashes() {
        let image = rgba(fromGrey: [0, 255, 0, 0], width: 2)
        #expect(throws: DigitFormError.badGeometry(side: 10, box: 20)) { try mnistDigit(from: image, side: 10) }
        let broken = RGBAImage(width: 3, height: 3, pixels: [1, 2, 3])
        #expect(throws: DigitFormError.malformedImage(width: 3, height: 3, bytes: 3)) { try mnistDigit(from: broken) }
        let planes = GreyAlphaImage(width: 2, height: 2, grey: [1, 2, 3, 4], alpha: [9], bitDepth: 8)
        #expect(throws: DigitFormError.malformedPlanes(width: 2, height: 2, grey: 4, alpha: 1)) { try readDigits(in: planes) }
    }

    @Test func anySmallPictureGivesADigitOrNoInkNeverACrash() {
        // Every size up to 12x12 (and long thin strips), filled with hashed noise, stripes, a
        // checkerboard and random alpha: each is read into 28x28 bytes, or is blank.
        var pictures: [RGBAImage] = []
        for (w, h) in (1...12).flatMap({ w in (1...12).map { (w, $0) } }) + [(300, 2), (2, 300), (1, 500)] {
            for pattern in 0..<4 {
                let pixels = (0..<(w * h)).flatMap { i -> [UInt8] in
                    let x = i % w, y = i / w, noise = UInt8(truncatingIfNeeded: mixedHash(UInt64(i * 4 + pattern + w * 1000 + h)))
                    let v: UInt8 = [noise, x % 3 == 0 ? 0 : 255, (x + y) % 2 == 0 ? 0 : 255, 200][pattern]
                    return [v, v, v, pattern == 3 ? noise : 255]
                }
                pictures.append(RGBAImage(width: w, height: h, pixels: pixels))
            }
        }
        for image in pictures {
            do {
                let digit = try mnistDigit(from: image)
                #expect(digit.count == 784)
            } catch {
                #expect(error == .noInk, "\(image.width)x\(image.height): \(error)")
            }
        }
    }

    @Test func barIsScaledToTheBoxKeepingAspectAndCentred() throws {
        // A dark 8x40 bar on a white 100x80 canvas, far from the centre; its strokes (8 / 2 = 4 output
        // pixels wide... measured 3.3 by `strokeWidth`) are within MNIST's pen and stay as drawn.
        var grey = [UInt8](repeating: 255, count: 100 * 80)
        for y in 10..<50 { for x in 70..<78 { grey[y * 100 + x] = 0 } }
        let digit = try mnistDigit(from: picture(grey: grey, width: 100))
        // 40 -> 20 rows, 8 -> 4 columns; centre of mass (1.5, 9.5) moves to (14, 14) by a shift of
        // (12.5, 4.5), rounded away from zero: columns 13..16, rows 5..24.
        let inked = digit.indices.filter { digit[$0] > 0 }
        #expect(Set(inked.map { $0 % 28 }) == Set(13...16))
        #expect(Set(inked.map { $0 / 28 }) == Set(5...24))
        #expect(inked.allSatisfy { digit[$0] == 255 })
    }

    @Test func aFaintHaloDoesNotShrinkTheDigit() throws {
        // The same bar with a 2-pixel halo of faint grey (blur): the solid bar still sets the scale
        // (40 -> 20 rows of full ink); the halo, 2 / 2 = 1 output pixel deep, gets one extra partly
        // inked row above and below.
        var grey = [UInt8](repeating: 255, count: 100 * 80)
        for y in 8..<52 { for x in 68..<80 { grey[y * 100 + x] = 225 } }
        for y in 10..<50 { for x in 70..<78 { grey[y * 100 + x] = 0 } }
        let digit = try mnistDigit(from: picture(grey: grey, width: 100))
        let solidRows = Set(digit.indices.filter { digit[$0] == 255 }.map { $0 / 28 })
        let inkedRows = Set(digit.indices.filter { digit[$0] > 0 }.map { $0 / 28 })
        #expect(solidRows.count == 20)
        #expect(inkedRows.count == 22)
        #expect(solidRows.min()! == inkedRows.min()! + 1)
    }

    @Test func sixteenBitPrecisionIsKeptUntilTheDigitIsFormed() throws {
        // A 4 using 500...3000 of 65535 (under 10 levels of 8-bit grey), ink darker, and one using
        // only 1000...1400 (1.6 levels of 8-bit grey).
        let ink = InkLayer(strokes: strokesOfFour, size: 60, width: 6)
        let full = try readDigits(in: picture(grey: ink.values.map { UInt8((255 - 255 * $0).rounded()) }, width: 60)).pixels
        for (paper, dark) in [(3000, 500), (1400, 1000)] as [(Float, Float)] {
            let png = encodeGreyPNG(width: 60, height: 60, grey16: ink.values.map { UInt16((paper + (dark - paper) * $0).rounded()) })
            let digit = try readDigits(in: decodeGreyAlphaPNG(png)).pixels
            #expect(correlation(digit, full) > 0.995, "\(dark)...\(paper)")
        }
        // Rounded to 8 bits first, the narrower one is two levels of grey: nothing to see.
        let rounded = try decodePNG(encodeGreyPNG(width: 60, height: 60, grey16: ink.values.map { UInt16((1400 - 400 * $0).rounded()) }))
        #expect(throws: DigitFormError.noInk) { try mnistDigit(from: rounded) }
    }

    @Test func aDigitInTheAlphaChannelIsRead() throws {
        // White ink, opaque where the digit is, on a fully transparent canvas (RGB black or white
        // under alpha 0): over white it is blank; its alpha is the same 4 as black ink on white.
        let ink = InkLayer(strokes: strokesOfFour, size: 50, width: 5)
        let reference = try mnistDigit(from: picture(grey: ink.values.map { UInt8((255 - 255 * $0).rounded()) }, width: 50))
        for under: UInt8 in [0, 255] {
            let pixels = ink.values.flatMap { a -> [UInt8] in
                let opacity = UInt8((255 * a).rounded())
                return opacity == 0 ? [under, under, under, 0] : [255, 255, 255, opacity]
            }
            let digit = try mnistDigit(from: RGBAImage(width: 50, height: 50, pixels: pixels))
            #expect(correlation(digit, reference) > 0.99, "under \(under)")
        }
    }

    @Test func lowContrastIsInkWhenItStandsOutFromTheNoise() throws {
        // 12 levels of contrast: found on clean paper, and under noise of 1.5 levels; lost in noise
        // of 8 levels, where 12 is no longer five times the noise.
        let ink = InkLayer(strokes: strokesOfSeven, size: 56, width: 5)
        func page(noise: Float) -> GreyAlphaImage {
            picture(grey: ink.values.enumerated().map { (i: Int, a: Float) -> UInt8 in
                let level: Float = 150 - 12 * a + noise * gaussianNoise(i % 56, i / 56, salt: 3)
                return UInt8(level.rounded())
            }, width: 56)
        }
        let clean = try readDigits(in: page(noise: 0)).pixels
        #expect(correlation(try readDigits(in: page(noise: 1.5)).pixels, clean) > 0.9)
        #expect(throws: DigitFormError.noInk) { try readDigits(in: page(noise: 8)) }
    }

    // Needs data/mnist (run `make data`); skipped with a message on stderr without it.
    @Test(.enabled(if: realDigitsAvailable, "needs data/mnist (run `make data`)"))
    func realDigitsComeBackNearlyUnchanged() throws {
        let digits = try #require(mnistTestDigits(500))
        var totalDifference = 0.0, worstShift = 0.0, largestDifferences: [Int] = [], restroked = 0
        for original in digits {
            let again = try mnistDigit(from: picture(grey: original, width: 28))
            let width = strokeWidth(GreyImage(width: 28, height: 28, values: original.map(Float.init)))
            guard mnistStrokeWidths.contains(width) else { restroked += 1; continue }
            let differences = zip(original, again).map { abs(Int($0) - Int($1)) }
            totalDifference += Double(differences.reduce(0, +)) / 784
            largestDifferences.append(differences.max()!)
            let a = centreOfMass(original), b = centreOfMass(again)
            worstShift = max(worstShift, abs(a.x - b.x), abs(a.y - b.y))
        }
        let kept = largestDifferences.count
        let meanDifference = totalDifference / Double(kept)
        let within2 = largestDifferences.filter { $0 <= 2 }.count
        FileHandle.standardError.write(Data("DigitForm on 500 MNIST test digits: \(restroked) with strokes outside MNIST's usual pen re-stroked; the other \(kept): mean |difference| \(meanDifference) per pixel, \(within2) with no pixel off by more than 2, worst centre-of-mass shift \(worstShift) px\n".utf8))
        // Only the ink-level stretch (255/253 or so) moves the others. `mnistStrokeWidths` leaves
        // out the boldest and faintest few percent of MNIST's pens (measured: 33 of these 500).
        #expect(restroked <= digits.count / 10)
        #expect(meanDifference < 0.5)
        #expect(within2 >= kept * 95 / 100)
        #expect(worstShift < 0.1)
    }

    // Needs data/mnist (run `make data`); skipped with a message on stderr without it.
    @Test(.enabled(if: realDigitsAvailable, "needs data/mnist (run `make data`)"), arguments: DigitVariant.allCases)
    func renderedVariantsComeBackCloseToTheOriginal(variant: DigitVariant) throws {
        let digits = try #require(mnistTestDigits(200))
        var correlations: [Double] = []
        for original in digits {
            let image = try decodeGreyAlphaPNG(renderVariant(variant, digit: original))
            correlations.append(correlation(original, try mnistDigit(from: image)))
        }
        correlations.sort()
        let mean = correlations.reduce(0, +) / Double(correlations.count)
        FileHandle.standardError.write(Data("DigitForm \(variant): correlation with the original mean \(mean), 10th percentile \(correlations[20]), worst \(correlations[0])\n".utf8))
        // Faint edge pixels lost to thresholding or quantisation shrink the ink's bounding box by
        // a pixel, which rescales and shifts thin digits: a few fall to ~0.6, as MNIST's own
        // normalisation would do.
        #expect(mean > 0.9)
        #expect(correlations[20] > 0.8)
    }

    // Needs data/mnist (run `make data`); skipped with a message on stderr without it.
    @Test(.enabled(if: realDigitsAvailable, "needs data/mnist (run `make data`)"), arguments: DigitSituation.allCases)
    func digitsInEverySituationComeBackCloseToTheOriginal(situation: DigitSituation) throws {
        let digits = try #require(mnistTestDigits(100))
        var correlations: [Double] = []
        for (i, original) in digits.enumerated() {
            let image = try decodeGreyAlphaPNG(renderSituation(situation, digit: original, index: i))
            correlations.append(correlation(original, try mnistDigit(from: image)))
        }
        correlations.sort()
        let mean = correlations.reduce(0, +) / Double(correlations.count)
        FileHandle.standardError.write(Data("DigitForm \(situation): correlation with the original mean \(mean), 10th percentile \(correlations[10]), worst \(correlations[0])\n".utf8))
        // The digit is found in every picture (a wrong mark, the desk or the frame, would correlate
        // near 0); thickened strokes thinned back and resampling keep it a little below the variants'.
        #expect(mean > 0.85)
        #expect(correlations[10] > 0.7)
    }
}
