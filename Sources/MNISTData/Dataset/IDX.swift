#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// IDX (LeCun's MNIST format): two zero bytes, an element type code, a rank byte, then `rank`
// big-endian UInt32 dimensions, then the elements, big-endian, row-major.

/// The element types an IDX file can declare (byte 2 of the magic).
public enum IDXElementType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    var byteWidth: Int {
        switch self {
        case .uint8, .int8: return 1
        case .int16: return 2
        case .int32, .float32: return 4
        case .float64: return 8
        }
    }

    public var description: String {
        switch self {
        case .uint8: return "u8"
        case .int8: return "i8"
        case .int16: return "i16"
        case .int32: return "i32"
        case .float32: return "f32"
        case .float64: return "f64"
        }
    }
}

/// One IDX file's contents, validated: `payload.count == shape.reduce(1, *) * elementType.byteWidth`.
public struct IDXArray: Sendable {
    public let elementType: IDXElementType
    /// Dimensions, outermost first; at least one, none zero.
    public let shape: [Int]
    /// The elements' raw bytes as stored: big-endian, row-major.
    public let payload: [UInt8]

    /// Number of elements (the product of `shape`).
    var count: Int { payload.count / elementType.byteWidth }

    /// Every element converted to Float (rounded to nearest for wide integers and f64).
    func floats() -> [Float] {
        let n = count
        return [Float](unsafeUninitializedCapacity: n) { out, initialised in
            payload.withUnsafeBufferPointer { raw in
                let p = raw.baseAddress!
                switch elementType {
                case .uint8:
                    for i in 0..<n { out[i] = Float(p[i]) }
                case .int8:
                    for i in 0..<n { out[i] = Float(Int8(bitPattern: p[i])) }
                case .int16:
                    for i in 0..<n { out[i] = Float(Int16(bitPattern: UInt16(bigEndianAt: p + 2 * i))) }
                case .int32:
                    for i in 0..<n { out[i] = Float(Int32(bitPattern: UInt32(bigEndianAt: p + 4 * i))) }
                case .float32:
                    for i in 0..<n { out[i] = Float(bitPattern: UInt32(bigEndianAt: p + 4 * i)) }
                case .float64:
                    for i in 0..<n { out[i] = Float(Double(bitPattern: UInt64(bigEndianAt: p + 8 * i))) }
                }
            }
            initialised = n
        }
    }
}

/// Why an IDX file was rejected. Every case names the file it came from.
public enum IDXError: Error, Equatable, CustomStringConvertible {
    /// No bytes at all (or a gzip stream that decompresses to nothing).
    case empty(file: String)
    /// The file could not be opened or read: missing, a directory, no permission.
    case unreadable(file: String, reason: String)
    /// The data ends inside the header (magic + 4 bytes per dimension).
    case truncatedHeader(file: String, needed: Int, got: Int)
    /// The first two bytes are not zero.
    case badMagic(file: String, found: [UInt8])
    case unknownElementType(file: String, code: UInt8)
    /// The rank byte is 0.
    case zeroRank(file: String)
    /// Dimension `index` (0-based) is 0.
    case zeroDimension(file: String, index: Int, shape: [Int])
    /// The number of payload bytes the shape implies does not fit in an Int.
    case sizeOverflow(file: String, shape: [Int], elementType: IDXElementType)
    /// The payload is shorter than the shape says (`actual` < `declared`).
    case wrongSize(file: String, shape: [Int], elementType: IDXElementType, declared: Int, actual: Int)
    /// Bytes follow the payload. For gzip'd files past `trailingProbeLimit` extra bytes,
    /// counting stops and `atLeast` is true.
    case trailingData(file: String, extraBytes: Int, atLeast: Bool)
    /// The gzip layer failed: truncated, CRC mismatch ("incorrect data check"), corrupt.
    /// `offset` is how far into the compressed file zlib had read when it failed.
    case compressed(file: String, InflateError, offset: Int)

    var file: String {
        switch self {
        case .empty(let file), .unreadable(let file, _), .truncatedHeader(let file, _, _),
             .badMagic(let file, _), .unknownElementType(let file, _), .zeroRank(let file),
             .zeroDimension(let file, _, _), .sizeOverflow(let file, _, _),
             .wrongSize(let file, _, _, _, _), .trailingData(let file, _, _), .compressed(let file, _, _):
            return file
        }
    }

