/// Little-endian UInt16 at `index`; the caller has checked that both bytes are there.
@inline(__always)
func readUInt16LE(_ bytes: [UInt8], at index: Int) -> UInt16 {
    UInt16(bytes[index]) | (UInt16(bytes[index + 1]) << 8)
}

/// Little-endian UInt32 at `index`; the caller has checked that all four bytes are there.
@inline(__always)
func readUInt32LE(_ bytes: [UInt8], at index: Int) -> UInt32 {
    UInt32(bytes[index]) | (UInt32(bytes[index + 1]) << 8) | (UInt32(bytes[index + 2]) << 16) | (UInt32(bytes[index + 3]) << 24)
}
