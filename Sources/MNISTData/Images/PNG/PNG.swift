/// A decoded picture: 8-bit RGBA, row-major, 4 bytes per pixel (`pixels.count == width * height * 4`).
public struct RGBAImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

/// Largest image `decodePNG` accepts, in pixels (64 Mi); checked from IHDR before anything is allocated.
let maxPNGPixels = 1 << 26

/// PNG's five colour types (IHDR byte 9); the raw value is the one stored in the file.
public enum PNGColourType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6

    /// Samples per pixel as stored in the scanlines.
    var channels: Int {
        switch self {
        case .grey, .palette: return 1
        case .greyAlpha: return 2
        case .rgb: return 3
        case .rgba: return 4
        }
    }

    /// The bit depths the PNG specification allows for this colour type (table 11.1).
    var allowedBitDepths: [Int] {
        switch self {
        case .grey: return [1, 2, 4, 8, 16]
        case .palette: return [1, 2, 4, 8]
        case .rgb, .greyAlpha, .rgba: return [8, 16]
        }
    }

    public var description: String {
        switch self {
        case .grey: return "greyscale"
        case .rgb: return "RGB"
        case .palette: return "palette"
        case .greyAlpha: return "greyscale+alpha"
        case .rgba: return "RGBA"
        }
    }
}

/// The validated contents of IHDR.
struct PNGHeader: Equatable {
    var width: Int
    var height: Int
    var bitDepth: Int
    var colourType: PNGColourType
    var interlaced: Bool

    var bitsPerPixel: Int { bitDepth * colourType.channels }
    /// Distance in bytes to "the corresponding byte of the pixel to the left" for filtering (at least 1).
    var filterStride: Int { max(1, bitsPerPixel / 8) }
    /// Bytes in one scanline of `pixels` pixels, without the filter-type byte.
    func rowBytes(pixels: Int) -> Int { (pixels * bitsPerPixel + 7) / 8 }

    /// Size of the whole decompressed IDAT stream: every pass's rows, each with its filter byte.
    /// Empty passes (no columns or no rows) contribute nothing, not even filter bytes.
    var filteredDataSize: Int {
        passes(width: width, height: height, interlaced: interlaced)
            .filter { $0.width > 0 && $0.height > 0 }
            .reduce(0) { $0 + $1.height * (1 + rowBytes(pixels: $1.width)) }
    }
}

/// Everything that can be wrong with a PNG file. Offsets are byte offsets into the file.
/// The description names the problem and what to do; the caller adds the file name.
public enum PNGError: Error, Equatable, CustomStringConvertible {
    /// The first bytes are not PNG's signature; `looksLike` names the format when it is recognisable.
    case notPNG(looksLike: String?)
    /// The signature is almost right: the file was a PNG but was damaged in transfer.
    case damagedSignature(reason: String)
    /// The file ends in the middle of something; `expected` says what.
    case truncated(offset: Int, expected: String)
    case badChunkLength(chunk: String, offset: Int, length: UInt32)
    case badChunkType(offset: Int)
    case badCRC(chunk: String, offset: Int, stored: UInt32, computed: UInt32)
    case firstChunkNotIHDR(found: String)
    case badHeaderLength(Int)
    case badDimensions(width: UInt32, height: UInt32)
    case tooLarge(width: Int, height: Int, limit: Int)
    case badColourType(UInt8)
    case badBitDepth(bitDepth: UInt8, colourType: UInt8)
    /// IHDR's compression, filter or interlace method has a value the standard does not define.
    case unknownMethod(field: String, value: UInt8)
    /// A chunk appears where the standard forbids it (duplicate IHDR, PLTE after IDAT, split IDATs...).
    case misplacedChunk(chunk: String, offset: Int, reason: String)
    case unknownCriticalChunk(chunk: String, offset: Int)
    case badPalette(reason: String)
    case missingPalette
    case badTransparency(reason: String)
    case missingImageData
    /// The IDAT zlib stream is damaged (bad deflate data, checksum, or ends early).
    case compressedData(InflateError)
    case imageDataTooShort(expected: Int, got: Int)
    case imageDataTooLong(expected: Int)
    case badFilterType(value: UInt8, row: Int, pass: Int?)
    case paletteIndexOutOfRange(index: Int, paletteSize: Int)

