import Foundation
import MNISTData

/// Byte builders for file fixtures, shared by every test target. Tests compute what they expect
/// from the same inputs instead of pasting bytes.
public enum Fixtures {
    /// An IDX file: magic (0, 0, type code, rank), each dimension as a big-endian UInt32, then
    /// `payload` as given. The type code is raw so a test can write one the reader must refuse.
    public static func idx<Dimension: BinaryInteger>(typeCode: UInt8, dims: [Dimension], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, typeCode, UInt8(dims.count)]
        for d in dims { bytes += bigEndian(UInt32(d)) }
        return bytes + payload
    }

    /// `value`'s bytes, most significant first (IDX and PNG order).
    public static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    /// `bytes` as a gzip file (zlib's default level), through MNISTData's compressor.
    public static func gzip(_ bytes: [UInt8]) -> [UInt8] { deflateCompress(bytes, format: .gzipOrZlib) }
}
