/// Standard base64 (RFC 4648, with `=` padding), for PNGs inside a page as data: URIs.
func base64Encoded(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out = [UInt8]()
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    for start in stride(from: 0, to: bytes.count, by: 3) {
        let chunk = bytes[start..<min(start + 3, bytes.count)]
        let b0 = Int(chunk[start]), b1 = chunk.count > 1 ? Int(chunk[start + 1]) : 0, b2 = chunk.count > 2 ? Int(chunk[start + 2]) : 0
        let triple = b0 << 16 | b1 << 8 | b2
        out.append(alphabet[triple >> 18 & 63])
        out.append(alphabet[triple >> 12 & 63])
        out.append(chunk.count > 1 ? alphabet[triple >> 6 & 63] : UInt8(ascii: "="))
        out.append(chunk.count > 2 ? alphabet[triple & 63] : UInt8(ascii: "="))
    }
    return String(decoding: out, as: UTF8.self)
}

/// A PNG as a `data:` URI, for an `<img src>` that needs no other file.
func pngDataURI(_ png: [UInt8]) -> String { "data:image/png;base64," + base64Encoded(png) }
