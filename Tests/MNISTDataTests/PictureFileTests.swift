import Testing
import TestSupport
@testable import MNISTData

/// `decodeGreyAlphaPicture` tells formats apart by their bytes: PNG, JPEG, BMP and GIF are decoded,
/// the rest named in a one-line error with a command that converts them.
struct PictureFileTests {
    @Test func pngAndJPEGAreDecodedWhateverTheyAreCalled() throws {
        let grey = (0..<(20 * 12)).map { UInt8(($0 * 37) % 256) }
        let png = try decodeGreyAlphaPicture(encodeGreyPNG(width: 20, height: 12, grey: grey), minimumPixels: .max)
        #expect(png.grey == grey.map { UInt16($0) * 257 })
        let jpegBytes = encodeGreyJPEG(width: 40, height: 24, grey: [UInt8](repeating: 90, count: 40 * 24), quality: 90)
        let jpeg = try decodeGreyAlphaPicture(jpegBytes, minimumPixels: .max)
        #expect(jpeg.width == 40 && jpeg.grey.allSatisfy { $0 == 90 * 257 })
        // The JPEG is decoded at the largest reduction that keeps the pixels asked for: 1/4 here.
        let reduced = try decodeGreyAlphaPicture(jpegBytes, minimumPixels: 60)
        #expect(reduced.width == 10 && reduced.height == 6)
    }

    @Test func bmpAndGIFAreDecodedThroughTheSameDoor() throws {
        var bmp = BMPFixture(width: 3, height: 2, bitCount: 24)
        bmp.pixels = [0x000000, 0xFFFFFF, 0x808080, 0xFF0000, 0x00FF00, 0x0000FF]
        #expect(try decodeGreyAlphaPicture(bmp.bytes, minimumPixels: .max) == decodeGreyAlphaBMP(bmp.bytes))
        var gif = GIFFixture(width: 4, height: 2, indices: [0, 1, 1, 0, 1, 0, 0, 1])
        gif.globalTable = [[0, 0, 0], [255, 255, 255]]
        let picture = try decodeGreyAlphaPicture(gif.bytes, minimumPixels: .max)
        #expect(picture == (try decodeGreyAlphaGIF(gif.bytes)))
        #expect(picture.grey == [0, 65535, 65535, 0, 65535, 0, 0, 65535])
    }

    static let others: [(String, [UInt8], String)] = [
        ("TIFF", [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0], "TIFF is not supported; convert it to PNG first, e.g. `convert scan.tiff scan.png`"),
        ("TIFF big-endian", [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8], "TIFF is not supported; convert it to PNG first, e.g. `convert scan.tiff scan.png`"),
        ("WebP", Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), "WebP is not supported; convert it to PNG first, e.g. `convert picture.webp picture.png`"),
        ("HEIC", [0, 0, 0, 24] + Array("ftypheic\u{0}\u{0}\u{0}\u{0}mif1heic".utf8), "HEIC is not supported; convert it to PNG first, e.g. `convert photo.heic photo.png`"),
        ("HEIF by mif1", [0, 0, 0, 20] + Array("ftypmif1\u{0}\u{0}\u{0}\u{0}mif1".utf8), "HEIC is not supported; convert it to PNG first, e.g. `convert photo.heic photo.png`"),
        ("AVIF", [0, 0, 0, 28] + Array("ftypavif\u{0}\u{0}\u{0}\u{0}avifmif1miaf".utf8), "AVIF is not supported; convert it to PNG first, e.g. `convert photo.avif photo.png`"),
        ("SVG", Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), "SVG is not supported; convert it to PNG first, e.g. `convert drawing.svg drawing.png`"),
        ("SVG after an XML declaration", Array("\u{FEFF}<?xml version=\"1.0\"?>\n<svg/>".utf8), "SVG is not supported; convert it to PNG first, e.g. `convert drawing.svg drawing.png`"),
        ("MP4, not a picture", [0, 0, 0, 20] + Array("ftypisom\u{0}\u{0}\u{0}\u{0}isom".utf8), PictureError.unknownFormat.description),
        ("XML, not SVG", Array("<?xml version=\"1.0\"?><html/>".utf8), PictureError.unknownFormat.description),
        ("text", Array("hello".utf8), "not a PNG, JPEG, BMP or GIF picture (its first bytes match no picture format); convert it to PNG first"),
        ("empty", [], "the file is empty"),
    ]

    @Test(arguments: others.indices) func otherFormatsAreNamedWithAConversion(_ i: Int) {
        let (name, bytes, message) = Self.others[i]
        let error = caughtError { () throws(PictureError) in try decodeGreyAlphaPicture(bytes, minimumPixels: .max) }
        #expect(error?.description == message, "\(name)")
    }

    /// A damaged PNG signature or JPEG header is the decoder's to report, not "unknown format".
    @Test func damagedFilesOfAKnownFormatGetTheirDecodersError() {
        let png = caughtError { () throws(PictureError) in try decodeGreyAlphaPicture([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x0A, 0x0A], minimumPixels: 1) }
        guard case .png = png else { Issue.record("\(String(describing: png))"); return }
        let jpeg = caughtError { () throws(PictureError) in try decodeGreyAlphaPicture([0xFF, 0xD8, 0xFF, 0xE0, 0, 16], minimumPixels: 1) }
        #expect(jpeg == .jpeg(.truncated(offset: 6, expected: "the rest of the APP0 segment (16 bytes)")))
    }

    /// EXIF in either byte order; the orientation tag among others.
    @Test func exifOrientationIsReadInBothByteOrders() {
        func exif(bigEndian: Bool, orientation: UInt16, type: UInt16 = 3) -> [UInt8] {
            func u16(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 255)] : [UInt8(v & 255), UInt8(v >> 8)] }
            func u32(_ v: UInt32) -> [UInt8] { bigEndian ? (0..<4).map { UInt8((v >> (24 - 8 * $0)) & 255) } : (0..<4).map { UInt8((v >> (8 * $0)) & 255) } }
            let other = u16(0x010F) + u16(2) + u32(4) + u32(0)  // Make, an ASCII tag before it
            let tag = u16(0x0112) + u16(type) + u32(1) + u16(orientation) + u16(0)
            return Array("Exif".utf8) + [0, 0] + (bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]) + u16(42) + u32(8) + u16(2) + other + tag + u32(0)
        }
        func read(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { exifOrientation($0) } }
        for bigEndian in [false, true] {
            for orientation in 1...8 { #expect(read(exif(bigEndian: bigEndian, orientation: UInt16(orientation))) == orientation) }
            #expect(read(exif(bigEndian: bigEndian, orientation: 9)) == nil)
            #expect(read(exif(bigEndian: bigEndian, orientation: 6, type: 4)) == nil)  // not a SHORT
            #expect(read(Array(exif(bigEndian: bigEndian, orientation: 6).prefix(30))) == nil)  // cut inside the IFD
        }
    }
}
