// libFuzzer entry: the IDX reader must reject or accept any bytes without crashing, hanging or
// allocating beyond what the input really holds. Built by scripts/fuzz.sh with MNISTData's sources.
//
// Each input is read as given (raw or gzip'd), and, when it is not gzip'd already, once more
// gzip-compressed: mutating the compressed bytes rarely yields a header worth reading, so this is
// how the gzip path sees every header and payload the raw path does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check(try? parseIDX(bytes, file: "fuzz"))
    if !looksGzipped(bytes) {
        check(try? parseIDX(gzipStored(bytes), file: "fuzz.gz"))
    }
    return 0
}

/// A gzip member holding `bytes` in stored (uncompressed) deflate blocks: the same container a
/// compressor writes, built by hand because zlib's deflate allocates and clears ~300 KB per call,
/// which would slow each run twenty-fold.
private func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
    var offset = 0
    repeat {
        let n = min(bytes.count - offset, 0xFFFF)
        let last: UInt8 = offset + n == bytes.count ? 1 : 0
        out += [last, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
        out += bytes[offset..<(offset + n)]
        offset += n
    } while offset < bytes.count
    let crc = crc32(of: bytes[...]), size = UInt32(truncatingIfNeeded: bytes.count)
    for value in [crc, size] { out += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    return out
}

/// What the reader promises about an array it accepts.
private func check(_ array: IDXArray?) {
    guard let array else { return }
    let elements = array.shape.reduce(1, *)
    guard !array.shape.isEmpty, !array.shape.contains(0),
          array.payload.count == elements * array.elementType.byteWidth else {
        fatalError("accepted IDX with shape \(array.shape) and \(array.payload.count) payload bytes")
    }
    // Converting a payload inflated from a bomb costs ~50 ms under ASan and tests nothing new.
    guard array.payload.count > 1 << 16 || array.floats().count == elements else {
        fatalError("floats() does not give one Float per element")
    }
}
