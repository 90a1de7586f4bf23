import Testing
import TestSupport
@testable import MNISTData

private func ihdr(width: UInt32, height: UInt32, depth: UInt8 = 8, colour: UInt8 = 0, interlace: UInt8 = 0) -> [UInt8] {
    pngChunk("IHDR", Fixtures.bigEndian(width) + Fixtures.bigEndian(height) + [depth, colour, 0, 0, interlace])
}

/// A zlib stream holding `data` in one stored (uncompressed) block, built by hand so tests can
/// put anything inside, including invalid filter bytes.
private func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
    let n = UInt16(data.count)
    return [0x78, 0x01, 0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + data + Fixtures.bigEndian(b << 16 | a)
}

/// A greyscale 8-bit PNG of width x height whose IDAT holds `rows` (filter byte + pixels each).
private func greyPNG(width: UInt32, height: UInt32, filtered rows: [UInt8], extraChunks: [UInt8] = []) -> [UInt8] {
    pngSignature + ihdr(width: width, height: height) + extraChunks + pngChunk("IDAT", zlibStored(rows)) + pngChunk("IEND", [])
}

private func decodeError(_ bytes: [UInt8]) -> PNGError? {
    caughtError { () throws(PNGError) in try decodePNG(bytes) }
}

struct PNGTests {
    @Test func handBuiltFileDecodes() throws {
        // 3x2 grey: row 0 unfiltered 10 20 30; row 1 Sub-filtered deltas 5 5 5 -> 5 10 15.
        let image = try decodePNG(greyPNG(width: 3, height: 2, filtered: [0, 10, 20, 30, 1, 5, 5, 5]))
        #expect(image.width == 3 && image.height == 2)
        #expect(stride(from: 0, to: 24, by: 4).map { image.pixels[$0] } == [10, 20, 30, 5, 10, 15])
        #expect(stride(from: 3, to: 24, by: 4).allSatisfy { image.pixels[$0] == 255 })
    }

    @Test func absurdSizeIsRefusedFromTheHeaderAlone() {
        // No IDAT at all: the refusal must come from IHDR, before anything else is read or allocated.
        let bytes = pngSignature + ihdr(width: 100_000, height: 100_000)
        #expect(decodeError(bytes) == .tooLarge(width: 100_000, height: 100_000, limit: maxPNGPixels))
        #expect("\(decodeError(bytes)!)".contains("64 megapixel"))
        // Exactly at the limit is allowed by IHDR (then fails later for want of data, not size).
        let atLimit = pngSignature + ihdr(width: UInt32(maxPNGPixels), height: 1)
        #expect(decodeError(atLimit) != .tooLarge(width: maxPNGPixels, height: 1, limit: maxPNGPixels))
        #expect(decodeError(pngSignature + ihdr(width: 0, height: 5)) == .badDimensions(width: 0, height: 5))
    }

    @Test func imageDataLongerOrShorterThanTheHeaderImpliesIsRejected() {
        let rows: [UInt8] = [0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9]  // three rows of 3 pixels
        #expect(decodeError(greyPNG(width: 3, height: 2, filtered: rows)) == .imageDataTooLong(expected: 8))
        #expect(decodeError(greyPNG(width: 3, height: 4, filtered: rows)) == .imageDataTooShort(expected: 16, got: 12))
        #expect(decodeError(greyPNG(width: 3, height: 3, filtered: rows)) == nil)
    }

    @Test func missingImageDataIsReported() {
        #expect(decodeError(pngSignature + ihdr(width: 4, height: 4) + pngChunk("IEND", [])) == .missingImageData)
    }

