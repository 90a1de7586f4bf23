/// PNG's five per-row filter types (specification section 9.2); the raw value is the row's first byte.
public enum PNGFilter: UInt8, Sendable, CaseIterable {
    case none = 0, sub, up, average, paeth
}

/// Predicts a byte from its left (a), upper (b) and upper-left (c) neighbours, choosing the one
/// nearest to a + b - c (ties in the order a, b, c).
@inline(__always)
func paethPredictor(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
    let p = Int(a) + Int(b) - Int(c)
    let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
    if pa <= pb && pa <= pc { return a }
    return pb <= pc ? b : c
}

/// Undoes `filter` on one row in place. row and previous are `count` bytes; previous is the row
/// above, already reconstructed (zeros for a pass's first row); stride is bytes per pixel (at least 1).
func unfilterRow(_ filter: PNGFilter, row: UnsafeMutablePointer<UInt8>, previous: UnsafePointer<UInt8>,
                 count: Int, stride: Int) {
    switch filter {
    case .none:
        break
    case .sub:
        var i = stride
        while i < count { row[i] &+= row[i - stride]; i += 1 }
    case .up:
        for i in 0..<count { row[i] &+= previous[i] }
    case .average:
        for i in 0..<min(stride, count) { row[i] &+= previous[i] >> 1 }
        var i = stride
        while i < count {
            row[i] &+= UInt8((UInt16(row[i - stride]) + UInt16(previous[i])) >> 1)
            i += 1
        }
    case .paeth:
        for i in 0..<min(stride, count) { row[i] &+= previous[i] }  // a = c = 0: predictor is b
        var i = stride
        while i < count {
            row[i] &+= paethPredictor(row[i - stride], previous[i], previous[i - stride])
            i += 1
        }
    }
}

/// Applies `filter` to one raw row, writing `count` filtered bytes to `out`. Same shapes as
/// `unfilterRow`; previous is the raw (unfiltered) row above.
func filterRow(_ filter: PNGFilter, row: UnsafePointer<UInt8>, previous: UnsafePointer<UInt8>,
               count: Int, stride: Int, into out: UnsafeMutablePointer<UInt8>) {
    for i in 0..<count {
        let a: UInt8 = i >= stride ? row[i - stride] : 0
        let c: UInt8 = i >= stride ? previous[i - stride] : 0
        let b = previous[i]
        let prediction: UInt8
        switch filter {
        case .none: prediction = 0
        case .sub: prediction = a
        case .up: prediction = b
        case .average: prediction = UInt8((UInt16(a) + UInt16(b)) >> 1)
        case .paeth: prediction = paethPredictor(a, b, c)
        }
        out[i] = row[i] &- prediction
    }
}
