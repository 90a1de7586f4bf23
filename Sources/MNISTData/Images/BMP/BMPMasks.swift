/// Where a 16- or 32-bit pixel keeps each channel: a run of bits per channel (BI_BITFIELDS), any
/// width, scaled so that its maximum is 65535.
struct BMPMasks {
    struct Channel {
        let shift: Int
        let bits: Int

        /// Checks that `mask` is one run of set bits (or none) within the pixel's `bitCount` bits.
        init(_ mask: UInt32, name: String, bitCount: Int) throws(BMPError) {
            shift = mask == 0 ? 0 : mask.trailingZeroBitCount
            bits = mask.nonzeroBitCount
            guard mask >> shift == UInt32((UInt64(1) << bits) - 1) else {
                throw .badColourMask(reason: "the \(name) mask \(hex(mask)) is not one run of bits")
            }
            guard bitCount == 32 || mask >> bitCount == 0 else {
                throw .badColourMask(reason: "the \(name) mask \(hex(mask)) reaches past the pixel's \(bitCount) bits")
            }
        }

        /// The channel's value in `pixel`, scaled to 0...65535 (rounded); 0 for an absent channel.
        @inline(__always)
        func value(_ pixel: UInt32) -> UInt16 {
            guard bits > 0 else { return 0 }
            let maximum = (UInt64(1) << bits) - 1
            let raw = (UInt64(pixel) >> shift) & maximum
            return UInt16((raw * 65535 + maximum / 2) / maximum)
        }
    }

    let red: Channel, green: Channel, blue: Channel
    /// nil when the pixels have no alpha: every pixel is opaque.
    let alpha: Channel?

    init(red: UInt32, green: UInt32, blue: UInt32, alpha: UInt32, bitCount: Int) throws(BMPError) {
        self.red = try Channel(red, name: "red", bitCount: bitCount)
        self.green = try Channel(green, name: "green", bitCount: bitCount)
        self.blue = try Channel(blue, name: "blue", bitCount: bitCount)
        self.alpha = alpha == 0 ? nil : try Channel(alpha, name: "alpha", bitCount: bitCount)
    }

    /// Bits of the finest colour channel: how many levels its greys can have.
    var bitDepth: Int { min(16, max(1, red.bits, green.bits, blue.bits)) }
}
