import Foundation
import Testing
import TestSupport
@testable import MNISTData

/// The JPEG decoder against libjpeg-turbo's own luma (Pillow), on the fixtures that
/// scripts/make-jpeg-fixtures.py makes: each NAME.jpg beside NAME.png, the reference grey pixels.
struct JPEGDecodeTests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/jpeg").path

    static func fixture(_ file: String) throws -> [UInt8] { try readFile("\(directory)/\(file)") }

    /// Decodes `name`.jpg (or the named file) and compares every pixel with the reference.
    /// Returns the largest difference in 8-bit levels.
    static func largestDifference(_ name: String, file: String? = nil) throws -> Int {
        let decoded = try decodeGreyJPEG(fixture(file ?? "\(name).jpg"))
        let reference = try decodeGreyAlphaPNG(fixture("\(name).png"))
        #expect(decoded.width == reference.width && decoded.height == reference.height, "\(name): size")
        #expect(decoded.bitDepth == 8 && decoded.alpha.allSatisfy { $0 == 65535 })
        guard decoded.grey.count == reference.grey.count else { return .max }
        // Y itself, where there is one; Adobe RGB's luma is computed at 16 bits from R, G, B.
        if name != "adobe-rgb" { #expect(decoded.grey.allSatisfy { $0 % 257 == 0 }, "\(name): grey is Y * 257") }
        return zip(decoded.grey, reference.grey).map { abs(Int($0) - Int($1)) / 257 }.max() ?? 0
    }

    static let sameAsLibjpeg = [
        "baseline-444", "baseline-422", "baseline-420", "baseline-440", "baseline-411",
        "progressive-444", "progressive-420", "grey-baseline", "grey-progressive",
        "restart-420", "restart-progressive", "adobe-rgb", "scale-baseline", "scale-progressive",
    ]

    @Test(arguments: sameAsLibjpeg) func everyPixelWithinTwoLevelsOfLibjpeg(_ name: String) throws {
        #expect(try Self.largestDifference(name) <= 2)
    }

    /// A 33x21 picture stored with each EXIF orientation comes out upright (21x33 for 5...8).
    @Test(arguments: 1...8) func exifOrientationTurnsThePictureUpright(_ orientation: Int) throws {
        #expect(try Self.largestDifference("orientation-\(orientation)") <= 2)
        let decoded = try decodeGreyJPEG(Self.fixture("orientation-\(orientation).jpg"))
        #expect(decoded.width == (orientation >= 5 ? 21 : 33))
    }

    /// Of an MPO (two pictures, the second upside down and different), the first is read.
    @Test func anMPOGivesItsFirstPicture() throws {
        #expect(try Self.largestDifference("first-of-two", file: "first-of-two.mpo") <= 2)
    }

    // MARK: Damaged files

    /// Cut anywhere from the start of the image data to just before EOI, a file gives a typed
    /// error; the cut just after SOI and in the headers too.
    @Test(arguments: ["baseline-420", "progressive-420", "restart-progressive", "grey-progressive"])
    func truncatedFilesAreErrors(_ name: String) throws {
        let bytes = try Self.fixture("\(name).jpg")
        var errors = 0
        for cut in stride(from: 0, to: bytes.count - 2, by: 7) {
            let error = caughtError { () throws(JPEGError) in try decodeGreyJPEG(Array(bytes[..<cut])) }
            #expect(error != nil, "\(name) cut at \(cut) of \(bytes.count)")
            if error != nil { errors += 1 }
        }
        #expect(errors > 10)
    }

    @Test func corruptFilesAreOneLineErrors() throws {
        let good = try Self.fixture("baseline-420.jpg")
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG(Array("GIF89a".utf8)) } == .notJPEG)
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG([0xFF]) }
                == .truncated(offset: 1, expected: "the start-of-image marker"))

        func patched(marker: UInt8, at offset: Int, _ value: UInt8) -> [UInt8] {
            var bytes = good
            let at = Self.segment(marker, in: bytes)! + offset
            bytes[at] = value
            return bytes
        }
        let sof = 4  // payload start: FF C0 and the two length bytes
        let twelveBit = patched(marker: 0xC0, at: sof, 12)
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG(twelveBit) } == .unsupported("12-bit"))
        var arithmetic = good
        arithmetic[Self.segment(0xC0, in: good)! + 1] = 0xC9
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG(arithmetic) } == .unsupported("Arithmetic-coded"))
        var lossless = good
        lossless[Self.segment(0xC0, in: good)! + 1] = 0xC3
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG(lossless) } == .unsupported("Lossless"))
        let badSampling = patched(marker: 0xC0, at: sof + 7, 0x52)
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG(badSampling) } == .badFrame("sampling factors 5x2 (1...4 allowed)"))
        let noTable = patched(marker: 0xDA, at: 6, 0x33)  // Y's DC/AC tables 3, never defined
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG(noTable) } == .badScan("DC Huffman table 3 is not defined"))

        // Every byte of the image data replaced by each of a few values: decoded or a typed error,
        // never a crash, and each message one line.
        let scan = Self.segment(0xDA, in: good)!
        var failures = Set<String>()
        for at in stride(from: scan + 14, to: good.count - 2, by: 3) {
            for value: UInt8 in [0x00, 0xFF, 0x5A] {
                var bytes = good
                bytes[at] = value
                if let error = caughtError({ () throws(JPEGError) in try decodeGreyJPEG(bytes) }) {
                    #expect(!error.description.contains("\n"))
                    failures.insert(error.description)
                }
            }
        }
        #expect(!failures.isEmpty)
    }

    /// Found by fuzzing: a DC table whose symbols are not categories (above 15) and a table whose
    /// code lengths over-fill the code space are errors, not traps or writes past the table.
    @Test func huffmanTablesThatCannotBeRightAreErrors() throws {
        let good = try Self.fixture("grey-baseline.jpg")
        let dht = Self.segment(0xC4, in: good)!
        #expect(good[dht + 4] == 0x00)  // the first table is DC 0: 16 counts, then its symbols
        let symbols = (0..<16).reduce(0) { $0 + Int(good[dht + 5 + $1]) }
        var overFull = good
        #expect(Array(good[(dht + 5)..<(dht + 8)]) == [0, 1, 5])  // Annex K's DC table
        for (i, count) in [3, 0, 3 as UInt8].enumerated() { overFull[dht + 5 + i] = count }  // three codes of one bit, same total
        #expect(caughtError { () throws(JPEGError) in try decodeGreyJPEG(overFull) }
                == .badSegment(marker: "DHT", offset: dht, reason: "the code lengths over-fill the code space"))
        var notCategories = good
        for i in 0..<symbols { notCategories[dht + 21 + i] = 200 }
        let error = caughtError { () throws(JPEGError) in try decodeGreyJPEG(notCategories) }
        guard case .corruptData(_, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason == "invalid DC Huffman code")
    }

    /// A tiny file declaring 65000x65000 pixels is refused before any pixel memory is allocated.
    @Test func aDecompressionBombIsRefused() throws {
        var bytes = try Self.fixture("baseline-420.jpg")
        let sof = Self.segment(0xC0, in: bytes)!
        for i in 0..<4 { bytes[sof + 5 + i] = [0xFD, 0xE8, 0xFD, 0xE8][i] }
        let error = caughtError { () throws(JPEGError) in try decodeGreyJPEG(bytes, minimumPixels: 1 << 20) }
        #expect(error == .tooLarge(width: 65000, height: 65000,
                                   reason: "more 8x8 blocks than a \(bytes.count)-byte file can hold; the file is damaged"))
    }

    /// Malformed EXIF never fails a decode: the picture is taken as stored.
    @Test func malformedExifIsIgnored() throws {
        let good = try Self.fixture("orientation-6.jpg")
        let app1 = Self.segment(0xE1, in: good)!
        let end = app1 + 2 + Int(good[app1 + 2]) << 8 + Int(good[app1 + 3])
        for at in (app1 + 10)..<end {
            var bytes = good
            bytes[at] ^= 0xA5
            let decoded = try decodeGreyJPEG(bytes)
            #expect(decoded.width * decoded.height == 33 * 21)
        }
        let pixels = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        #expect(exifOrientation(pixels) == nil)
    }

    // MARK: Reduced scales

    /// At 1/2, 1/4 and 1/8 each output pixel stands for a 2x2, 4x4, 8x8 block of the full decode.
    /// 1/8 is the block's DC, its exact mean before rounding and clamping: within 1 level. The
    /// 1/2 and 1/4 decodes drop the frequencies above their band, whose share of a block mean is
    /// small but not zero at sharp edges (the drawn digit, the patches). Measured on these
    /// fixtures: mean 1.58 and worst 27 levels at 1/2, 1.27 and 15 at 1/4 (0.23 and 1 at 1/8);
    /// the limits leave a little room above that. For reading a digit, whose strokes differ from
    /// the paper by 100 levels or more, a 2-level mean error is immaterial.
    @Test(arguments: ["scale-baseline", "scale-progressive"]) func reducedScalesMatchTheBlockMeansOfTheFullDecode(_ name: String) throws {
        let bytes = try Self.fixture("\(name).jpg")
        let full = try decodeGreyJPEG(bytes)
        for (factor, meanLimit, worstLimit) in [(2, 2.0, 32), (4, 1.5, 20), (8, 0.5, 1)] {
            let width = (full.width + factor - 1) / factor, height = (full.height + factor - 1) / factor
            let reduced = try decodeGreyJPEG(bytes, minimumPixels: width * height)
            #expect(reduced.width == width && reduced.height == height)
            var total = 0.0, worst = 0
            for y in 0..<height {
                for x in 0..<width {
                    var sum = 0, n = 0
                    for yy in (y * factor)..<min(full.height, (y + 1) * factor) {
                        for xx in (x * factor)..<min(full.width, (x + 1) * factor) { sum += Int(full.grey[yy * full.width + xx]) / 257; n += 1 }
                    }
                    let difference = abs(Double(sum) / Double(n) - Double(reduced.grey[y * width + x] / 257))
                    total += difference
                    worst = max(worst, Int(difference.rounded(.up)))
                }
            }
            let mean = total / Double(width * height)
            print("\(name) 1/\(factor): mean difference \(mean), worst \(worst)")
            #expect(mean <= meanLimit, "1/\(factor)")
            #expect(worst <= worstLimit, "1/\(factor)")
        }
    }

    /// The scale is the largest reduction that still gives `minimumPixels`.
    @Test func theScaleIsTheLargestReductionThatKeepsEnoughPixels() throws {
        let bytes = try Self.fixture("scale-baseline.jpg")  // 128x96
        func size(_ minimum: Int) throws -> Int { try decodeGreyJPEG(bytes, minimumPixels: minimum).width }
        #expect(try size(1) == 16)
        #expect(try size(16 * 12) == 16)
        #expect(try size(16 * 12 + 1) == 32)
        #expect(try size(64 * 48 + 1) == 128)
        #expect(try size(.max) == 128)
    }

    /// Where the segment with `marker` starts (its FF), scanning marker by marker from SOI.
    static func segment(_ marker: UInt8, in bytes: [UInt8]) -> Int? {
        var at = 2
        while at + 4 <= bytes.count, bytes[at] == 0xFF {
            if bytes[at + 1] == marker { return at }
            if bytes[at + 1] == 0xDA { return nil }
            at += 2 + Int(bytes[at + 2]) << 8 + Int(bytes[at + 3])
        }
        return nil
    }
}

