/// A BMP file to build in a test: any header size, bit count, compression, masks and row order.
/// Fields are written as given, so a test can also describe a file the decoder must refuse.
public struct BMPFixture {
    public var width: Int
    public var height: Int
    public var bitCount: Int
    /// 12 (core), 40 (info), 52, 56, 108 or 124 (V2...V5).
    public var headerSize = 40
    public var topDown = false
    public var compression: UInt32 = 0
    /// Red, green, blue (and alpha) masks: after a 40-byte header, or inside a larger one.
    public var masks: [UInt32] = []
    /// RGB colours, written as BGR (core header) or BGR0 entries.
    public var palette: [[UInt8]] = []
    /// Pixel values, top row first: palette indices (1, 4, 8 bits), 0xRRGGBB (24 bits) or the
    /// stored pixel (16 and 32 bits). Packed into padded rows in the file's row order.
    public var pixels: [UInt32] = []
    /// Stored pixel data (run-length data), used instead of `pixels` when set.
    public var pixelData: [UInt8]? = nil

    public init(width: Int, height: Int, bitCount: Int) {
        self.width = width
        self.height = height
        self.bitCount = bitCount
    }

    public var bytes: [UInt8] {
        var info: [UInt8] = []
        if headerSize == 12 {
            info = le32(headerSize) + le16(width) + le16(height) + le16(1) + le16(bitCount)
        } else {
            info = le32(headerSize) + le32(width) + le32(topDown ? -height : height) + le16(1) + le16(bitCount)
            info += le32(Int(compression)) + le32(0) + le32(2835) + le32(2835) + le32(palette.count) + le32(0)
            if headerSize > 40 { info += (masks + [0, 0, 0, 0]).prefix(4).flatMap { le32(Int($0)) } }
            info += [UInt8](repeating: 0, count: max(0, headerSize - info.count))
            if headerSize == 40 { info += masks.flatMap { le32(Int($0)) } }
        }
        var table: [UInt8] = []
        for c in palette { table += headerSize == 12 ? [c[2], c[1], c[0]] : [c[2], c[1], c[0], 0] }
        let data = pixelData ?? packedRows()
        let offset = 14 + info.count + table.count
        var file: [UInt8] = Array("BM".utf8) + le32(offset + data.count)
        file += le32(0) + le32(offset)
        return file + info + table + data
    }

    private func packedRows() -> [UInt8] {
        let stride = (width * bitCount + 31) / 32 * 4
        var data: [UInt8] = []
        for stored in 0..<height {
            let y = topDown ? stored : height - 1 - stored
            var row = [UInt8](repeating: 0, count: stride)
            for x in 0..<width {
                let value = pixels[y * width + x]
                switch bitCount {
                case 1, 2, 4, 8:
                    let shift = 8 - bitCount * (x % (8 / bitCount) + 1)
                    row[x * bitCount / 8] |= UInt8(truncatingIfNeeded: value << shift)
                default:
                    for k in 0..<(bitCount / 8) { row[x * bitCount / 8 + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
                }
            }
            data += row
        }
        return data
    }
}

private func le16(_ v: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
private func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
