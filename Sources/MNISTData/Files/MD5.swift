#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MD5 (RFC 1321) of `bytes`, as 32 lowercase hex digits: how dataset publishers list their files'
/// checksums. Used to recognise published files, never as a defence against tampering.
func md5Hex(_ bytes: [UInt8]) -> String {
    var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    // Whole blocks straight from the input; the tail, padding and bit length in one or two more.
    let whole = bytes.count / 64 * 64
    bytes.withUnsafeBufferPointer { input in
        for start in Swift.stride(from: 0, to: whole, by: 64) { md5Block(UnsafeBufferPointer(rebasing: input[start..<(start + 64)]), &state) }
    }
    var tail = Array(bytes[whole...])
    tail.append(0x80)
    while tail.count % 64 != 56 { tail.append(0) }
    let bits = UInt64(bytes.count) &* 8
    for k in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
    tail.withUnsafeBufferPointer { input in
        for start in Swift.stride(from: 0, to: tail.count, by: 64) { md5Block(UnsafeBufferPointer(rebasing: input[start..<(start + 64)]), &state) }
    }
    let digits = Array("0123456789abcdef")
    var text = ""
    for word in [state.0, state.1, state.2, state.3] {
        for k in 0..<4 {
            let byte = Int((word >> (8 * UInt32(k))) & 0xff)
            text.append(digits[byte >> 4]); text.append(digits[byte & 15])
        }
    }
    return text
}

/// Per-round left rotations and the sine-derived constants, RFC 1321 section 3.4.
private let md5Shifts: [UInt32] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
private let md5Constants: [UInt32] = (0..<64).map { i in
    UInt32(truncatingIfNeeded: Int64((abs(sin(Double(i + 1))) * 4_294_967_296).rounded(.down)))
}

/// One 64-byte block into the running state.
private func md5Block(_ block: UnsafeBufferPointer<UInt8>, _ state: inout (UInt32, UInt32, UInt32, UInt32)) {
    // The block's sixteen little-endian words, read in place (no copy per block).
    func m(_ i: Int) -> UInt32 {
        UInt32(block[4 * i]) | UInt32(block[4 * i + 1]) << 8 | UInt32(block[4 * i + 2]) << 16 | UInt32(block[4 * i + 3]) << 24
    }
    var (a, b, c, d) = state
    for i in 0..<64 {
        let f: UInt32, g: Int
        switch i / 16 {
        case 0: f = (b & c) | (~b & d); g = i
        case 1: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
        case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16
        default: f = c ^ (b | ~d); g = (7 * i) % 16
        }
        let sum = a &+ f &+ md5Constants[i] &+ m(g)
        let s = md5Shifts[(i / 16) * 4 + i % 4]
        (a, d, c) = (d, c, b)
        b = b &+ (sum << s | sum >> (32 - s))
    }
    state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
}
