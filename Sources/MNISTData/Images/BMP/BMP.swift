/// Everything that can be wrong with a BMP file. Offsets are byte offsets into the file.
/// The description names the problem and what to do; the caller adds the file name.
public enum BMPError: Error, Equatable, CustomStringConvertible {
    /// The file does not start with "BM".
    case notBMP
    /// The file ends in the middle of something; `expected` says what.
    case truncated(offset: Int, expected: String)
    /// The info header's size is none of the known ones (12 core, 40 info, 52/56/108/124 with masks).
    case unsupportedHeader(size: Int)
    case badDimensions(width: Int, height: Int)
    case tooLarge(width: Int, height: Int, limit: Int)
    case badBitCount(Int)
    /// Compression 4 and 5 (an embedded JPEG or PNG), or a value BMP does not define.
    case unsupportedCompression(Int)
    /// The compression does not go with the bit count (RLE8 needs 8 bits a pixel, RLE4 4...).
    case compressionMismatch(compression: String, bitCount: Int)
    case badColourMask(reason: String)
    case paletteIndexOutOfRange(index: Int, paletteSize: Int)

    public var description: String {
        let damaged = PictureMessage.damaged
        switch self {
        case .notBMP:
            return "not a BMP file (no \"BM\" at the start)"
        case .truncated(let offset, let expected):
            return PictureMessage.truncated(offset: offset, expected: expected)
        case .unsupportedHeader(let size):
            return "BMP info header of \(size) bytes is not one this decoder reads (12, 40, 52, 56, 108, 124); save it again as a standard BMP or PNG"
        case .badDimensions(let w, let h):
            return "BMP size \(w)x\(h) is invalid; \(damaged)"
        case .tooLarge(let w, let h, let limit):
            return PictureMessage.tooLarge(width: w, height: h, limit: limit)
        case .badBitCount(let n):
            return "BMP bit count \(n) is invalid (valid: 1, 4, 8, 16, 24, 32); \(damaged)"
        case .unsupportedCompression(let value):
            let what = value == 4 ? "an embedded JPEG" : value == 5 ? "an embedded PNG" : "compression \(value)"
            return "BMP holds \(what), which this decoder does not read; save it as an uncompressed BMP or PNG"
        case .compressionMismatch(let compression, let bitCount):
            return "\(compression) compression with \(bitCount) bits a pixel is invalid; \(damaged)"
        case .badColourMask(let reason):
            return "bad BMP colour mask: \(reason); \(damaged)"
        case .paletteIndexOutOfRange(let index, let size):
            return "a pixel uses palette index \(index) but the palette has only \(size) entries; \(damaged)"
        }
    }
}

/// The compression methods BMP defines that this decoder reads (the info header's field).
enum BMPCompression: UInt32 {
    case none = 0, rle8 = 1, rle4 = 2, bitFields = 3, alphaBitFields = 6

    var name: String {
        switch self {
        case .none: return "no"
        case .rle8: return "RLE8"
        case .rle4: return "RLE4"
        case .bitFields: return "BI_BITFIELDS"
        case .alphaBitFields: return "BI_ALPHABITFIELDS"
        }
    }
}
