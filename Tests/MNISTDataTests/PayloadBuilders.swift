import TestSupport
@testable import MNISTData

/// Payload builders for MNISTData's tests, with values derived from the index so that tests
/// compute their expectations instead of pasting them. (The file builders every test target uses
/// are in TestSupport.)
extension Fixtures {
    /// `count` elements of `type`, derived from the index (negative and fractional where the type
    /// allows), as stored big-endian bytes and as the Floats `IDXArray.floats()` should return.
    static func pattern(_ type: IDXElementType, count: Int) -> (bytes: [UInt8], values: [Float]) {
        var bytes: [UInt8] = []
        var values: [Float] = []
        for i in 0..<count {
            switch type {
            case .uint8:
                let v = UInt8((i * 37 + 11) % 256)
                bytes.append(v); values.append(Float(v))
            case .int8:
                let v = Int8(truncatingIfNeeded: i * 37 - 100)
                bytes.append(UInt8(bitPattern: v)); values.append(Float(v))
            case .int16:
                let v = Int16(truncatingIfNeeded: i * 1237 - 30_000)
                bytes += bigEndian(v); values.append(Float(v))
            case .int32:
                let v = Int32(truncatingIfNeeded: i * 100_000_007 - 1_000_000)
                bytes += bigEndian(v); values.append(Float(v))
            case .float32:
                let v = Float(i) * 0.37 - 5.5
                bytes += bigEndian(v.bitPattern); values.append(v)
            case .float64:
                let v = Double(i) * -1.25e-3 + 0.1
                bytes += bigEndian(v.bitPattern); values.append(Float(v))
            }
        }
        return (bytes, values)
    }

    /// u8 pixels for `count` images of `pixels` each: pixel p of image i.
    static func pixels(count: Int, pixels: Int) -> [UInt8] {
        (0..<count * pixels).map { k in UInt8((k / pixels * 31 + k % pixels * 17 + (k / pixels) * (k % pixels) % 7) % 256) }
    }
}

/// A PNG chunk: big-endian data length, type, data, then the CRC-32 of type and data (or `crc` as
/// given, to make a wrong one).
func pngChunk(_ type: String, _ data: [UInt8], crc: UInt32? = nil) -> [UInt8] {
    let body = Array(type.utf8) + data
    return Fixtures.bigEndian(UInt32(data.count)) + body + Fixtures.bigEndian(crc ?? crc32(of: body[...]))
}
