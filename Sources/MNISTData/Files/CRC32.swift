import CZlib

/// CRC-32 (ISO 3309, as PNG chunks and gzip use it), computed by zlib.
///
/// `crc` continues an earlier checksum, so a chunk's type and data can be summed without
/// copying them together.
func crc32(of bytes: ArraySlice<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
        var sum = UInt(crc)
        var rest = buffer
        // zlib takes a 32-bit length; feed very large slices in pieces.
        while !rest.isEmpty {
            let n = min(rest.count, 1 << 30)
            sum = CZlib.crc32(sum, rest.baseAddress, UInt32(n))
            rest = UnsafeBufferPointer(rebasing: rest[n...])
        }
        return UInt32(truncatingIfNeeded: sum)
    }
}