/// The tests' own JPEG encoder (TestSupport), which the rendered-digits check saves pictures
/// with: what it writes decodes close to what it was given, grey and colour, at odd sizes.
struct JPEGEncoderTests {
    static func picture(_ width: Int, _ height: Int) -> [UInt8] {
        (0..<(width * height * 3)).map { i in
            let p = i / 3, x = p % width, y = p / width, c = i % 3
            let dx = x - width / 2, dy = y - height / 2
            return abs(dx * dx + dy * dy - 100) < 40 ? 20 : UInt8((60 + x * 3 + y * 2 + c * 40) % 256)
        }
    }

    @Test(arguments: [(33, 21, 90), (40, 40, 50), (17, 9, 75)]) func decodesCloseToItsInput(_ width: Int, _ height: Int, _ quality: Int) throws {
        let rgb = Self.picture(width, height)
        let grey = (0..<(width * height)).map { (i: Int) -> UInt8 in
            let r = Double(rgb[3 * i]), g = Double(rgb[3 * i + 1]), b = Double(rgb[3 * i + 2])
            return UInt8((0.299 * r + 0.587 * g + 0.114 * b).rounded())
        }
        for file in [encodeGreyJPEG(width: width, height: height, grey: grey, quality: quality),
                     encodeColourJPEG(width: width, height: height, rgb: rgb, quality: quality)] {
            let decoded = try decodeGreyJPEG(file)
            #expect(decoded.width == width && decoded.height == height)
            let errors = zip(decoded.grey, grey).map { abs(Int($0 / 257) - Int($1)) }
            let mean = Double(errors.reduce(0, +)) / Double(errors.count)
            // Quantisation error only: measured 3.0 (q 90), 4.5 (q 75), 6.1 (q 50) levels on this
            // picture of sharp ramps and a ring; a wrong table or a misplaced block gives tens.
            #expect(mean < 8, "q\(quality): mean error \(mean)")
        }
    }
}
