/// The wording every picture decoder's errors share, so a cut-short or oversized file reads the
/// same whatever its format.
enum PictureMessage {
    /// What to do about a file whose bytes break its format's rules.
    static let damaged = "the file is damaged; export or download it again"

    static func truncated(offset: Int, expected: String) -> String {
        "file ends at byte \(offset) where \(expected) should follow (truncated download?)"
    }

    static func tooLarge(width: Int, height: Int, limit: Int) -> String {
        "image is \(width)x\(height) pixels, more than the \(limit / (1 << 20)) megapixel limit; scale it down first"
    }
}
