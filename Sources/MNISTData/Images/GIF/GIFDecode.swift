/// Decodes the first frame of a GIF (87a or 89a) to the grey (BT.601 luma) and alpha of each pixel
/// of its logical screen, 16 bits each.
///
/// The frame is placed on the screen at its offset; the rest of the screen is transparent (grey 0),
/// and so is the frame's transparent colour (graphic control extension), which keeps its grey. Local and global colour
/// tables and interlaced frames are read; a frame reaching past the screen grows the picture to
/// hold it. Cut-short files, damaged LZW data and colour indices past the table are errors. A
/// picture over `maxPNGPixels` (the same limit as PNG's) is refused before it is allocated.
func decodeGreyAlphaGIF(_ bytes: [UInt8]) throws(GIFError) -> GreyAlphaImage {
    var reader = GIFReader(bytes: bytes)
    guard bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) else {
        if !bytes.isEmpty && bytes.count < 6 && Array("GIF89a".utf8).starts(with: bytes.prefix(4)) {
            throw .truncated(offset: bytes.count, expected: "the GIF signature")
        }
        throw .notGIF
    }
    reader.position = 6
    let screenWidth = Int(try reader.uint16("the logical screen descriptor"))
    let screenHeight = Int(try reader.uint16("the logical screen descriptor"))
    let flags = try reader.byte("the logical screen descriptor")
    try reader.skip(2, "the logical screen descriptor")  // background colour (shown as transparent), aspect
    let globalTable = flags & 0x80 != 0 ? try reader.colourTable(entries: 2 << (flags & 7)) : nil

    var transparentIndex: Int? = nil
    while true {
        let blockStart = reader.position
        switch try reader.byte("the next block or the trailer") {
        case 0x21:  // extension: a label, then data sub-blocks
            let label = try reader.byte("the extension label")
            let data = try reader.subBlocks("the extension's data")
            if label == 0xF9 && data.count >= 4 {  // graphic control: flags, delay (2), transparent index
                transparentIndex = data[0] & 1 != 0 ? Int(data[3]) : nil
            }
        case 0x2C:
            return try reader.frame(screenWidth: screenWidth, screenHeight: screenHeight,
                                    globalTable: globalTable, transparentIndex: transparentIndex)
        case 0x3B:
            throw .noImage
        case let value:
            throw .unknownBlock(offset: blockStart, value: value)
        }
    }
}

/// A cursor over a GIF's bytes; every read names what it expected, for the truncation message.
private struct GIFReader {
    let bytes: [UInt8]
    var position = 0

    mutating func byte(_ expected: String) throws(GIFError) -> UInt8 {
        guard position < bytes.count else { throw .truncated(offset: bytes.count, expected: expected) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16(_ expected: String) throws(GIFError) -> UInt16 {
        guard position <= bytes.count - 2 else { throw .truncated(offset: bytes.count, expected: expected) }
        defer { position += 2 }
        return readUInt16LE(bytes, at: position)
    }

    mutating func skip(_ n: Int, _ expected: String) throws(GIFError) {
        guard position <= bytes.count - n else { throw .truncated(offset: bytes.count, expected: expected) }
        position += n
    }

    /// The luma of each colour in a table of `entries` RGB triples.
    mutating func colourTable(entries: Int) throws(GIFError) -> [UInt16] {
        let start = position
        try skip(3 * entries, "a \(entries)-colour table")
        return (0..<entries).map { i in
            let p = start + 3 * i
            return luma16(UInt16(bytes[p]) * 257, UInt16(bytes[p + 1]) * 257, UInt16(bytes[p + 2]) * 257)
        }
    }

    /// Data sub-blocks (a length byte, that many bytes) joined, up to the empty one that ends them.
    mutating func subBlocks(_ expected: String) throws(GIFError) -> [UInt8] {
        var data: [UInt8] = []
        while true {
            let n = Int(try byte(expected))
            if n == 0 { return data }
            let start = position
            try skip(n, expected)
            data += bytes[start..<(start + n)]
        }
    }

    /// Reads the image descriptor (after its 0x2C), colour table and LZW data, and places the frame.
    mutating func frame(screenWidth: Int, screenHeight: Int, globalTable: [UInt16]?,
                        transparentIndex: Int?) throws(GIFError) -> GreyAlphaImage {
        let left = Int(try uint16("the image descriptor")), top = Int(try uint16("the image descriptor"))
        let width = Int(try uint16("the image descriptor")), height = Int(try uint16("the image descriptor"))
        let flags = try byte("the image descriptor")
        guard width > 0, height > 0 else { throw .badDimensions(width: width, height: height) }
        let canvasWidth = max(screenWidth, left + width), canvasHeight = max(screenHeight, top + height)
        guard canvasWidth * canvasHeight <= maxPNGPixels else {
            throw .tooLarge(width: canvasWidth, height: canvasHeight, limit: maxPNGPixels)
        }
        let localTable = flags & 0x80 != 0 ? try colourTable(entries: 2 << (flags & 7)) : nil
        guard let table = localTable ?? globalTable else { throw .noColourTable }
        let codeSize = Int(try byte("the LZW minimum code size"))
        let indices = try decodeGIFLZW(try subBlocks("the image data"), minimumCodeSize: codeSize, count: width * height)

        var grey = [UInt16](repeating: 0, count: canvasWidth * canvasHeight)
        var alpha = [UInt16](repeating: 0, count: canvasWidth * canvasHeight)
        let rows = flags & 0x40 != 0 ? interlacedRowOrder(height: height) : Array(0..<height)
        for (stored, y) in rows.enumerated() {
            for x in 0..<width {
                let index = Int(indices[stored * width + x])
                guard index < table.count else { throw .colourIndexOutOfRange(index: index, tableSize: table.count) }
                let i = (top + y) * canvasWidth + left + x
                grey[i] = table[index]
                alpha[i] = index == transparentIndex ? 0 : 65535
            }
        }
        return GreyAlphaImage(width: canvasWidth, height: canvasHeight, grey: grey, alpha: alpha, bitDepth: 8)
    }
}

/// The picture row each stored row of an interlaced frame is: every 8th row from 0, every 8th
/// from 4, every 4th from 2, every 2nd from 1.
func interlacedRowOrder(height: Int) -> [Int] {
    [(0, 8), (4, 8), (2, 4), (1, 2)].flatMap { start, step in Array(stride(from: start, to: height, by: step)) }
}
