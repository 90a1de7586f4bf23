/// Everything that can be wrong with a GIF file. Offsets are byte offsets into the file.
/// The description names the problem and what to do; the caller adds the file name.
public enum GIFError: Error, Equatable, CustomStringConvertible {
    /// The file does not start with "GIF87a" or "GIF89a".
    case notGIF
    /// The file ends in the middle of something; `expected` says what.
    case truncated(offset: Int, expected: String)
    case badDimensions(width: Int, height: Int)
    case tooLarge(width: Int, height: Int, limit: Int)
    /// A byte where a block should start that is none of GIF's (0x21 extension, 0x2C image, 0x3B end).
    case unknownBlock(offset: Int, value: UInt8)
    /// The file ends (trailer) before its first image.
    case noImage
    /// Neither the image nor the file has a colour table.
    case noColourTable
    case badCodeSize(Int)
    /// The LZW stream is damaged; `reason` says how.
    case badImageData(reason: String)
    case colourIndexOutOfRange(index: Int, tableSize: Int)

    public var description: String {
        let damaged = PictureMessage.damaged
        switch self {
        case .notGIF:
            return "not a GIF file (no GIF87a or GIF89a at the start)"
        case .truncated(let offset, let expected):
            return PictureMessage.truncated(offset: offset, expected: expected)
        case .badDimensions(let w, let h):
            return "GIF size \(w)x\(h) is invalid; \(damaged)"
        case .tooLarge(let w, let h, let limit):
            return PictureMessage.tooLarge(width: w, height: h, limit: limit)
        case .unknownBlock(let offset, let value):
            return "byte \(offset) is \(value), which starts no GIF block; \(damaged)"
        case .noImage:
            return "the GIF holds no image; \(damaged)"
        case .noColourTable:
            return "the GIF has no colour table, neither the image's nor a global one; \(damaged)"
        case .badCodeSize(let n):
            return "LZW minimum code size \(n) is invalid (valid: 2...8); \(damaged)"
        case .badImageData(let reason):
            return "GIF image data: \(reason); \(damaged)"
        case .colourIndexOutOfRange(let index, let size):
            return "a pixel uses colour \(index) but the colour table has only \(size) entries; \(damaged)"
        }
    }
}
