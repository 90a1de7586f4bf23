import Foundation
import Testing
import TestSupport
@testable import MNISTData

/// The IDX error `parseIDX` throws for `bytes`, or nil when it parses.
private func idxError(_ bytes: [UInt8], file: String = "f.idx") -> IDXError? {
    caughtError { () throws(IDXError) in try parseIDX(bytes, file: file) }
}

/// The zlib-level error inside an IDX error, whatever offset it happened at.
private func inflateError(_ error: IDXError?) -> InflateError? {
    if case .compressed(_, let inner, _) = error { return inner }
    return nil
}

@Suite struct IDXTests {
    static let shapes: [[Int]] = [[7], [3, 5], [2, 3, 4], [2, 1, 3, 2]]

    @Test(arguments: IDXElementType.allCases, [false, true])
    func everyTypeAndRankRoundTrips(type: IDXElementType, gzipped: Bool) throws {
        for shape in Self.shapes {
            let count = shape.reduce(1, *)
            let (payload, values) = Fixtures.pattern(type, count: count)
            let raw = Fixtures.idx(typeCode: type.rawValue, dims: shape.map(UInt32.init), payload: payload)
            let array = try parseIDX(gzipped ? Fixtures.gzip(raw) : raw, file: "t.idx")
            #expect(array.elementType == type)
            #expect(array.shape == shape)
            #expect(array.payload == payload)
            #expect(array.count == count)
            #expect(array.floats() == values)
        }
    }

    @Test func patternsCoverNegativeAndFractionalValues() {
        let floats = Fixtures.pattern(.float32, count: 40).values
        #expect(floats.contains { $0 < 0 } && floats.contains { $0 != $0.rounded() })
        #expect(Fixtures.pattern(.int8, count: 10).values.contains { $0 < 0 })
        #expect(Fixtures.pattern(.int32, count: 10).values.contains { $0 < 0 })
        #expect(Fixtures.pattern(.float64, count: 200).values.contains { $0 < 0 })
    }

    @Test func typeWidthsAndNames() {
        #expect(IDXElementType.allCases.map(\.byteWidth) == [1, 1, 2, 4, 4, 8])
        #expect(IDXElementType.allCases.map(\.description) == ["u8", "i8", "i16", "i32", "f32", "f64"])
    }

    @Test func multiMemberGzipIsReadAsOneStream() throws {
        let (payload, values) = Fixtures.pattern(.int16, count: 300)
        let raw = Fixtures.idx(typeCode: 0x0B, dims: [10, 30], payload: payload)
        // Split inside the header and inside the payload: `cat a.gz b.gz c.gz`.
        let gz = Fixtures.gzip(Array(raw[0..<6])) + Fixtures.gzip(Array(raw[6..<200])) + Fixtures.gzip(Array(raw[200...]))
        let array = try parseIDX(gz, file: "multi.gz")
        #expect(array.shape == [10, 30])
        #expect(array.floats() == values)
    }