    @Test func everyCorruptedCRCIsCaught() throws {
        let good = greyPNG(width: 3, height: 1, filtered: [0, 7, 8, 9])
        // Flip one bit in each byte from IHDR's type to the end: every chunk's CRC covers it.
        for i in 12..<good.count {
            var bad = good
            bad[i] ^= 0x10
            #expect(decodeError(bad) != nil, "flipped byte \(i) went unnoticed")
        }
        var badIDAT = good
        badIDAT[good.count - 12 - 3] ^= 1  // a pixel byte inside IDAT's stored block
        guard case .badCRC(let name, let offset, _, _) = decodeError(badIDAT) else {
            Issue.record("expected a CRC error"); return
        }
        #expect(name == "IDAT" && offset == 33)
    }

    @Test func otherFormatsAreNamed() {
        #expect(decodeError([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46]) == .notPNG(looksLike: "a JPEG image"))
        #expect("\(PNGError.notPNG(looksLike: "a JPEG image"))".contains("JPEG"))
        #expect(decodeError(Array("GIF89a....".utf8)) == .notPNG(looksLike: "a GIF image"))
        #expect(decodeError([0, 0, 8, 3, 0, 0, 0, 1]) == .notPNG(looksLike: "an IDX data file"))
        #expect(decodeError([]) == .notPNG(looksLike: "an empty file"))
        #expect(decodeError(Array("hello, world".utf8)) == .notPNG(looksLike: nil))
    }

    @Test func everyTruncationIsAnError() {
        let good = encodePNG(RGBAImage(width: 5, height: 4, pixels: (0..<80).map { UInt8($0 * 3) }),
                             options: PNGEncodeOptions(interlaced: true))
        for length in 1..<good.count {
            let error = decodeError(Array(good.prefix(length)))
            guard case .truncated = error else {
                Issue.record("cut at \(length) of \(good.count): \(String(describing: error))")
                continue
            }
        }
    }

