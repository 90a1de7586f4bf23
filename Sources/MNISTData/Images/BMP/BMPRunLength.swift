/// Decodes RLE8 and RLE4 pixel data. Pixels the data skips (a delta, an early end of line or of
/// the bitmap) stay transparent, as browsers show them; runs past a row's end or the last row are
/// clipped. Data that ends before its end-of-bitmap marker is an error.
func decodeRunLengthBMP(_ bytes: [UInt8], _ header: BMPHeader) throws(BMPError) -> GreyAlphaImage {
    let width = header.width, height = header.height, nibbles = header.compression == .rle4
    var grey = [UInt16](repeating: 0, count: width * height)
    var alpha = [UInt16](repeating: 0, count: width * height)
    var x = 0, stored = 0, p = header.pixelOffset

    func need(_ n: Int) throws(BMPError) {
        guard p <= bytes.count - n else {
            throw .truncated(offset: bytes.count, expected: "run-length data up to its end-of-bitmap marker")
        }
    }
    func put(_ index: Int) throws(BMPError) {
        defer { x += 1 }
        guard x < width, stored < height else { return }
        guard index < header.palette.count else {
            throw .paletteIndexOutOfRange(index: index, paletteSize: header.palette.count)
        }
        let i = (header.topDown ? stored : height - 1 - stored) * width + x
        grey[i] = header.palette[index]
        alpha[i] = 65535
    }

    while true {
        try need(2)
        let count = Int(bytes[p]), value = bytes[p + 1]
        p += 2
        if count > 0 {  // a run: one index, or two alternating nibbles
            for k in 0..<count {
                try put(nibbles ? Int(k % 2 == 0 ? value >> 4 : value & 0x0F) : Int(value))
            }
            continue
        }
        switch value {
        case 0:  // end of line
            x = 0
            stored += 1
        case 1:  // end of bitmap
            return GreyAlphaImage(width: width, height: height, grey: grey, alpha: alpha, bitDepth: 8)
        case 2:  // delta: move right and up (down the file's rows)
            try need(2)
            x += Int(bytes[p])
            stored += Int(bytes[p + 1])
            p += 2
        default:  // absolute: `value` indices as they are, padded to a 16-bit boundary
            let n = Int(value), size = nibbles ? (n + 1) / 2 : n
            try need(size)
            for k in 0..<n {
                try put(nibbles ? Int(k % 2 == 0 ? bytes[p + k / 2] >> 4 : bytes[p + k / 2] & 0x0F) : Int(bytes[p + k]))
            }
            p += (size + 1) / 2 * 2
        }
    }
}
