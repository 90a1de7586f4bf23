/// An opaque RGB picture being drawn: (height, width, 3) bytes, row-major. Drawing outside it is
/// clipped, so callers lay out without bounds checks of their own.
public struct PictureCanvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    private(set) var rgb: [UInt8]

    init(width: Int, height: Int, background: RGBColour = .white) {
        precondition(width >= 1 && height >= 1, "PictureCanvas: \(width)x\(height)")
        self.width = width
        self.height = height
        rgb = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, with: background)
    }

    public subscript(x: Int, y: Int) -> RGBColour {
        get {
            let i = (y * width + x) * 3
            return RGBColour(rgb[i], rgb[i + 1], rgb[i + 2])
        }
        set {
            guard (0..<width).contains(x) && (0..<height).contains(y) else { return }
            let i = (y * width + x) * 3
            rgb[i] = newValue.r; rgb[i + 1] = newValue.g; rgb[i + 2] = newValue.b
        }
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with colour: RGBColour) {
        for row in max(y, 0)..<max(min(y + h, height), max(y, 0)) {
            for column in max(x, 0)..<max(min(x + w, width), max(x, 0)) { self[column, row] = colour }
        }
    }

    /// As an 8-bit RGB PNG (colour type 2).
    public func encodedPNG() -> [UInt8] { encodeRGBPNG(width: width, height: height, rgb: rgb) }
}