    public var description: String {
        let redownload = "download the file again"
        switch self {
        case .empty(let file):
            return "\(file): empty file, not IDX data; \(redownload)"
        case .unreadable(let file, let reason):
            return "\(file): cannot read: \(reason)"
        case .truncatedHeader(let file, let needed, let got):
            return "\(file): IDX header cut short: needs \(needed) bytes, holds \(got); \(redownload)"
        case .badMagic(let file, let found):
            return "\(file): not an IDX file: starts with \(found.map { hexDigits($0) }.joined(separator: " ")), not 00 00; "
                + "give an IDX file (raw or .gz)"
        case .unknownElementType(let file, let code):
            let known = IDXElementType.allCases.map { hex($0.rawValue) }
            return "\(file): unknown IDX element type \(hex(code)) "
                + "(known: \(known.joined(separator: ", "))); not an IDX file?"
        case .zeroRank(let file):
            return "\(file): IDX header declares 0 dimensions; an IDX array needs at least one"
        case .zeroDimension(let file, let index, let shape):
            return "\(file): IDX dimension \(index) of \(shapeText(shape)) is 0; the file holds no data"
        case .sizeOverflow(let file, let shape, let type):
            return "\(file): IDX header declares \(shapeText(shape)) \(type), too large to exist; the header is corrupt"
        case .wrongSize(let file, let shape, let type, let declared, let actual):
            return "\(file): declares \(shapeText(shape)) \(type) = \(declared) bytes but holds \(actual); "
                + "the file is truncated: \(redownload)"
        case .trailingData(let file, let extra, let atLeast):
            return "\(file): \(atLeast ? "at least " : "")\(extra) extra bytes after the data; "
                + "the header does not match the file: \(redownload)"
        case .compressed(let file, let error, let offset):
            return "\(file): at compressed byte \(offset): \(error); \(redownload)"
        }
    }
}


/// "60000x28x28".
func shapeText(_ shape: [Int]) -> String {
    shape.map(String.init).joined(separator: "x")
}

/// How many extra decompressed bytes a gzip'd file's trailing-data error counts before it stops
/// (a compression bomb behind a valid file must not be inflated in full).
let trailingProbeLimit = 1 << 20

/// Reads a raw or gzip'd (detected by the 1f 8b magic, not the name) IDX file.
public func readIDX(path: String) throws(IDXError) -> IDXArray {
    let bytes: [UInt8]
    do {
        bytes = try readFile(path)
    } catch {
        throw .unreadable(file: path, reason: error.reason)
    }
    return try parseIDX(owning: bytes, file: path)
}

/// Parses IDX from bytes already in memory (raw or gzip'd); `file` is only used in messages.
///
/// Nothing is allocated from the header's claims: raw payloads are checked against the bytes
/// present, gzip'd ones are inflated only as far as real output and the claimed size allow.
func parseIDX(_ bytes: [UInt8], file: String) throws(IDXError) -> IDXArray {
    try parseIDX(owning: bytes, file: file)
}

/// `parseIDX`, taking ownership so a raw payload can be cut out of `bytes` in place, without a
/// second 47 MB allocation, when the caller holds no other reference (as `readIDX` does not).
private func parseIDX(owning bytes: consuming [UInt8], file: String) throws(IDXError) -> IDXArray {
    guard !bytes.isEmpty else { throw .empty(file: file) }
    if looksGzipped(bytes) { return try parseGzippedIDX(bytes, file: file) }
    return try parseRawIDX(bytes, file: file)
}

// MARK: - Header

/// The validated 4-byte magic: element type and rank.
private func decodeMagic(_ b: ArraySlice<UInt8>, file: String) throws(IDXError) -> (IDXElementType, Int) {
    let s = b.startIndex
    guard b.prefix(2).allSatisfy({ $0 == 0 }) else { throw .badMagic(file: file, found: Array(b.prefix(4))) }
    guard b.count >= 4 else { throw .truncatedHeader(file: file, needed: 4, got: b.count) }
    guard let type = IDXElementType(rawValue: b[s + 2]) else {
        throw .unknownElementType(file: file, code: b[s + 2])
    }
    let rank = Int(b[s + 3])
    guard rank > 0 else { throw .zeroRank(file: file) }
    return (type, rank)
}

/// The shape from `4 * rank` big-endian bytes, and the payload size it implies (overflow-checked).
private func decodeShape(_ b: ArraySlice<UInt8>, type: IDXElementType,
                         file: String) throws(IDXError) -> (shape: [Int], payloadBytes: Int) {
    var shape: [Int] = []
    shape.reserveCapacity(b.count / 4)
    var i = b.startIndex
    while i < b.endIndex {
        let d = UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
        shape.append(Int(d))
        i += 4
    }
    if let zero = shape.firstIndex(of: 0) { throw .zeroDimension(file: file, index: zero, shape: shape) }
    var size = type.byteWidth
    for d in shape {
        let (product, overflow) = size.multipliedReportingOverflow(by: d)
        guard !overflow else { throw .sizeOverflow(file: file, shape: shape, elementType: type) }
        size = product
    }
    return (shape, size)
}

// MARK: - Raw and gzip'd bodies

