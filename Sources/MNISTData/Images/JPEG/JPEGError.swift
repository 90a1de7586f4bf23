/// What can be wrong with a JPEG file, each with a one-line description that says what to do.
public enum JPEGError: Error, Equatable, CustomStringConvertible {
    /// The first bytes are not FF D8 (start of image).
    case notJPEG
    /// The file ends at `offset` where `expected` should follow.
    case truncated(offset: Int, expected: String)
    /// A marker segment whose length does not fit its contents or the file.
    case badSegment(marker: String, offset: Int, reason: String)
    /// A valid JPEG feature this decoder does not read (12-bit, arithmetic coding, lossless, CMYK...).
    case unsupported(String)
    /// The frame header declares no pixels, or sampling factors outside 1...4.
    case badFrame(String)
    /// More pixels than the decoder will produce, or more blocks than the file could encode.
    case tooLarge(width: Int, height: Int, reason: String)
    /// A scan header that contradicts the frame (unknown component, undefined table, bad band).
    case badScan(String)
    /// The compressed pixel data is damaged: an invalid Huffman code, a coefficient past 63, a
    /// missing restart marker.
    case corruptData(offset: Int, reason: String)
    /// A second frame, a scan before the frame, no scan at all.
    case badStructure(String)

    public var description: String {
        let damaged = PictureMessage.damaged
        let convert = "convert it to PNG first, e.g. `convert photo.jpg photo.png`"
        switch self {
        case .notJPEG:
            return "not a JPEG file (it does not start with FF D8)"
        case .truncated(let offset, let expected):
            return "JPEG ends at byte \(offset) where \(expected) should follow (truncated download?)"
        case .badSegment(let marker, let offset, let reason):
            return "JPEG \(marker) segment at byte \(offset): \(reason); \(damaged)"
        case .unsupported(let what):
            return "\(what) JPEGs are not supported; \(convert)"
        case .badFrame(let reason):
            return "JPEG frame header: \(reason); \(damaged)"
        case .tooLarge(let width, let height, let reason):
            return "JPEG declares \(width)x\(height) pixels: \(reason)"
        case .badScan(let reason):
            return "JPEG scan header: \(reason); \(damaged)"
        case .corruptData(let offset, let reason):
            return "JPEG image data near byte \(offset): \(reason); \(damaged)"
        case .badStructure(let reason):
            return "JPEG structure: \(reason); \(damaged)"
        }
    }
}
