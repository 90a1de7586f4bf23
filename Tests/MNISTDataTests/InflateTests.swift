@testable import MNISTData
import Testing

/// Bytes that do not compress to nothing: derived from the index.
private func noisyBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7 ^ $0 / 300) }
}

@Suite struct InflateTests {
    @Test(arguments: [0, 1, 1000, 300_000])
    func deflateThenInflateRoundTrips(size: Int) throws {
        let original = noisyBytes(size)
        let gz = deflateCompress(original, format: .gzipOrZlib)
        #expect(looksGzipped(gz))
        #expect(try inflateExactly(gz, expectedSize: size, format: .gzipOrZlib) == original)
        let z = deflateCompress(original, format: .zlib, level: 9)
        #expect(z[0] & 0x0F == 8 && (UInt16(z[0]) << 8 | UInt16(z[1])) % 31 == 0)  // zlib header: deflate, FCHECK
        #expect(!looksGzipped(z))
        #expect(try inflateExactly(z, expectedSize: size) == original)
    }

    @Test func compressesRepetitiveData() {
        #expect(deflateCompress([UInt8](repeating: 0, count: 1 << 20), format: .zlib).count < 2000)
    }

    @Test func streamReadsInPiecesAcrossGzipMembers() throws {
        let a = noisyBytes(5000), b = Array(noisyBytes(7000).reversed())
        let stream = try InflateStream(deflateCompress(a, format: .gzipOrZlib) + deflateCompress(b, format: .gzipOrZlib))
        var out = try stream.read(exactly: 3)
        #expect(try stream.read(upTo: 20_000, appendingTo: &out) == 11_997)
        #expect(out == a + b)
        try stream.expectEnd(limit: 12_000)
    }

    @Test func shortLongTruncatedCorruptAndTrailing() throws {
        let data = noisyBytes(4000)
        let gz = deflateCompress(data, format: .gzipOrZlib)
        #expect(throws: InflateError.shortOutput(expected: 4001, got: 4000)) {
            try InflateStream(gz).read(exactly: 4001)
        }
        #expect(throws: InflateError.tooLong(limit: 3999)) { try InflateStream(gz).readToEnd(limit: 3999) }
        #expect(try InflateStream(gz).readToEnd(limit: 4000) == data)
        #expect(throws: InflateError.truncated) { try InflateStream(Array(gz.dropLast(100))).readToEnd(limit: 4000) }
        var badCRC = gz
        badCRC[gz.count - 5] ^= 0x80
        #expect(throws: InflateError.corrupt(reason: "incorrect data check")) {
            try InflateStream(badCRC).readToEnd(limit: 4000)
        }
        #expect(throws: InflateError.trailingData(bytes: 2)) { try InflateStream(gz + [1, 2]).readToEnd(limit: 4000) }
        // A zlib-only reader refuses gzip input.
        #expect(throws: InflateError.corrupt(reason: "incorrect header check")) {
            try inflateExactly(gz, expectedSize: 4000, format: .zlib)
        }
    }

    @Test func gzipMagicDetection() {
        #expect(looksGzipped([0x1f, 0x8b]))
        #expect(!looksGzipped([0x1f]))
        #expect(!looksGzipped([0x8b, 0x1f, 0x08]))
    }
}
