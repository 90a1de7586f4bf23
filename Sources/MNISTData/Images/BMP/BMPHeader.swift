/// What the file and info headers say about a BMP's pixels, checked against the file's length.
struct BMPHeader {
    var width: Int
    var height: Int
    /// Rows stored top row first (a negative height in the file); BMP's default is bottom-up.
    var topDown: Bool
    var bitCount: Int
    var compression: BMPCompression
    /// How 16- and 32-bit pixels hold their colours (BI_BITFIELDS, or BI_RGB's fixed layout).
    var masks: BMPMasks?
    /// The luma of each palette colour, for 1-, 4- and 8-bit pixels.
    var palette: [UInt16]
    var pixelOffset: Int

    /// Bytes in one stored row of an uncompressed image: its bits rounded up to whole 32-bit words.
    var rowStride: Int { (width * bitCount + 31) / 32 * 4 }
}

/// Reads and checks the file header, the info header (core, info, V2...V5), the colour masks and
/// the palette. Refuses an image over `maxPNGPixels` (the same limit as PNG's) before anything of
/// its size is allocated.
func parseBMPHeader(_ bytes: [UInt8]) throws(BMPError) -> BMPHeader {
    guard bytes.starts(with: [0x42, 0x4D]) else {
        throw bytes == [0x42] ? .truncated(offset: 1, expected: "the BMP file header") : .notBMP
    }
    guard bytes.count >= 18 else { throw .truncated(offset: bytes.count, expected: "the BMP file header") }
    let pixelOffset = Int(readUInt32LE(bytes, at: 10))
    let headerSize = Int(readUInt32LE(bytes, at: 14))
    guard [12, 40, 52, 56, 108, 124].contains(headerSize) else { throw .unsupportedHeader(size: headerSize) }
    guard bytes.count >= 14 + headerSize else {
        throw .truncated(offset: bytes.count, expected: "the rest of the \(headerSize)-byte info header")
    }

    let width: Int, storedHeight: Int, bitCount: Int, compressionValue: UInt32, coloursUsed: Int
    if headerSize == 12 {  // OS/2 and Windows 2 core header: 16-bit sizes, 3-byte palette entries
        width = Int(readUInt16LE(bytes, at: 18))
        storedHeight = Int(readUInt16LE(bytes, at: 20))
        bitCount = Int(readUInt16LE(bytes, at: 24))
        compressionValue = 0
        coloursUsed = 0
    } else {
        width = Int(Int32(bitPattern: readUInt32LE(bytes, at: 18)))
        storedHeight = Int(Int32(bitPattern: readUInt32LE(bytes, at: 22)))
        bitCount = Int(readUInt16LE(bytes, at: 28))
        compressionValue = readUInt32LE(bytes, at: 30)
        coloursUsed = Int(readUInt32LE(bytes, at: 46))
    }
    let height = abs(storedHeight)
    guard width > 0, height > 0, height <= Int(Int32.max) else { throw .badDimensions(width: width, height: storedHeight) }
    guard width * height <= maxPNGPixels else { throw .tooLarge(width: width, height: height, limit: maxPNGPixels) }
    guard [1, 4, 8, 16, 24, 32].contains(bitCount) else { throw .badBitCount(bitCount) }
    guard let compression = BMPCompression(rawValue: compressionValue) else {
        throw .unsupportedCompression(Int(compressionValue))
    }
    switch compression {
    case .none: break
    case .rle8 where bitCount == 8, .rle4 where bitCount == 4: break
    case .bitFields where bitCount == 16 || bitCount == 32, .alphaBitFields where bitCount == 16 || bitCount == 32: break
    default: throw .compressionMismatch(compression: compression.name, bitCount: bitCount)
    }

    // Masks sit at byte 54 whether they are part of a V2+ header or follow a 40-byte one.
    var paletteStart = 14 + headerSize
    var masks: BMPMasks?
    if compression == .bitFields || compression == .alphaBitFields {
        let hasAlpha = compression == .alphaBitFields || headerSize >= 56
        if headerSize == 40 { paletteStart += hasAlpha ? 16 : 12 }
        guard bytes.count >= (hasAlpha ? 70 : 66) else { throw .truncated(offset: bytes.count, expected: "the colour masks") }
        masks = try BMPMasks(red: readUInt32LE(bytes, at: 54), green: readUInt32LE(bytes, at: 58),
                             blue: readUInt32LE(bytes, at: 62), alpha: hasAlpha ? readUInt32LE(bytes, at: 66) : 0,
                             bitCount: bitCount)
    } else if bitCount == 16 {
        masks = try BMPMasks(red: 0x7C00, green: 0x03E0, blue: 0x001F, alpha: 0, bitCount: 16)
    } else if bitCount == 32 {
        masks = try BMPMasks(red: 0xFF_0000, green: 0xFF00, blue: 0xFF, alpha: 0, bitCount: 32)
    }

    var palette: [UInt16] = []
    if bitCount <= 8 {
        // Writers sometimes claim more colours than the bit count can index; only those can be used.
        let entries = coloursUsed == 0 ? 1 << bitCount : min(coloursUsed, 1 << bitCount)
        let entrySize = headerSize == 12 ? 3 : 4
        guard paletteStart + entries * entrySize <= bytes.count else {
            throw .truncated(offset: bytes.count, expected: "the \(entries)-colour palette")
        }
        palette = (0..<entries).map { i in
            let p = paletteStart + i * entrySize  // blue, green, red (, reserved)
            return luma16(UInt16(bytes[p + 2]) * 257, UInt16(bytes[p + 1]) * 257, UInt16(bytes[p]) * 257)
        }
    }
    return BMPHeader(width: width, height: height, topDown: storedHeight < 0, bitCount: bitCount,
                     compression: compression, masks: masks, palette: palette, pixelOffset: pixelOffset)
}