private func parseRawIDX(_ bytes: consuming [UInt8], file: String) throws(IDXError) -> IDXArray {
    let (type, rank) = try decodeMagic(bytes[...], file: file)
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
        throw .truncatedHeader(file: file, needed: headerSize, got: bytes.count)
    }
    let (shape, payloadBytes) = try decodeShape(bytes[4..<headerSize], type: type, file: file)
    let available = bytes.count - headerSize
    guard available >= payloadBytes else {
        throw .wrongSize(file: file, shape: shape, elementType: type, declared: payloadBytes, actual: available)
    }
    guard available == payloadBytes else {
        throw .trailingData(file: file, extraBytes: available - payloadBytes, atLeast: false)
    }
    var payload = bytes
    payload.removeFirst(headerSize)  // in place when `bytes` was uniquely owned
    return IDXArray(elementType: type, shape: shape, payload: payload)
}

private func parseGzippedIDX(_ bytes: [UInt8], file: String) throws(IDXError) -> IDXArray {
    let stream: InflateStream
    do { stream = try InflateStream(bytes, format: .gzipOrZlib) } catch { throw .compressed(file: file, error, offset: 0) }
    var header: [UInt8] = []
    let got = try inflating(file, stream) { () throws(InflateError) in try stream.read(upTo: 4, appendingTo: &header) }
    guard got > 0 else { throw .empty(file: file) }
    let (type, rank) = try decodeMagic(header[...], file: file)
    let headerSize = 4 + 4 * rank
    let dimsGot = try inflating(file, stream) { () throws(InflateError) in try stream.read(upTo: 4 * rank, appendingTo: &header) }
    guard dimsGot == 4 * rank else { throw .truncatedHeader(file: file, needed: headerSize, got: 4 + dimsGot) }
    let (shape, payloadBytes) = try decodeShape(header[4...], type: type, file: file)

    // Fills only as real output arrives, and stops at the claim. The capacity reserved up front is
    // also capped by a small multiple of the compressed size (see `gzipCapacityHint`), so a false
    // claim costs at most address space proportional to the file, never the claim itself.
    var payload: [UInt8] = []
    payload.reserveCapacity(min(payloadBytes, gzipCapacityHint(bytes)))
    let payloadGot = try inflating(file, stream) { () throws(InflateError) in
        try stream.read(upTo: payloadBytes, appendingTo: &payload)
    }
    guard payloadGot == payloadBytes else {
        throw .wrongSize(file: file, shape: shape, elementType: type, declared: payloadBytes, actual: payloadGot)
    }
    // Reading on to the stream's end also checks the gzip CRC and length trailer. Extra bytes are
    // counted, not kept: a bomb behind the payload costs time up to the probe limit, not memory.
    let extraGot = try inflating(file, stream) { () throws(InflateError) in try stream.skip(upTo: trailingProbeLimit + 1) }
    guard extraGot == 0 else {
        throw .trailingData(file: file, extraBytes: min(extraGot, trailingProbeLimit),
                            atLeast: extraGot > trailingProbeLimit)
    }
    return IDXArray(elementType: type, shape: shape, payload: payload)
}

/// The largest decompressed/compressed ratio trusted for reserving memory up front. Image data
/// compresses 3-10x (MNIST's training images: 4.7x); beyond this the payload still loads, it just
/// grows as it arrives.
private let maxReservedRatio = 64

/// Bytes a gzip'd file plausibly decompresses to: its trailer's ISIZE (the last member's size mod
/// 2^32), capped at `maxReservedRatio` times the file's size, so a forged trailer cannot reserve
/// more than a small multiple of the input. Only a capacity hint: reserving it lets a 47 MB payload
/// be inflated without reallocating and re-faulting its pages (about 45 ms of 210 for MNIST's
/// training images).
func gzipCapacityHint(_ bytes: [UInt8]) -> Int {
    guard bytes.count >= 18 else { return 0 }
    let n = bytes.count
    let isize = Int(bytes[n - 1]) << 24 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 3]) << 8 | Int(bytes[n - 4])
    return min(isize, maxReservedRatio * n)
}

/// Runs one step of decompression, naming the file and how far into it zlib got in its error.
private func inflating<T>(_ file: String, _ stream: InflateStream, _ step: () throws(InflateError) -> T) throws(IDXError) -> T {
    do { return try step() } catch { throw .compressed(file: file, error, offset: stream.compressedBytesRead) }
}

// MARK: - Big-endian loads

extension FixedWidthInteger {
    /// The big-endian value stored at `p` (no alignment needed).
    @inline(__always)
    init(bigEndianAt p: UnsafePointer<UInt8>) {
        var value = Self.zero
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(start: p, count: MemoryLayout<Self>.size)) }
        self.init(bigEndian: value)
    }
}