    @Test func chunkOrderAndUnknownChunksAreChecked() throws {
        let rows: [UInt8] = [0, 1, 2]
        // An unknown ancillary chunk (lower-case first letter) is skipped...
        #expect(decodeError(greyPNG(width: 2, height: 1, filtered: rows, extraChunks: pngChunk("zzZz", [1, 2]))) == nil)
        // ...an unknown critical one is not.
        #expect(decodeError(greyPNG(width: 2, height: 1, filtered: rows, extraChunks: pngChunk("ZZZZ", [])))
                == .unknownCriticalChunk(chunk: "ZZZZ", offset: 33))
        let idat = pngChunk("IDAT", zlibStored(rows))
        let split = pngSignature + ihdr(width: 2, height: 1) + idat + pngChunk("tEXt", Array("a\0b".utf8)) + idat + pngChunk("IEND", [])
        guard case .misplacedChunk("IDAT", _, _) = decodeError(split) else { Issue.record("split IDAT accepted"); return }
        #expect(decodeError(pngSignature + pngChunk("IEND", [])) == .firstChunkNotIHDR(found: "IEND"))
        let noIEND = pngSignature + ihdr(width: 2, height: 1) + idat
        guard case .truncated = decodeError(noIEND) else { Issue.record("missing IEND accepted"); return }
    }

    @Test func paletteProblemsAreReported() throws {
        let header = ihdr(width: 2, height: 1, colour: 3)
        let idat = pngChunk("IDAT", zlibStored([0, 0, 5]))
        let plte = pngChunk("PLTE", [255, 0, 0, 0, 0, 255])  // two entries
        #expect(decodeError(pngSignature + header + idat + pngChunk("IEND", [])) == .missingPalette)
        #expect(decodeError(pngSignature + header + plte + idat + pngChunk("IEND", []))
                == .paletteIndexOutOfRange(index: 5, paletteSize: 2))
        let tooManyAlphas = pngChunk("tRNS", [0, 0, 0])
        guard case .badTransparency = decodeError(pngSignature + header + plte + tooManyAlphas + idat + pngChunk("IEND", [])) else {
            Issue.record("3 alphas for 2 entries accepted"); return
        }
        let good = pngSignature + header + plte + pngChunk("tRNS", [128]) + pngChunk("IDAT", zlibStored([0, 1, 0])) + pngChunk("IEND", [])
        #expect(try decodePNG(good).pixels == [0, 0, 255, 255, 255, 0, 0, 128])
    }

    @Test func badFilterTypeNamesTheRowAndPass() {
        #expect(decodeError(greyPNG(width: 1, height: 2, filtered: [0, 9, 5, 9])) == .badFilterType(value: 5, row: 1, pass: nil))
    }

    @Test func sixteenBitSamplesRoundToNearest() {
        for v in 0...255 { #expect(scale16To8(UInt16(v * 257)) == UInt8(v)) }
        // round(v * 255 / 65535): 128 -> 0.498 -> 0, 129 -> 0.502 -> 1, 32767 -> 127.498 -> 127.
        #expect([128, 129, 32767, 32768, 65535].map { scale16To8($0) } == [0, 1, 127, 128, 255])
    }

    @Test func paethPicksTheNearestNeighbour() {
        // p = a + b - c; nearest of a, b, c to p, ties a then b.
        #expect(paethPredictor(10, 20, 10) == 20)  // p = 20
        #expect(paethPredictor(20, 10, 10) == 20)  // p = 20
        #expect(paethPredictor(10, 10, 10) == 10)
        #expect(paethPredictor(100, 50, 200) == 50)  // p = -50: pa 150, pb 100, pc 250
        #expect(paethPredictor(5, 9, 7) == 7)  // p = 7: pc = 0
        #expect(paethPredictor(1, 4, 3) == 1)  // p = 2: pa = pc = 1 < pb = 2, tie goes to a
    }

    @Test func adam7PassesTileTheImage() {
        let sizes = passes(width: 8, height: 8, interlaced: true).map { [$0.width, $0.height] }
        #expect(sizes == [[1, 1], [1, 1], [2, 1], [2, 2], [4, 2], [4, 4], [8, 4]])
        for (w, h) in [(1, 1), (3, 2), (13, 11), (33, 9)] {
            var hits = [Int](repeating: 0, count: w * h)
            for p in passes(width: w, height: h, interlaced: true) {
                for j in 0..<p.height { for i in 0..<p.width { hits[(p.y0 + j * p.dy) * w + p.x0 + i * p.dx] += 1 } }
            }
            #expect(hits.allSatisfy { $0 == 1 }, "\(w)x\(h)")
        }
    }

    @Test func everyErrorDescriptionIsOneLine() {
        let errors: [PNGError] = [
            .notPNG(looksLike: nil), .damagedSignature(reason: "x"), .truncated(offset: 3, expected: "y"),
            .badChunkLength(chunk: "IDAT", offset: 8, length: .max), .badChunkType(offset: 8),
            .badCRC(chunk: "IHDR", offset: 8, stored: 1, computed: 2), .firstChunkNotIHDR(found: "IDAT"),
            .badHeaderLength(12), .badDimensions(width: 0, height: 0), .tooLarge(width: 1, height: 1, limit: 1),
            .badColourType(1), .badBitDepth(bitDepth: 3, colourType: 2), .unknownMethod(field: "filter", value: 1),
            .misplacedChunk(chunk: "PLTE", offset: 9, reason: "z"), .unknownCriticalChunk(chunk: "ABCD", offset: 9),
            .badPalette(reason: "r"), .missingPalette, .badTransparency(reason: "t"), .missingImageData,
            .compressedData(.truncated), .imageDataTooShort(expected: 2, got: 1), .imageDataTooLong(expected: 2),
            .badFilterType(value: 7, row: 0, pass: 3), .paletteIndexOutOfRange(index: 4, paletteSize: 2),
        ]
        for error in errors { #expect(!"\(error)".contains("\n") && "\(error)".count > 20) }
        #expect("\(PNGError.badCRC(chunk: "IHDR", offset: 8, stored: 0xAB, computed: 0x1234_5678))"
                    .contains("IHDR at byte 8 (stored 0x000000ab, computed 0x12345678)"))
    }
}
