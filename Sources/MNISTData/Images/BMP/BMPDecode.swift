/// Decodes a BMP to the grey (BT.601 luma) and alpha of each pixel, 16 bits each.
///
/// Reads the core (OS/2 1.x), info and V2...V5 headers; 1-, 4- and 8-bit palettes; 16-, 24- and
/// 32-bit pixels, uncompressed or with BI_BITFIELDS masks (an alpha mask gives alpha); RLE8 and
/// RLE4, whose skipped pixels are transparent; bottom-up and top-down rows. The file is checked
/// as it is read: a header, palette or pixel rows cut short, and palette indices past the palette,
/// are errors. An image over `maxPNGPixels` is refused before its pixels are allocated.
func decodeGreyAlphaBMP(_ bytes: [UInt8]) throws(BMPError) -> GreyAlphaImage {
    let header = try parseBMPHeader(bytes)
    if header.compression == .rle8 || header.compression == .rle4 {
        return try decodeRunLengthBMP(bytes, header)
    }
    let stride = header.rowStride
    guard header.pixelOffset <= bytes.count, stride * header.height <= bytes.count - header.pixelOffset else {
        let rows = header.pixelOffset > bytes.count ? 0 : (bytes.count - header.pixelOffset) / stride
        throw .truncated(offset: bytes.count, expected: "pixel row \(rows + 1) of \(header.height)")
    }
    let width = header.width
    var grey = [UInt16](repeating: 0, count: width * header.height)
    var alpha = [UInt16](repeating: 65535, count: width * header.height)
    for stored in 0..<header.height {
        let row = header.pixelOffset + stored * stride
        let first = (header.topDown ? stored : header.height - 1 - stored) * width
        switch header.bitCount {
        case 1, 4, 8:
            let bits = header.bitCount, perByte = 8 / bits, valueMask = (1 << bits) - 1
            for x in 0..<width {
                let shift = 8 - bits * (x % perByte + 1)  // the leftmost pixel is in the high bits
                let index = Int(bytes[row + x / perByte] >> shift) & valueMask
                guard index < header.palette.count else {
                    throw .paletteIndexOutOfRange(index: index, paletteSize: header.palette.count)
                }
                grey[first + x] = header.palette[index]
            }
        case 24:
            for x in 0..<width {
                let p = row + 3 * x  // blue, green, red
                grey[first + x] = luma16(UInt16(bytes[p + 2]) * 257, UInt16(bytes[p + 1]) * 257, UInt16(bytes[p]) * 257)
            }
        default:
            let masks = header.masks!  // parseBMPHeader sets them for 16 and 32 bits
            for x in 0..<width {
                let pixel = header.bitCount == 16 ? UInt32(readUInt16LE(bytes, at: row + 2 * x)) : readUInt32LE(bytes, at: row + 4 * x)
                grey[first + x] = luma16(masks.red.value(pixel), masks.green.value(pixel), masks.blue.value(pixel))
                if let a = masks.alpha { alpha[first + x] = a.value(pixel) }
            }
        }
    }
    // Some writers declare an alpha mask and leave every alpha 0; such a file means opaque.
    if header.masks?.alpha != nil && alpha.allSatisfy({ $0 == 0 }) {
        alpha = [UInt16](repeating: 65535, count: alpha.count)
    }
    let depth = header.bitCount <= 8 || header.bitCount == 24 ? 8 : header.masks!.bitDepth
    return GreyAlphaImage(width: width, height: header.height, grey: grey, alpha: alpha, bitDepth: depth)
}
