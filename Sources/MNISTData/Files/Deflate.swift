import CZlib

/// Compresses `bytes` with zlib: a gzip member for `.gzipOrZlib`, a zlib stream for `.zlib`.
///
/// For writing fixtures and files (PNG's IDAT, `.gz` test data); the inverse of `InflateStream`.
/// zlib fails here only when it cannot allocate its own state, which is not the caller's input.
public func deflateCompress(_ bytes: [UInt8], format: CompressedFormat, level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    let windowBits: Int32 = format == .zlib ? 15 : 15 + 16  // +16: gzip wrapper instead of zlib's
    let status = deflateInit2_(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "zlib deflateInit2 failed (status \(status))")
    defer { deflateEnd(&stream) }

    var out = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    bytes.withUnsafeBufferPointer { input in
        var offset = 0
        var finished = false
        while !finished {
            // avail_in is 32-bit: feed huge inputs in pieces.
            if stream.avail_in == 0 && offset < input.count {
                let n = min(input.count - offset, 1 << 30)
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                stream.avail_in = UInt32(n)
                offset += n
            }
            let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
            let produced = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                stream.next_out = buffer.baseAddress
                stream.avail_out = UInt32(buffer.count)
                let result = deflate(&stream, flush)
                precondition(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR,
                             "zlib deflate failed (status \(result))")
                finished = result == Z_STREAM_END
                return buffer.count - Int(stream.avail_out)
            }
            out.append(contentsOf: chunk[0..<produced])
        }
    }
    return out
}
