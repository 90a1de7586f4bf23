/// A one-frame GIF to build in a test, compressed by a plain LZW encoder.
public struct GIFFixture {
    public var screenWidth: Int
    public var screenHeight: Int
    /// RGB colours; the table written is padded with black to a power of two (2...256 entries).
    public var globalTable: [[UInt8]]? = nil
    public var localTable: [[UInt8]]? = nil
    public var left = 0, top = 0
    public var width: Int
    public var height: Int
    public var interlaced = false
    /// Written as a graphic control extension when set.
    public var transparentIndex: Int? = nil
    /// The frame's colour indices, top row first (the builder stores them interlaced if asked).
    public var indices: [UInt8]
    public var minimumCodeSize = 8
    /// Emit a clear code when the code table is full (what most encoders do); when false, go on
    /// with the full table (a "deferred clear"), which decoders must accept too.
    public var clearWhenFull = true

    /// A frame covering the whole screen.
    public init(width: Int, height: Int, indices: [UInt8]) {
        self.screenWidth = width
        self.screenHeight = height
        self.width = width
        self.height = height
        self.indices = indices
    }

    public var bytes: [UInt8] {
        var out = Array("GIF89a".utf8) + le16(screenWidth) + le16(screenHeight)
        out += [globalTable.map { 0x80 | tableSizeField($0) } ?? 0, 0, 0]
        if let globalTable { out += colourTable(globalTable) }
        out += [0x21, 0xFE, 5] + Array("notes".utf8) + [0]  // a comment, for the decoder to skip
        if let transparentIndex { out += [0x21, 0xF9, 4, 1, 0, 0, UInt8(transparentIndex), 0] }
        out += [0x2C] + le16(left) + le16(top) + le16(width) + le16(height)
        out += [(localTable.map { 0x80 | tableSizeField($0) } ?? 0) | (interlaced ? 0x40 : 0)]
        if let localTable { out += colourTable(localTable) }
        let rows = interlaced
            ? [(0, 8), (4, 8), (2, 4), (1, 2)].flatMap { start, step in Array(stride(from: start, to: height, by: step)) }
            : Array(0..<height)
        let stored = rows.flatMap { y in indices[(y * width)..<((y + 1) * width)] }
        out += [UInt8(minimumCodeSize)]
        let data = lzwEncode(stored, minimumCodeSize: minimumCodeSize, clearWhenFull: clearWhenFull)
        for start in stride(from: 0, to: data.count, by: 255) {
            let block = data[start..<min(start + 255, data.count)]
            out += [UInt8(block.count)] + block
        }
        return out + [0, 0x3B]
    }
}

/// GIF's LZW: codes least significant bit first, from minimumCodeSize + 1 bits up to 12.
public func lzwEncode(_ indices: [UInt8], minimumCodeSize: Int, clearWhenFull: Bool = true) -> [UInt8] {
    let clear = 1 << minimumCodeSize, end = clear + 1
    var out: [UInt8] = [], buffer = 0, bits = 0
    var codeSize = minimumCodeSize + 1, next = end + 1
    var table: [Int: Int] = [:]
    func emit(_ code: Int) {
        buffer |= code << bits
        bits += codeSize
        while bits >= 8 {
            out.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            bits -= 8
        }
    }
    emit(clear)
    var current: Int? = nil
    for byte in indices.map(Int.init) {
        guard let prefix = current else { current = byte; continue }
        if let code = table[prefix << 8 | byte] { current = code; continue }
        emit(prefix)
        current = byte
        guard next < 4096 else { continue }
        table[prefix << 8 | byte] = next
        next += 1
        // The decoder adds this entry one code later, so it widens its codes one code later too.
        if next > 1 << codeSize && codeSize < 12 { codeSize += 1 }
        if next == 4096 && clearWhenFull {
            emit(clear)
            table = [:]
            next = end + 1
            codeSize = minimumCodeSize + 1
        }
    }
    if let current {
        emit(current)
        if next == 1 << codeSize && codeSize < 12 && next < 4096 { codeSize += 1 }
    }
    emit(end)
    if bits > 0 { out.append(UInt8(truncatingIfNeeded: buffer)) }
    return out
}

private func tableSizeField(_ table: [[UInt8]]) -> UInt8 {
    var field: UInt8 = 0
    while 2 << field < table.count { field += 1 }
    return field
}

private func colourTable(_ table: [[UInt8]]) -> [UInt8] {
    let entries = 2 << Int(tableSizeField(table))
    return table.flatMap { $0 } + [UInt8](repeating: 0, count: 3 * (entries - table.count))
}

private func le16(_ v: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
