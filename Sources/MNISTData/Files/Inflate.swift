import CZlib

/// What went wrong while decompressing a zlib or gzip stream.
public enum InflateError: Error, Equatable, CustomStringConvertible {
    /// zlib rejected the data; `reason` is zlib's own message ("incorrect data check" is a CRC error).
    case corrupt(reason: String)
    /// The compressed input ended before the stream did.
    case truncated
    /// The stream produced fewer bytes than the caller needed.
    case shortOutput(expected: Int, got: Int)
    /// The stream holds more data than the caller allows.
    case tooLong(limit: Int)
    /// Bytes follow the end of the compressed stream that are not another gzip member.
    case trailingData(bytes: Int)

    public var description: String {
        switch self {
        case .corrupt(let reason):
            // zlib's words for a failed gzip CRC-32 (or zlib Adler-32) check; say it plainly too.
            let checksum = reason == "incorrect data check" ? ": the stored checksum (CRC) does not match the data" : ""
            return "corrupt compressed data (\(reason))\(checksum)"
        case .truncated: return "compressed data ends early (truncated file?)"
        case .shortOutput(let expected, let got):
            return "decompressed data holds \(got) bytes, \(expected) expected"
        case .tooLong(let limit): return "decompressed data is longer than the \(limit) bytes expected"
        case .trailingData(let n): return "\(n) unexpected bytes after the end of the compressed stream"
        }
    }
}

/// Which container the compressed bytes are in.
public enum CompressedFormat: Sendable {
    /// gzip or zlib, told apart by the header (zlib's `15 + 32` window bits).
    case gzipOrZlib
    /// zlib only (PNG's IDAT stream).
    case zlib

    var windowBits: Int32 {
        switch self {
        case .gzipOrZlib: return 15 + 32
        case .zlib: return 15
        }
    }
}

/// Pulls decompressed bytes out of a zlib/gzip stream on demand.
///
/// Output buffers grow only as data really comes out of the stream, so a header that claims a
/// huge size cannot make us allocate it, and a compression bomb is stopped at the size the
/// caller expects: memory stays bounded by min(claim, real data).
final class InflateStream {
    private var stream = z_stream()
    private let input: [UInt8]
    private let format: CompressedFormat
    private var ended = false  // zlib reported Z_STREAM_END for the last member

    init(_ compressed: [UInt8], format: CompressedFormat = .gzipOrZlib) throws(InflateError) {
        input = compressed
        self.format = format
        let status = inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .corrupt(reason: "zlib could not start (status \(status))") }
    }

    deinit { inflateEnd(&stream) }

    /// Total compressed bytes consumed so far.
    var compressedBytesRead: Int { Int(stream.total_in) }

    /// Reads exactly `count` bytes, or throws `.shortOutput` / `.truncated` / `.corrupt`.
    func read(exactly count: Int) throws(InflateError) -> [UInt8] {
        var out = [UInt8]()
        let got = try read(upTo: count, appendingTo: &out)
        guard got == count else { throw .shortOutput(expected: count, got: got) }
        return out
    }

    /// Reads until the stream ends; throws `.tooLong` past `limit` bytes.
    func readToEnd(limit: Int) throws(InflateError) -> [UInt8] {
        var out = [UInt8]()
        _ = try read(upTo: limit, appendingTo: &out)
        try expectEnd(limit: limit)
        return out
    }

    /// Throws unless the stream has no more data. `limit` only words the error.
    func expectEnd(limit: Int) throws(InflateError) {
        var probe = [UInt8]()
        if try read(upTo: 1, appendingTo: &probe) > 0 { throw .tooLong(limit: limit) }
    }

    /// Decompresses and discards up to `count` bytes; returns how many there were (fewer only at
    /// stream end). For counting what follows the expected data without holding it: the buffer
    /// starts at 512 bytes (usually there is nothing) and grows once, to 64 KiB.
    func skip(upTo count: Int) throws(InflateError) -> Int {
        var scratch = [UInt8](repeating: 0, count: min(count, 512))
        var skipped = 0
        while skipped < count && !ended {
            let n = try inflateInto(&scratch, at: 0, count: min(count - skipped, scratch.count))
            skipped += n
            if n == 0 { break }
            if n == scratch.count && scratch.count < 1 << 16 { scratch = [UInt8](repeating: 0, count: 1 << 16) }
        }
        return skipped
    }

    /// Appends up to `count` bytes; returns how many were appended (fewer only at stream end).
    func read(upTo count: Int, appendingTo out: inout [UInt8]) throws(InflateError) -> Int {
        let start = out.count
        var produced = 0
        while produced < count && !ended {
            // Grow geometrically with what has really been produced, never by the caller's claim.
            let chunk = min(count - produced, max(1 << 16, produced))
            out.append(contentsOf: repeatElement(0, count: chunk))
            let n = try inflateInto(&out, at: start + produced, count: chunk)
            produced += n
            if n < chunk { out.removeLast(chunk - n) }
        }
        return produced
    }

    private func inflateInto(_ out: inout [UInt8], at offset: Int, count: Int) throws(InflateError) -> Int {
        var written = 0
        var failure: InflateError?
        input.withUnsafeBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                while written < count {
                    let consumed = Int(stream.total_in)
                    stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress! + consumed)
                    stream.avail_in = UInt32(clamping: inBuf.count - consumed)
                    stream.next_out = outBuf.baseAddress! + offset + written
                    stream.avail_out = UInt32(clamping: count - written)
                    let before = stream.avail_out
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    written += Int(before - stream.avail_out)
                    switch status {
                    case Z_OK:
                        continue
                    case Z_STREAM_END:
                        if !startNextGzipMember(in: inBuf) {
                            ended = true
                            let rest = inBuf.count - Int(stream.total_in)
                            if rest > 0 { failure = .trailingData(bytes: rest) }
                            return
                        }
                    case Z_BUF_ERROR:
                        // No progress possible: either out of input (truncated) or out of room (done).
                        if stream.avail_in == 0 { failure = .truncated }
                        return
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                        failure = .corrupt(reason: message)
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        return written
    }

    /// gzip allows several members back to back (`cat a.gz b.gz`); continue into the next one.
    private func startNextGzipMember(in inBuf: UnsafeBufferPointer<UInt8>) -> Bool {
        let consumed = Int(stream.total_in)
        guard format == .gzipOrZlib, inBuf.count - consumed >= 2,
              inBuf[consumed] == 0x1f, inBuf[consumed + 1] == 0x8b else { return false }
        let totalIn = stream.total_in, totalOut = stream.total_out
        inflateReset(&stream)
        stream.total_in = totalIn  // inflateReset zeroes the totals; we use total_in as our cursor
        stream.total_out = totalOut
        return true
    }
}

/// Decompresses a whole zlib stream that must produce exactly `expectedSize` bytes (PNG's IDAT).
func inflateExactly(_ compressed: [UInt8], expectedSize: Int,
                           format: CompressedFormat = .zlib) throws(InflateError) -> [UInt8] {
    let stream = try InflateStream(compressed, format: format)
    let out = try stream.read(exactly: expectedSize)
    try stream.expectEnd(limit: expectedSize)
    return out
}

/// True when `bytes` start like a gzip member (magic 1f 8b).
func looksGzipped(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
}