    public var description: String {
        let damaged = PictureMessage.damaged
        switch self {
        case .notPNG(let format?):
            return "not a PNG file (it looks like \(format)); convert it to PNG first"
        case .notPNG(nil):
            return "not a PNG file (no PNG signature at the start); convert it to PNG first"
        case .damagedSignature(let reason):
            return "damaged PNG signature: \(reason)"
        case .truncated(let offset, let expected):
            return PictureMessage.truncated(offset: offset, expected: expected)
        case .badChunkLength(let chunk, let offset, let length):
            return "chunk \(chunk) at byte \(offset) claims \(length) bytes, more than PNG allows; \(damaged)"
        case .badChunkType(let offset):
            return "chunk at byte \(offset) has a type that is not four letters; \(damaged)"
        case .badCRC(let chunk, let offset, let stored, let computed):
            return "CRC mismatch in chunk \(chunk) at byte \(offset) (stored \(hex(stored)), computed \(hex(computed))); \(damaged)"
        case .firstChunkNotIHDR(let found):
            return "first chunk is \(found), but a PNG must start with IHDR; \(damaged)"
        case .badHeaderLength(let n):
            return "IHDR holds \(n) bytes instead of 13; \(damaged)"
        case .badDimensions(let w, let h):
            return "IHDR size \(w)x\(h) is invalid (each side must be 1...2^31-1); \(damaged)"
        case .tooLarge(let w, let h, let limit):
            return PictureMessage.tooLarge(width: w, height: h, limit: limit)
        case .badColourType(let t):
            return "IHDR colour type \(t) is invalid (valid: 0, 2, 3, 4, 6); \(damaged)"
        case .badBitDepth(let d, let t):
            let allowed = PNGColourType(rawValue: t).map { $0.allowedBitDepths.map(String.init).joined(separator: ", ") } ?? "?"
            return "IHDR bit depth \(d) is invalid for colour type \(t) (valid: \(allowed)); \(damaged)"
        case .unknownMethod(let field, let value):
            return "IHDR \(field) method \(value) is not defined by the PNG standard; \(damaged)"
        case .misplacedChunk(let chunk, let offset, let reason):
            return "chunk \(chunk) at byte \(offset) is out of place: \(reason); \(damaged)"
        case .unknownCriticalChunk(let chunk, let offset):
            return "unknown critical chunk \(chunk) at byte \(offset); this PNG needs a feature this decoder lacks"
        case .badPalette(let reason):
            return "bad PLTE chunk: \(reason); \(damaged)"
        case .missingPalette:
            return "palette image has no PLTE chunk; \(damaged)"
        case .badTransparency(let reason):
            return "bad tRNS chunk: \(reason); \(damaged)"
        case .missingImageData:
            return "no IDAT chunk: the file holds no image data; \(damaged)"
        case .compressedData(let error):
            return "IDAT image data: \(error); \(damaged)"
        case .imageDataTooShort(let expected, let got):
            return "IDAT image data holds \(got) bytes after decompression, IHDR implies \(expected); \(damaged)"
        case .imageDataTooLong(let expected):
            return "IDAT image data is longer after decompression than the \(expected) bytes IHDR implies; \(damaged)"
        case .badFilterType(let value, let row, let pass):
            let place = pass.map { "row \(row) of interlace pass \($0)" } ?? "row \(row)"
            return "\(place) has filter type \(value) (valid: 0...4); \(damaged)"
        case .paletteIndexOutOfRange(let index, let size):
            return "a pixel uses palette index \(index) but PLTE has only \(size) entries; \(damaged)"
        }
    }
}
