/// The four DC and four AC Huffman tables of a JPEG (DHT), decoded into one flat Int32 array so a
/// scan reaches every table through a single pointer: table t (DC 0...3, AC 4...7) starts at
/// `t * stride` and holds a 9-bit lookahead, then the canonical code limits, then the symbols.
struct JPEGHuffmanTables {
    static let lookaheadBits = 9
    static let lookahead = 0
    static let maxCode = 1 << lookaheadBits          // [length]: largest code of that length, -1 if none
    static let valueOffset = maxCode + 18            // [length]: symbol index minus the first code
    static let values = valueOffset + 18
    static let stride = values + 256

    private(set) var storage = [Int32](repeating: 0, count: 8 * stride)
    private(set) var defined = [Bool](repeating: false, count: 8)

    /// Offset of table `index` (0...3) of the DC (`ac` false) or AC class.
    static func base(ac: Bool, index: Int) -> Int { ((ac ? 4 : 0) + index) * stride }

    /// Defines one table from DHT's 16 code-length counts and its symbols. Lookahead entries are
    /// (length << 8) | symbol, 0 where the code is longer than the lookahead.
    mutating func define(ac: Bool, index: Int, counts: ArraySlice<UInt8>, symbols: ArraySlice<UInt8>) -> String? {
        let base = Self.base(ac: ac, index: index)
        for i in 0..<Self.stride { storage[base + i] = 0 }
        var code = 0, k = 0
        for length in 1...16 {
            let n = Int(counts[counts.startIndex + length - 1])
            storage[base + Self.valueOffset + length] = Int32(k - code)
            if n > 0 {
                for _ in 0..<n {
                    if code >= 1 << length { return "the code lengths over-fill the code space" }
                    let symbol = Int(symbols[symbols.startIndex + k])
                    storage[base + Self.values + k] = Int32(symbol)
                    if length <= Self.lookaheadBits {
                        let shift = Self.lookaheadBits - length
                        for fill in 0..<(1 << shift) {
                            storage[base + Self.lookahead + (code << shift) + fill] = Int32(length << 8 | symbol)
                        }
                    }
                    code += 1
                    k += 1
                }
                storage[base + Self.maxCode + length] = Int32(code - 1)
            } else {
                storage[base + Self.maxCode + length] = -1
            }
            code <<= 1
        }
        storage[base + Self.maxCode + 17] = Int32.max  // a sentinel that ends the slow search
        defined[(ac ? 4 : 0) + index] = true
        return nil
    }
}

/// Reads the entropy-coded bits of one scan (or restart interval), MSB first, undoing the FF 00
/// byte stuffing. At a marker, or the end of the file, it feeds zero bits and counts them, so a
/// scan that needs more bits than its data holds is noticed once (`overran`), not on every read.
struct JPEGBitReader {
    let data: UnsafeBufferPointer<UInt8>
    /// The next byte not yet in `buffer`.
    var position: Int
    /// Unread bits, left-aligned: the next bit is bit 63.
    var buffer: UInt64 = 0
    var count = 0
    /// Zero bits put in `buffer` past the end of the scan's data.
    var paddingBits = 0

    init(_ data: UnsafeBufferPointer<UInt8>, at position: Int) {
        self.data = data
        self.position = position
    }

    /// True when bits past the end of the data have been consumed: the scan was cut short.
    var overran: Bool { paddingBits > count }

    /// Fills `buffer` to at least 57 bits; eight bytes at a time when none of them is FF.
    @inline(__always) mutating func refill() {
        while count <= 56 {
            if paddingBits == 0 && position + 8 <= data.count {
                let word = UnsafeRawPointer(data.baseAddress! + position).loadUnaligned(as: UInt64.self).bigEndian
                let inverted = ~word
                if (inverted &- 0x0101_0101_0101_0101) & word & 0x8080_8080_8080_8080 == 0 {
                    let n = min(7, (64 - count) >> 3)
                    buffer |= (word >> UInt64(64 - 8 * n)) << UInt64(64 - count - 8 * n)
                    count += 8 * n
                    position += n
                    continue
                }
            }
            var byte: UInt8 = 0
            if paddingBits == 0 && position < data.count {
                byte = data[position]
                if byte == 0xFF {
                    if position + 1 < data.count && data[position + 1] == 0 {
                        position += 2
                    } else {
                        byte = 0  // a marker: the scan's data ends here
                        paddingBits += 8
                    }
                } else {
                    position += 1
                }
            } else {
                paddingBits += 8
            }
            buffer |= UInt64(byte) << UInt64(56 - count)
            count += 8
        }
    }

    /// The next `n` bits (0...16) as an unsigned number.
    @inline(__always) mutating func bits(_ n: Int) -> Int {
        if n == 0 { return 0 }
        if count < n { refill() }
        let value = Int(buffer >> UInt64(64 - n))
        buffer <<= UInt64(n)
        count -= n
        return value
    }

    @inline(__always) mutating func bit() -> Int { bits(1) }

    /// The next `n` bits as a signed coefficient (T.81 F.2.2.1 EXTEND): values below 2^(n-1) are negative.
    @inline(__always) mutating func signed(_ n: Int) -> Int {
        if n == 0 { return 0 }
        let value = bits(n)
        return value < 1 << (n - 1) ? value - (1 << n) + 1 : value
    }

    /// Decodes one Huffman symbol with table `base` of `tables`; nil for a code no table entry has.
    @inline(__always) mutating func symbol(_ tables: UnsafePointer<Int32>, _ base: Int) -> Int? {
        if count < 16 { refill() }
        let entry = Int(tables[base + Int(buffer >> UInt64(64 - JPEGHuffmanTables.lookaheadBits))])
        if entry != 0 {
            let length = entry >> 8
            buffer <<= UInt64(length)
            count -= length
            return entry & 0xFF
        }
        var length = JPEGHuffmanTables.lookaheadBits + 1
        var code = Int(buffer >> UInt64(64 - length))
        while code > Int(tables[base + JPEGHuffmanTables.maxCode + length]) {
            length += 1
            if length > 16 { return nil }
            code = Int(buffer >> UInt64(64 - length))
        }
        buffer <<= UInt64(length)
        count -= length
        return Int(tables[base + JPEGHuffmanTables.values + code + Int(tables[base + JPEGHuffmanTables.valueOffset + length])])
    }

    /// Drops the bits left in the byte-aligned buffer and steps over the restart marker RSTn that
    /// must follow; false when it is not there.
    mutating func restart(expecting n: Int) -> Bool {
        buffer = 0
        count = 0
        paddingBits = 0
        while position < data.count && data[position] == 0xFF && position + 1 < data.count && data[position + 1] == 0xFF {
            position += 1
        }
        guard position + 1 < data.count, data[position] == 0xFF, Int(data[position + 1]) == 0xD0 + n else { return false }
        position += 2
        return true
    }
}
