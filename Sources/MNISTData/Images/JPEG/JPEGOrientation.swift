/// The EXIF orientation (TIFF tag 0x0112, 1...8) in an APP1 segment's payload, or nil when the
/// payload is not EXIF, is malformed, or has no valid orientation: a bad EXIF block never fails
/// the decode, the picture is just taken as stored.
func exifOrientation(_ payload: UnsafeBufferPointer<UInt8>) -> Int? {
    let exif: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
    guard payload.count >= 6 + 8, payload.prefix(6).elementsEqual(exif) else { return nil }
    let tiff = UnsafeBufferPointer(rebasing: payload[6...])
    let little: Bool
    switch (tiff[0], tiff[1]) {
    case (0x49, 0x49): little = true
    case (0x4D, 0x4D): little = false
    default: return nil
    }
    func read(_ at: Int, _ n: Int) -> Int? {
        guard at >= 0, at + n <= tiff.count else { return nil }
        var value = 0
        for i in 0..<n { value |= Int(tiff[at + i]) << (8 * (little ? i : n - 1 - i)) }
        return value
    }
    guard read(2, 2) == 42, let ifd = read(4, 4), let entries = read(ifd, 2) else { return nil }
    for e in 0..<entries {
        let entry = ifd + 2 + 12 * e
        guard let tag = read(entry, 2) else { return nil }
        guard tag == 0x0112 else { continue }
        // SHORT (type 3), count 1: the value sits in the first two bytes of the value field.
        guard read(entry + 2, 2) == 3, let value = read(entry + 8, 2), (1...8).contains(value) else { return nil }
        return value
    }
    return nil
}

/// The picture turned upright as EXIF `orientation` says it was stored (1: as is; 2: mirrored;
/// 3: upside down; 4: flipped; 5: transposed; 6: turned 90° anticlockwise, so turn it clockwise;
/// 7: transversed; 8: turned clockwise). Width and height swap for 5...8.
func applyOrientation(_ orientation: Int, grey: [UInt16], width w: Int, height h: Int) -> (grey: [UInt16], width: Int, height: Int) {
    guard (2...8).contains(orientation) else { return (grey, w, h) }
    let swaps = orientation >= 5
    let outW = swaps ? h : w, outH = swaps ? w : h
    var out = [UInt16](repeating: 0, count: grey.count)
    grey.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<outH {
                for x in 0..<outW {
                    let sx: Int, sy: Int
                    switch orientation {
                    case 2: (sx, sy) = (w - 1 - x, y)
                    case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                    case 4: (sx, sy) = (x, h - 1 - y)
                    case 5: (sx, sy) = (y, x)
                    case 6: (sx, sy) = (y, h - 1 - x)
                    case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                    default: (sx, sy) = (w - 1 - y, x)
                    }
                    dst[y * outW + x] = src[sy * w + sx]
                }
            }
        }
    }
    return (out, outW, outH)
}
