import Testing
import TestSupport
@testable import MNISTData

/// Hostile inputs found while fuzzing (scripts/fuzz.sh) or while reviewing the parsers for it, each
/// pinned here with its bytes built in code: memory bounded by the real data, never by a claim;
/// no arithmetic trap on absurd sizes; errors that say what is wrong.
struct FuzzRegressionTests {
    // MARK: mnistDigit's working memory

    @Test func picturesAboveTheWorkingLimitAreShrunkByTheSmallestWholeFactor() {
        #expect(maxDigitWorkingPixels == 1 << 20)
        #expect(digitShrinkFactor(width: 28, height: 28) == 1)
        #expect(digitShrinkFactor(width: 1024, height: 1024) == 1)
        #expect(digitShrinkFactor(width: 1025, height: 1024) == 2)    // 513 x 512
        #expect(digitShrinkFactor(width: 2100, height: 2100) == 3)    // 1050^2 is just over, 700^2 under
        #expect(digitShrinkFactor(width: 8192, height: 8192) == 8)    // PNG's 64-megapixel limit
        #expect(digitShrinkFactor(width: 1 << 26, height: 1) == 64)   // one very long row
        #expect(digitShrinkFactor(width: (1 << 21) + 1, height: 1) == 3)  // 2: a partial block makes 2^20 + 1
    }

    /// A 2100x2100 picture (17.6 MB of RGBA; ~180 MB of working memory at full size) made of 3x3
    /// blocks of a 700x700 one is processed as that 700x700 one: block means of equal values are
    /// exact, so the digits are identical byte for byte.
    @Test func aLargePictureGivesTheDigitOfItsBlockAveragedVersion() throws {
        let small = 700, factor = 3, big = small * factor
        func ink(_ x: Int, _ y: Int) -> UInt8 {  // a dark, slightly slanted "0" on off-white paper
            let dx = Double(x - 350) + 0.2 * Double(y - 350), dy = Double(y - 350) / 1.4
            let r = (dx * dx + dy * dy).squareRoot()
            return r > 150 && r < 210 ? UInt8(30 + (x * 7 + y * 3) % 20) : UInt8(235 + (x + y) % 11)
        }
        var smallPixels = [UInt8](), bigPixels = [UInt8]()
        smallPixels.reserveCapacity(small * small * 4)
        bigPixels.reserveCapacity(big * big * 4)
        for y in 0..<small {
            var bigRow = [UInt8]()
            for x in 0..<small {
                let v = ink(x, y), pixel: [UInt8] = [v, v, v &+ 5 > v ? v &+ 5 : v, 255]
                smallPixels += pixel
                for _ in 0..<factor { bigRow += pixel }
            }
            for _ in 0..<factor { bigPixels += bigRow }
        }
        let fromSmall = try mnistDigit(from: RGBAImage(width: small, height: small, pixels: smallPixels))
        let fromBig = try mnistDigit(from: RGBAImage(width: big, height: big, pixels: bigPixels))
        #expect(fromSmall.filter { $0 > 128 }.count > 50)  // the ring is there
        #expect(fromBig == fromSmall)
    }

    @Test func anImageWhoseByteCountOverflowsIsMalformedNotATrap() {
        let image = RGBAImage(width: Int.max / 2, height: 3, pixels: [1, 2, 3, 4])
        let error = #expect(throws: DigitFormError.self) { try mnistDigit(from: image) }
        #expect(error == .malformedImage(width: Int.max / 2, height: 3, bytes: 4))
        #expect(error?.description.contains("4 bytes of RGBA, more than memory holds expected") == true)
    }

    // MARK: Claims larger than the data

    /// IHDR claims 8192x8192 (the 64-megapixel limit, 64 MiB of filtered data) over an IDAT that
    /// inflates to 64 bytes: refused with the real size, without allocating the claim.
    @Test func aMaximalIHDROverATinyIDATIsRefusedAtTheRealSize() {
        let side = Fixtures.bigEndian(UInt32(8192))
        let png = pngSignature + pngChunk("IHDR", side + side + [8, 0, 0, 0, 0])
            + pngChunk("IDAT", deflateCompress([UInt8](repeating: 0, count: 64), format: .zlib)) + pngChunk("IEND", [])
        #expect(png.count < 100)
        #expect(throws: PNGError.imageDataTooShort(expected: 8192 * 8193, got: 64)) { try decodePNG(png) }
    }

    /// `skip` counts exactly, across its buffer's growth, and stops at the limit inside a bomb.
    @Test func skipCountsWhatFollowsWithoutKeepingIt() throws {
        for size in [0, 1, 511, 512, 513, 70_000, 200_000] {
            let stream = try InflateStream(deflateCompress((0..<(size + 10)).map { UInt8(truncatingIfNeeded: $0 * 7) },
                                                           format: .gzipOrZlib))
            #expect(try stream.read(exactly: 10) == (0..<10).map { UInt8($0 * 7) })
            #expect(try stream.skip(upTo: 1 << 20) == size, "size \(size)")
        }
        let bomb = try InflateStream(deflateCompress([UInt8](repeating: 0, count: 3 << 20), format: .gzipOrZlib))
        #expect(try bomb.skip(upTo: (1 << 20) + 1) == (1 << 20) + 1)
    }

    // MARK: Messages

    @Test func aGzipChecksumErrorSaysCRC() {
        var gz = deflateCompress([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9], format: .gzipOrZlib)
        gz[gz.count - 8] ^= 0x01
        let error = #expect(throws: IDXError.self) { try parseIDX(gz, file: "labels.gz") }
        guard case .compressed("labels.gz", .corrupt(reason: "incorrect data check"), _) = error else {
            Issue.record("expected a CRC error, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("corrupt compressed data (incorrect data check): the stored checksum (CRC)") == true)
    }

    /// The library cannot know the CLI's options; its hint used to name a `--classes` that does not exist.
    @Test func datasetErrorsNameNoCommandLineOption() {
        let errors: [DatasetError] = [
            .labelOutOfRange(file: "l", index: 3, label: 12, classCount: 10),
            .tooFewClasses(file: "l", classCount: 1, inferred: true),
        ]
        for error in errors { #expect(!error.description.contains("--"), "\(error)") }
        #expect(errors[0].description == "l: label 3 is 12, not below the class count 10; "
            + "check that the labels file belongs with the images and the model")
    }
}
