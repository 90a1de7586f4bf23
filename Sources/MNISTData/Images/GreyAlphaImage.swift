/// A picture reduced to what reading a digit needs, at the file's full precision: the grey (luma)
/// of each pixel's colour, not composited, and its alpha, both 0...65535, row-major.
///
/// Made by `decodeGreyAlphaPNG`, so a 16-bit PNG keeps its 16 bits until the digit is normalised
/// (a scan using 500...3000 of 65535 would keep only 10 grey levels as 8-bit RGBA).
public struct GreyAlphaImage: Sendable, Equatable {
    let width: Int
    let height: Int
    /// BT.601 luma of the colour, 0 (black) ... 65535 (white).
    var grey: [UInt16]
    /// 0 (transparent) ... 65535 (opaque).
    var alpha: [UInt16]
    /// Bits per sample in the source (1...16; 8 for palette colours): how fine its levels are.
    var bitDepth: Int

    init(width: Int, height: Int, grey: [UInt16], alpha: [UInt16], bitDepth: Int) {
        self.width = width
        self.height = height
        self.grey = grey
        self.alpha = alpha
        self.bitDepth = bitDepth
    }

    /// The grey and alpha of an 8-bit RGBA picture (each 8-bit b becomes 257 * b). Pixels beyond
    /// width * height, or missing ones, are not invented: a malformed image keeps its counts, and
    /// `mnistDigit` reports it.
    init(_ image: RGBAImage) {
        let count = image.pixels.count / 4
        var grey = [UInt16](repeating: 0, count: count), alpha = [UInt16](repeating: 0, count: count)
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<count {
                grey[i] = luma16(UInt16(p[4 * i]) * 257, UInt16(p[4 * i + 1]) * 257, UInt16(p[4 * i + 2]) * 257)
                alpha[i] = UInt16(p[4 * i + 3]) * 257
            }
        }
        self.init(width: image.width, height: image.height, grey: grey, alpha: alpha, bitDepth: 8)
    }
}
