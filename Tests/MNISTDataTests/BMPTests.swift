import Testing
import TestSupport
@testable import MNISTData

/// `decodeGreyAlphaBMP` on files built in code: every header, bit count, compression and row order.
struct BMPTests {
    /// Colour i of a test palette, from its index.
    static func paletteColour(_ i: Int) -> [UInt8] { [UInt8(i * 53 % 256), UInt8(i * 101 % 256), UInt8(255 - i * 7 % 256)] }

    /// BT.601 luma, rounded, of a colour whose channels run 0...max, each first scaled to 0...65535.
    static func expectedGrey(_ r: Int, _ g: Int, _ b: Int, max: Int = 255) -> UInt16 {
        let scale = { (v: Int) in (v * 65535 + max / 2) / max }
        return UInt16((299 * scale(r) + 587 * scale(g) + 114 * scale(b) + 500) / 1000)
    }

    @Test(arguments: [(1, 12), (1, 40), (4, 12), (4, 40), (4, 124), (8, 40), (8, 108)])
    func paletteImagesGiveTheirColoursGrey(bitCount: Int, headerSize: Int) throws {
        for topDown in headerSize == 12 ? [false] : [false, true] {
            var file = BMPFixture(width: 13, height: 5, bitCount: bitCount)  // 13: rows need padding
            file.headerSize = headerSize
            file.topDown = topDown
            let colours = 1 << bitCount
            file.palette = (0..<colours).map(Self.paletteColour)
            file.pixels = (0..<(13 * 5)).map { UInt32(($0 * 7 + $0 / 13) % colours) }
            let image = try decodeGreyAlphaBMP(file.bytes)
            #expect(image.width == 13 && image.height == 5 && image.bitDepth == 8)
            let expected = file.pixels.map { i in
                let c = Self.paletteColour(Int(i))
                return Self.expectedGrey(Int(c[0]), Int(c[1]), Int(c[2]))
            }
            #expect(image.grey == expected, "\(bitCount) bits, header \(headerSize), top-down \(topDown)")
            #expect(image.alpha.allSatisfy { $0 == 65535 })
        }
    }

    @Test(arguments: [12, 40, 56])
    func twentyFourBitPixelsAreBlueGreenRed(headerSize: Int) throws {
        var file = BMPFixture(width: 7, height: 3, bitCount: 24)
        file.headerSize = headerSize
        file.pixels = (0..<21).map { (i: Int) -> UInt32 in
            let r = UInt32(i * 12 % 256), g = UInt32(i * 31 % 256), b = UInt32(250 - i)
            return r << 16 | g << 8 | b
        }
        let image = try decodeGreyAlphaBMP(file.bytes)
        #expect(image.grey == file.pixels.map { Self.expectedGrey(Int($0 >> 16), Int($0 >> 8 & 255), Int($0 & 255)) })
        #expect(image.alpha.allSatisfy { $0 == 65535 } && image.bitDepth == 8)
    }

