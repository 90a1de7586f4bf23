/// Little-endian appends.
public struct ByteWriter {
    public var bytes: [UInt8] = []

    public init() {}

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    public mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    public mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    public mutating func f32(_ v: Float) { u32(v.bitPattern) }

    /// A u32 byte count, then the UTF-8 bytes.
    mutating func string(_ s: String) {
        u32(UInt32(truncatingIfNeeded: s.utf8.count))
        bytes += s.utf8
    }
}

/// Little-endian reads; the caller has checked the length first.
public struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    public init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    func peekU32() -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    mutating func u8() -> UInt8 {
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u32() -> UInt32 {
        defer { offset += 4 }
        return peekU32()
    }

    public mutating func u64() -> UInt64 {
        let low = UInt64(u32())
        return low | UInt64(u32()) << 32
    }

    public mutating func f32() -> Float { Float(bitPattern: u32()) }

    mutating func f32s(_ count: Int) -> [Float] {
        let start = offset
        offset += 4 * count
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self))) }
        }
    }

    mutating func raw(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
