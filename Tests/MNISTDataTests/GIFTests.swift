import Testing
import TestSupport
@testable import MNISTData

/// `decodeGreyAlphaGIF` on files built in code: LZW at every code size, tables, interlacing,
/// transparency and the frame's place on the screen.
struct GIFTests {
    static func colour(_ i: Int) -> [UInt8] { [UInt8(i * 29 % 256), UInt8(255 - i * 3 % 256), UInt8(i * 71 % 256)] }
    static func grey(_ i: Int) -> UInt16 { BMPTests.expectedGrey(Int(colour(i)[0]), Int(colour(i)[1]), Int(colour(i)[2])) }

    /// Indices of a frame: smooth runs (long strings, KwKwK codes) broken by noise.
    static func indices(_ count: Int, colours: Int, seed: Int = 1) -> [UInt8] {
        (0..<count).map { i in UInt8((i % 7 == 0 ? (i * 2654435761 + seed) >> 7 : i / 5) % colours) }
    }

    @Test(arguments: [(2, 4), (3, 8), (5, 32), (8, 256)])
    func framesComeBackPixelForPixel(codeSize: Int, colours: Int) throws {
        for interlaced in [false, true] {
            for local in [false, true] {
                let (w, h) = (19, 23)  // 23 rows: every interlace pass, the last ones short
                var file = GIFFixture(width: w, height: h, indices: Self.indices(w * h, colours: colours))
                file.minimumCodeSize = codeSize
                file.interlaced = interlaced
                let table = (0..<colours).map(Self.colour)
                if local { file.localTable = table; file.globalTable = [[9, 9, 9], [1, 1, 1]] } else { file.globalTable = table }
                let image = try decodeGreyAlphaGIF(file.bytes)
                #expect(image.width == w && image.height == h && image.bitDepth == 8)
                #expect(image.grey == file.indices.map { Self.grey(Int($0)) }, "code size \(codeSize), interlaced \(interlaced), local \(local)")
                #expect(image.alpha.allSatisfy { $0 == 65535 })
            }
        }
    }

    /// 300x200 of mostly noise fills the 4096-entry table several times over.
    @Test(arguments: [true, false])
    func aFullCodeTableIsClearedOrKept(clearWhenFull: Bool) throws {
        var file = GIFFixture(width: 300, height: 200, indices: (0..<60_000).map { UInt8(($0 * 2654435761) >> 11 & 255) })
        file.globalTable = (0..<256).map(Self.colour)
        file.clearWhenFull = clearWhenFull
        #expect(try decodeGreyAlphaGIF(file.bytes).grey == file.indices.map { Self.grey(Int($0)) })
    }

    @Test func theFrameSitsOnATransparentScreenWithItsTransparentColour() throws {
        var file = GIFFixture(width: 4, height: 3, indices: [0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 2, 2])
        file.screenWidth = 10
        file.screenHeight = 8
        file.left = 5
        file.top = 2
        file.transparentIndex = 2
        file.globalTable = (0..<4).map(Self.colour)
        let image = try decodeGreyAlphaGIF(file.bytes)
        #expect(image.width == 10 && image.height == 8)
        for y in 0..<8 {
            for x in 0..<10 {
                let inFrame = (5..<9).contains(x) && (2..<5).contains(y)
                let index = inFrame ? Int(file.indices[(y - 2) * 4 + x - 5]) : nil
                #expect(image.alpha[y * 10 + x] == (index == nil || index == 2 ? 0 : 65535), "(\(x), \(y))")
                #expect(image.grey[y * 10 + x] == index.map(Self.grey) ?? 0, "(\(x), \(y))")
            }
        }
        // A frame reaching past the screen makes the picture larger, not the frame smaller.
        file.screenWidth = 6
        let grown = try decodeGreyAlphaGIF(file.bytes)
        #expect(grown.width == 9 && grown.height == 8 && grown.alpha[2 * 9 + 8] == 65535)
    }

    @Test func everyCutShortFileIsAnError() throws {
        var file = GIFFixture(width: 7, height: 6, indices: Self.indices(42, colours: 16))
        file.globalTable = (0..<16).map(Self.colour)
        file.transparentIndex = 3
        let bytes = file.bytes
        for n in 0..<(bytes.count - 1) {  // the trailer byte is not needed: the first frame is done
            #expect(gifError(Array(bytes.prefix(n))) != nil, "\(n) bytes")
        }
        #expect(gifError(Array(bytes.prefix(10))) == .truncated(offset: 10, expected: "the logical screen descriptor"))
        #expect(gifError(Array("GIF8".utf8)) == .truncated(offset: 4, expected: "the GIF signature"))
        #expect(gifError(Array("GIF90a".utf8) + [0, 0]) == .notGIF)
    }