    @Test func readsRawAndGzippedFilesFromDisk() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (payload, values) = Fixtures.pattern(.float64, count: 24)
        let raw = Fixtures.idx(typeCode: 0x0E, dims: [4, 6], payload: payload)
        // The gzip'd one deliberately lacks a .gz name: detection is by magic.
        let rawPath = try Fixtures.write(raw, to: dir, name: "a.idx")
        let gzPath = try Fixtures.write(Fixtures.gzip(raw), to: dir, name: "b.idx")
        for path in [rawPath, gzPath] {
            let array = try readIDX(path: path)
            #expect(array.shape == [4, 6])
            #expect(array.floats() == values)
        }
    }

    // MARK: - The malformed table

    @Test func emptyFile() {
        #expect(idxError([]) == .empty(file: "f.idx"))
        #expect(idxError(Fixtures.gzip([])) == .empty(file: "f.idx"))
        #expect(idxError([])?.description.contains("f.idx: empty file") == true)
    }

    @Test func truncatedGzip() {
        let gz = Fixtures.gzip(Fixtures.idx(typeCode: 8, dims: [1000], payload: Fixtures.pixels(count: 1, pixels: 1000)))
        // zlib has read all there is when it finds the end missing: the offset is the file's size.
        let half = gz.count / 2
        #expect(idxError(Array(gz[..<half])) == .compressed(file: "f.idx", .truncated, offset: half))
        #expect(idxError(Array(gz[..<half]))?.description.hasPrefix("f.idx: at compressed byte \(half): compressed data ends early") == true)
        // Only the 8-byte CRC/size trailer missing: the data is complete, the check is not.
        #expect(idxError(Array(gz[..<(gz.count - 8)])) == .compressed(file: "f.idx", .truncated, offset: gz.count - 8))
    }

    @Test func gzipCRCError() {
        var gz = Fixtures.gzip(Fixtures.idx(typeCode: 8, dims: [64], payload: Fixtures.pixels(count: 1, pixels: 64)))
        gz[gz.count - 8] ^= 0x01  // first byte of the CRC-32
        let error = idxError(gz)
        #expect(inflateError(error) == .corrupt(reason: "incorrect data check"))
        #expect(error?.description.contains("corrupt compressed data (incorrect data check)") == true)
    }

    @Test func wrongMagic() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]
        #expect(idxError(png) == .badMagic(file: "f.idx", found: [0x89, 0x50, 0x4E, 0x47]))
        #expect(idxError(png)?.description.contains("starts with 89 50 4e 47, not 00 00") == true)
        #expect(idxError(Array("hello".utf8)) == .badMagic(file: "f.idx", found: Array("hell".utf8)))
    }

    @Test func unknownTypeZeroRankAndTruncatedHeader() {
        #expect(idxError([0, 0, 0x07, 1, 0, 0, 0, 1, 5]) == .unknownElementType(file: "f.idx", code: 7))
        #expect(idxError([0, 0, 0x07, 1])?.description
            == "f.idx: unknown IDX element type 0x07 (known: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e); not an IDX file?")
        #expect(idxError([0, 0, 0x08, 0]) == .zeroRank(file: "f.idx"))
        #expect(idxError([0, 0, 0x08]) == .truncatedHeader(file: "f.idx", needed: 4, got: 3))
        #expect(idxError([0, 0, 0x08, 3, 0, 0, 0, 5]) == .truncatedHeader(file: "f.idx", needed: 16, got: 8))
        #expect(idxError(Fixtures.gzip([0, 0, 0x08, 3, 0, 0, 0, 5])) == .truncatedHeader(file: "f.idx", needed: 16, got: 8))
    }

    @Test func zeroDimension() {
        let bytes = Fixtures.idx(typeCode: 8, dims: [3, 0], payload: [])
        #expect(idxError(bytes) == .zeroDimension(file: "f.idx", index: 1, shape: [3, 0]))
    }

    @Test func dimensionProductOverflow() {
        let max = UInt32.max
        let u8 = Fixtures.idx(typeCode: 8, dims: [max, max, max], payload: [1, 2, 3])
        let big = Int(max)
        #expect(idxError(u8) == .sizeOverflow(file: "f.idx", shape: [big, big, big], elementType: .uint8))
        // 2^31 * 2^31 elements fit in an Int, but 8 bytes each do not: the width is part of the product.
        let f64 = Fixtures.idx(typeCode: 0x0E, dims: [1 << 31, 1 << 31], payload: [])
        #expect(idxError(f64) == .sizeOverflow(file: "f.idx", shape: [1 << 31, 1 << 31], elementType: .float64))
        #expect(idxError(Fixtures.gzip(f64)) == .sizeOverflow(file: "f.idx", shape: [1 << 31, 1 << 31], elementType: .float64))
    }

    @Test func sizeMismatchNamesBothNumbers() {
        let bytes = Fixtures.idx(typeCode: 8, dims: [60000, 28, 28], payload: [UInt8](repeating: 7, count: 1000))
        let error = idxError(bytes, file: "train.idx")
        #expect(error == .wrongSize(file: "train.idx", shape: [60000, 28, 28], elementType: .uint8,
                                    declared: 47_040_000, actual: 1000))
        #expect(error?.description.contains("train.idx: declares 60000x28x28 u8 = 47040000 bytes but holds 1000") == true)
    }

    /// 2^40 bytes claimed over a 10-byte payload: refused with the real size. Nothing is taken from
    /// the claim: the raw payload is checked against the bytes present, and the gzip'd one gets the
    /// capacity its trailer states (the 22 bytes really inside), so reaching the error at all shows
    /// the terabyte was never allocated (malloc would refuse it and the process trap).
    @Test(arguments: [false, true])
    func hugeClaimOverTinyPayloadIsRefusedWithoutAllocatingIt(gzipped: Bool) {
        let raw = Fixtures.idx(typeCode: 8, dims: [1 << 20, 1 << 20], payload: Array(0..<10))
        let bytes = gzipped ? Fixtures.gzip(raw) : raw
        #expect(idxError(bytes) == .wrongSize(file: "f.idx", shape: [1 << 20, 1 << 20], elementType: .uint8,
                                              declared: 1 << 40, actual: 10))
        if gzipped { #expect(gzipCapacityHint(bytes) == raw.count) }
    }

    /// A forged gzip trailer (ISIZE 4 GiB - 1) under the same huge claim: the capacity reserved from
    /// the trailer is capped at 64 times the file's size, and zlib then rejects the length.
    @Test func forgedGzipSizeTrailerIsNotTrusted() {
        var gz = Fixtures.gzip(Fixtures.idx(typeCode: 8, dims: [1 << 20, 1 << 20], payload: Array(0..<10)))
        for k in 1...4 { gz[gz.count - k] = 0xFF }
        #expect(gzipCapacityHint(gz) == 64 * gz.count)
        #expect(inflateError(idxError(gz)) == .corrupt(reason: "incorrect length check"))
    }

    @Test(arguments: [false, true])
    func trailingGarbage(gzipped: Bool) {
        let raw = Fixtures.idx(typeCode: 8, dims: [2, 3], payload: Array(1...6)) + [9, 9, 9, 9, 9]
        let error = idxError(gzipped ? Fixtures.gzip(raw) : raw)
        #expect(error == .trailingData(file: "f.idx", extraBytes: 5, atLeast: false))
        #expect(error?.description.contains("f.idx: 5 extra bytes after the data") == true)
    }

    @Test func garbageAfterTheGzipStream() {
        let gz = Fixtures.gzip(Fixtures.idx(typeCode: 8, dims: [2], payload: [1, 2])) + [0x41, 0x42, 0x43]
        #expect(inflateError(idxError(gz)) == .trailingData(bytes: 3))
    }

    /// Header says 100 bytes; the stream goes on to inflate 1 MiB of zeros, another, then a third
    /// whose CRC is wrong (more gzip members, so one valid-looking gzip file). Counting must stop at
    /// the probe limit, one byte into the second megabyte: reading on would reach the bad CRC and
    /// fail with that error instead, as it does when the bad megabyte comes first.
    @Test func gzipBombStopsAtTheProbeLimit() {
        let head = Fixtures.gzip(Fixtures.idx(typeCode: 8, dims: [100], payload: Fixtures.pixels(count: 1, pixels: 100)))
        let megabyteOfZeros = Fixtures.gzip([UInt8](repeating: 0, count: 1 << 20))
        var tripwire = megabyteOfZeros
        tripwire[tripwire.count - 8] ^= 0x01  // first byte of the member's CRC-32
        #expect(inflateError(idxError(head + tripwire)) == .corrupt(reason: "incorrect data check"))

        let error = idxError(head + megabyteOfZeros + megabyteOfZeros + tripwire)
        #expect(error == .trailingData(file: "f.idx", extraBytes: trailingProbeLimit, atLeast: true))
        #expect(error?.description.contains("at least 1048576 extra bytes after the data") == true)
    }

    @Test func directoryInsteadOfFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        #expect(throws: IDXError.unreadable(file: dir.path, reason: "is a directory, not a file")) {
            try readIDX(path: dir.path)
        }
    }

    @Test func missingFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let path = dir.appendingPathComponent("nope.idx").path
        let error = #expect(throws: IDXError.self) { try readIDX(path: path) }
        #expect(error == .unreadable(file: path, reason: "no such file"))
        #expect(error?.description == "\(path): cannot read: no such file")
    }
}