    @Test func sixteenBitPixelsAreFiveFiveFiveWithoutMasksAndAsMaskedWithThem() throws {
        let values = (0..<(5 * 4)).map { UInt32($0 * 3371 % 65536) }
        var plain = BMPFixture(width: 5, height: 4, bitCount: 16)
        plain.pixels = values
        let image = try decodeGreyAlphaBMP(plain.bytes)
        #expect(image.grey == values.map { Self.expectedGrey(Int($0 >> 10 & 31), Int($0 >> 5 & 31), Int($0 & 31), max: 31) })
        #expect(image.bitDepth == 5)

        var masked = plain
        masked.compression = 3
        masked.masks = [0xF800, 0x07E0, 0x001F]
        let fiveSixFive = try decodeGreyAlphaBMP(masked.bytes)
        let scale = { (v: UInt32, max: UInt32) in (v * 65535 + max / 2) / max }
        #expect(fiveSixFive.grey == values.map { v in
            UInt16((299 * scale(v >> 11, 31) + 587 * scale(v >> 5 & 63, 63) + 114 * scale(v & 31, 31) + 500) / 1000)
        })
        #expect(fiveSixFive.bitDepth == 6 && fiveSixFive.alpha.allSatisfy { $0 == 65535 })
    }

    @Test(arguments: [(40, UInt32(6)), (56, UInt32(3)), (108, UInt32(3)), (124, UInt32(3))])
    func thirtyTwoBitMasksGiveAlpha(headerSize: Int, compression: UInt32) throws {
        var file = BMPFixture(width: 3, height: 4, bitCount: 32)
        file.headerSize = headerSize
        file.compression = compression
        file.masks = [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0xFF00_0000]
        file.pixels = (0..<12).map { (i: Int) -> UInt32 in
            let a = UInt32(i * 21), r = UInt32(i * 9), g = UInt32(200 - i), b = UInt32(i * i)
            return a << 24 | r << 16 | g << 8 | b
        }
        file.topDown = true
        let image = try decodeGreyAlphaBMP(file.bytes)
        #expect(image.grey == file.pixels.map { Self.expectedGrey(Int($0 >> 16 & 255), Int($0 >> 8 & 255), Int($0 & 255)) })
        #expect(image.alpha == file.pixels.map { UInt16($0 >> 24) * 257 })
    }

    @Test func thirtyTwoBitsWithoutMasksIgnoreTheFourthByte() throws {
        var file = BMPFixture(width: 2, height: 2, bitCount: 32)
        file.pixels = [0x1020_3040, 0x0050_6070, 0xFF80_90A0, 0x7FB0_C0D0]
        let image = try decodeGreyAlphaBMP(file.bytes)
        #expect(image.alpha.allSatisfy { $0 == 65535 })
        #expect(image.grey[2] == Self.expectedGrey(0x80, 0x90, 0xA0))
    }

    @Test func anAlphaMaskWithEveryAlphaZeroMeansOpaque() throws {
        var file = BMPFixture(width: 2, height: 1, bitCount: 32)
        file.headerSize = 124
        file.compression = 3
        file.masks = [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0xFF00_0000]
        file.pixels = [0x0011_2233, 0x0044_5566]
        #expect(try decodeGreyAlphaBMP(file.bytes).alpha == [65535, 65535])
        file.pixels[1] |= 0x0100_0000
        #expect(try decodeGreyAlphaBMP(file.bytes).alpha == [0, 257])
    }

    /// RLE8 and RLE4 data written by hand: runs, absolute runs (with padding), a delta, end of
    /// line and of bitmap. Pixels the data skips are transparent.
    @Test func runLengthDataFillsRowsBottomUpAndSkippedPixelsAreTransparent() throws {
        let width = 6, height = 3
        // Row 0 (the bottom row): run of 3 x index 1, absolute [2, 3, 1]. Row 1: delta (2, 0) then
        // run of 2 x 3, end of line. Row 2: absolute [1, 2, 3] (padded), end of bitmap.
        let rle8: [UInt8] = [3, 1, 0, 3, 2, 3, 1, 0, 0, 0, 0, 2, 2, 0, 2, 3, 0, 0, 0, 3, 1, 2, 3, 0, 0, 1]
        // The same picture in RLE4: runs alternate the two nibbles of their byte.
        let rle4: [UInt8] = [3, 0x11, 0, 3, 0x23, 0x10, 0, 0, 0, 2, 2, 0, 2, 0x33, 0, 0, 0, 3, 0x12, 0x30, 0, 1]
        var expected: [Int?] = Array(repeating: nil, count: width * height)  // palette index, top row first
        func set(_ storedRow: Int, _ x: Int, _ index: Int) { expected[(height - 1 - storedRow) * width + x] = index }
        for (x, i) in [1, 1, 1, 2, 3, 1].enumerated() { set(0, x, i) }
        set(1, 2, 3); set(1, 3, 3)
        for (x, i) in [1, 2, 3].enumerated() { set(2, x, i) }

        for (compression, bits, data) in [(UInt32(1), 8, rle8), (UInt32(2), 4, rle4)] {
            var file = BMPFixture(width: width, height: height, bitCount: bits)
            file.compression = compression
            file.palette = (0..<4).map(Self.paletteColour)
            file.pixelData = data
            let image = try decodeGreyAlphaBMP(file.bytes)
            #expect(image.alpha == expected.map { $0 == nil ? 0 : 65535 }, "RLE\(bits)")
            #expect(image.grey == expected.map { i in
                i.map { let c = Self.paletteColour($0); return Self.expectedGrey(Int(c[0]), Int(c[1]), Int(c[2])) } ?? 0
            }, "RLE\(bits)")
            // Without its end-of-bitmap marker the data is cut short.
            file.pixelData = Array(data.dropLast(2))
            #expect(bmpError(file.bytes)
                    == .truncated(offset: file.bytes.count, expected: "run-length data up to its end-of-bitmap marker"))
        }
    }

    @Test func everyCutShortFileIsAnErrorAndCutsInThePixelsSaySo() throws {
        var file = BMPFixture(width: 9, height: 4, bitCount: 4)
        file.palette = (0..<16).map(Self.paletteColour)
        file.pixels = (0..<36).map { UInt32($0 % 16) }
        let bytes = file.bytes
        let pixelStart = 14 + 40 + 16 * 4
        for n in 0..<bytes.count {
            let error = bmpError(Array(bytes.prefix(n)))
            #expect(error != nil, "\(n) bytes")
            if n >= pixelStart {
                let rows = (n - pixelStart) / 8  // 9 pixels of 4 bits: 5 bytes, padded to 8
                #expect(error == .truncated(offset: n, expected: "pixel row \(rows + 1) of 4"), "\(n) bytes")
            }
        }
        #expect(bmpError([]) == .notBMP)
        #expect(bmpError([0x42]) == .truncated(offset: 1, expected: "the BMP file header"))
    }

    @Test func absurdOrInvalidHeadersAreRefusedBeforeAnythingIsAllocated() throws {
        var huge = BMPFixture(width: 100_000, height: 100_000, bitCount: 24)
        huge.pixelData = []
        #expect(bmpError(huge.bytes) == .tooLarge(width: 100_000, height: 100_000, limit: maxPNGPixels))
        huge.height = -0x7FFF_FFFF
        #expect(bmpError(huge.bytes) == .tooLarge(width: 100_000, height: 0x7FFF_FFFF, limit: maxPNGPixels))

        var file = BMPFixture(width: 2, height: 2, bitCount: 24)
        file.pixels = [1, 2, 3, 4]
        for (change, expected) in [
            ({ (f: inout BMPFixture) in f.width = 0 }, BMPError.badDimensions(width: 0, height: 2)),
            ({ $0.bitCount = 2 }, .badBitCount(2)),
            ({ $0.headerSize = 64 }, .unsupportedHeader(size: 64)),
            ({ $0.compression = 4 }, .unsupportedCompression(4)),
            ({ $0.compression = 1 }, .compressionMismatch(compression: "RLE8", bitCount: 24)),
        ] as [((inout BMPFixture) -> Void, BMPError)] {
            var broken = file
            change(&broken)
            #expect(bmpError(broken.bytes) == expected)
        }

        var masked = BMPFixture(width: 2, height: 1, bitCount: 16)
        masked.compression = 3
        masked.pixels = [0, 0]
        masked.masks = [0xF00F, 0x0F00, 0x00F0]
        #expect(bmpError(masked.bytes) == .badColourMask(reason: "the red mask 0x0000f00f is not one run of bits"))
        masked.masks = [0x1F_0000, 0x0F00, 0x00F0]
        #expect(bmpError(masked.bytes) == .badColourMask(reason: "the red mask 0x001f0000 reaches past the pixel's 16 bits"))

        var palette = BMPFixture(width: 3, height: 1, bitCount: 8)
        palette.palette = (0..<5).map(Self.paletteColour)
        palette.pixels = [0, 4, 5]
        #expect(bmpError(palette.bytes) == .paletteIndexOutOfRange(index: 5, paletteSize: 5))
    }

    @Test func everyErrorIsOneLine() {
        let errors: [BMPError] = [.notBMP, .truncated(offset: 3, expected: "x"), .unsupportedHeader(size: 64),
                                  .badDimensions(width: 0, height: 1), .tooLarge(width: 1, height: 1, limit: 1 << 26),
                                  .badBitCount(3), .unsupportedCompression(5), .compressionMismatch(compression: "RLE4", bitCount: 8),
                                  .badColourMask(reason: "r"), .paletteIndexOutOfRange(index: 3, paletteSize: 2)]
        for error in errors { #expect(!error.description.contains("\n") && error.description.count > 20) }
    }
}

/// The error decoding `bytes` throws, or nil when it succeeds.
private func bmpError(_ bytes: [UInt8]) -> BMPError? {
    caughtError { () throws(BMPError) in try decodeGreyAlphaBMP(bytes) }
}