    @Test func damagedFilesSayWhatIsWrong() throws {
        var file = GIFFixture(width: 3, height: 2, indices: [0, 1, 2, 3, 4, 5])
        #expect(gifError(file.bytes) == .noColourTable)
        file.globalTable = (0..<4).map(Self.colour)
        #expect(gifError(file.bytes) == .colourIndexOutOfRange(index: 4, tableSize: 4))
        file.globalTable = (0..<8).map(Self.colour)
        file.minimumCodeSize = 9
        #expect(gifError(file.bytes) == .badCodeSize(9))

        file.screenWidth = 40_000
        file.screenHeight = 40_000
        #expect(gifError(file.bytes) == .tooLarge(width: 40_000, height: 40_000, limit: maxPNGPixels))

        // Hand-made LZW with code size 2 (clear 4, end 5): a code not yet defined; an early end.
        #expect(lzwError(packCodes([4, 1, 7], size: 3), minimumCodeSize: 2, count: 6)
                == .badImageData(reason: "code 7 is not yet defined (the next is 6)"))
        #expect(lzwError(packCodes([4, 1, 5], size: 3), minimumCodeSize: 2, count: 6)
                == .badImageData(reason: "its end code comes after 1 of 6 pixels"))
        #expect(lzwError(packCodes([4, 6], size: 3), minimumCodeSize: 2, count: 6)
                == .badImageData(reason: "code 6 comes before any string is defined"))
        // 1, 1, then the last byte's 7 bits of zero padding: a 3-bit 0 (the table reaches 8 codes,
        // so codes grow to 4 bits), a 4-bit 0, and nothing more: 4 pixels.
        #expect(lzwError(packCodes([4, 1, 1], size: 3), minimumCodeSize: 2, count: 6)
                == .badImageData(reason: "it ends after 4 of 6 pixels"))
        // 2 bytes are at most 5 codes of 3 bits, each fewer than 4096 indices.
        #expect(lzwError([0, 0], minimumCodeSize: 2, count: 5 * 4095 + 1)
                == .badImageData(reason: "2 bytes cannot hold the 20476 pixels of the frame"))
        // KwKwK: code 6 used as it is being defined is 1, 1.
        #expect(try decodeGIFLZW(packCodes([4, 1, 6, 5], size: 3), minimumCodeSize: 2, count: 3) == [1, 1, 1])

        let block = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255]
        #expect(gifError(block + [0x3B]) == .noImage)
        #expect(gifError(block + [0x99]) == .unknownBlock(offset: 19, value: 0x99))
    }

    @Test func interlacedRowsCoverEveryRowOnce() {
        for height in 1...40 {
            #expect(interlacedRowOrder(height: height).sorted() == Array(0..<height))
        }
        #expect(interlacedRowOrder(height: 10) == [0, 8, 4, 2, 6, 1, 3, 5, 7, 9])
    }

    @Test func everyErrorIsOneLine() {
        let errors: [GIFError] = [.notGIF, .truncated(offset: 1, expected: "x"), .badDimensions(width: 0, height: 0),
                                  .tooLarge(width: 1, height: 1, limit: 1 << 26), .unknownBlock(offset: 1, value: 2), .noImage,
                                  .noColourTable, .badCodeSize(1), .badImageData(reason: "r"), .colourIndexOutOfRange(index: 1, tableSize: 1)]
        for error in errors { #expect(!error.description.contains("\n") && error.description.count > 20) }
    }
}

/// Codes of one fixed size, least significant bit first.
private func packCodes(_ codes: [Int], size: Int) -> [UInt8] {
    var out: [UInt8] = [], buffer = 0, bits = 0
    for code in codes {
        buffer |= code << bits
        bits += size
        while bits >= 8 { out.append(UInt8(buffer & 255)); buffer >>= 8; bits -= 8 }
    }
    if bits > 0 { out.append(UInt8(buffer)) }
    return out
}

/// The error decoding `bytes` throws, or nil when it succeeds.
private func gifError(_ bytes: [UInt8]) -> GIFError? {
    caughtError { () throws(GIFError) in try decodeGreyAlphaGIF(bytes) }
}

private func lzwError(_ data: [UInt8], minimumCodeSize: Int, count: Int) -> GIFError? {
    caughtError { () throws(GIFError) in try decodeGIFLZW(data, minimumCodeSize: minimumCodeSize, count: count) }
}
