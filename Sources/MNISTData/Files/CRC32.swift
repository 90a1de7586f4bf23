import CZlib

/// CRC-32 (ISO 3309, as PNG chunks and gzip use it), computed by zlib.
///
/// `crc` continues an earlier checksum, so a chunk's type and data can be summed without
/// copying them together.
func crc32(of bytes: ArraySlice<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
        // zlib reads a null pointer as "start afresh", not as no bytes.
        guard let start = buffer.baseAddress, !buffer.isEmpty else { return crc }
        return UInt32(truncatingIfNeeded: crc32_z(UInt(crc), start, buffer.count))
    }
}
