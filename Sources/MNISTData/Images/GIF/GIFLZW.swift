/// Decompresses GIF's variable-width LZW (codes read least significant bit first, growing from
/// `minimumCodeSize + 1` bits up to 12) into exactly `count` colour indices.
///
/// Codes after the end code, and indices past `count`, are ignored, as every decoder does; data
/// that ends before `count` indices is an error.
func decodeGIFLZW(_ data: [UInt8], minimumCodeSize: Int, count: Int) throws(GIFError) -> [UInt8] {
    guard (2...8).contains(minimumCodeSize) else { throw .badCodeSize(minimumCodeSize) }
    // Each code takes at least minimumCodeSize + 1 bits and stands for fewer than 4096 indices, so
    // a frame larger than that is refused before its indices are allocated.
    let mostIndices = (data.count * 8 / (minimumCodeSize + 1)) * 4095
    guard count <= mostIndices else {
        throw .badImageData(reason: "\(data.count) bytes cannot hold the \(count) pixels of the frame")
    }
    let clear = 1 << minimumCodeSize, end = clear + 1
    // Each code is its prefix code plus one last byte; `first` and `length` let a string be
    // written backwards straight into the output.
    var prefix = [Int](repeating: 0, count: 4096)
    var last = [UInt8](repeating: 0, count: 4096)
    var first = [UInt8](repeating: 0, count: 4096)
    var length = [Int](repeating: 0, count: 4096)
    for c in 0..<clear {
        last[c] = UInt8(c)
        first[c] = UInt8(c)
        length[c] = 1
    }
    var out = [UInt8](repeating: 0, count: count)
    var written = 0
    var next = end + 1, codeSize = minimumCodeSize + 1
    var previous: Int? = nil
    var bitBuffer: UInt32 = 0, bitCount = 0, position = 0

    while written < count {
        while bitCount < codeSize {
            guard position < data.count else {
                throw .badImageData(reason: "it ends after \(written) of \(count) pixels")
            }
            bitBuffer |= UInt32(data[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let code = Int(bitBuffer & ((1 << codeSize) - 1))
        bitBuffer >>= codeSize
        bitCount -= codeSize

        if code == clear {
            next = end + 1
            codeSize = minimumCodeSize + 1
            previous = nil
            continue
        }
        if code == end {
            throw .badImageData(reason: "its end code comes after \(written) of \(count) pixels")
        }
        guard let prior = previous else {
            guard code < clear else { throw .badImageData(reason: "code \(code) comes before any string is defined") }
            out[written] = UInt8(code)
            written += 1
            previous = code
            continue
        }
        guard code <= next else {
            throw .badImageData(reason: "code \(code) is not yet defined (the next is \(next))")
        }
        // Code `next` is not in the table yet: it is the previous string plus its own first byte.
        let string = code < next ? code : prior
        let firstByte = first[string]
        if next < 4096 {
            prefix[next] = prior
            last[next] = firstByte
            first[next] = first[prior]
            length[next] = length[prior] + 1
            next += 1
            if next == 1 << codeSize && codeSize < 12 { codeSize += 1 }
        }
        // Write the string for `code` (now in the table) backwards, clipped at `count`.
        let n = length[code]
        var c = code
        for k in stride(from: n - 1, through: 0, by: -1) {
            if written + k < count { out[written + k] = last[c] }
            c = prefix[c]
        }
        written += n
        previous = code
    }
    return out
}
