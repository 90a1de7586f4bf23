/// One component of a frame (SOF): its sampling factors, its quantisation table and the grid of
/// 8x8 blocks it is coded in.
struct JPEGComponent {
    let id: UInt8
    /// Horizontal and vertical sampling factors, 1...4.
    let h: Int, v: Int
    let quantTable: Int
    /// Blocks a non-interleaved scan codes: the component's own samples, rounded up to whole blocks.
    var blocksWide = 0, blocksHigh = 0
    /// Blocks an interleaved scan codes (whole MCUs): the rows of the coefficient store.
    var storeWide = 0, storeHigh = 0
    /// Whether the picture's luma needs this component (Y, or all of R, G, B).
    var needed = false
    /// The quantisation table in natural order, taken from DQT when the component is first scanned.
    var quant: [Int32]?
}

/// A frame header: its coding process and geometry.
struct JPEGFrame {
    var progressive: Bool
    var width: Int, height: Int
    var components: [JPEGComponent]
    var hMax = 1, vMax = 1
    /// MCUs of an interleaved scan across and down.
    var mcusWide = 0, mcusHigh = 0

    /// Fills in the block geometry from the sampling factors (T.81 A.1.1).
    mutating func layOut() {
        hMax = components.map(\.h).max() ?? 1
        vMax = components.map(\.v).max() ?? 1
        mcusWide = (width + 8 * hMax - 1) / (8 * hMax)
        mcusHigh = (height + 8 * vMax - 1) / (8 * vMax)
        for i in components.indices {
            let c = components[i]
            let samplesWide = (width * c.h + hMax - 1) / hMax, samplesHigh = (height * c.v + vMax - 1) / vMax
            components[i].blocksWide = (samplesWide + 7) / 8
            components[i].blocksHigh = (samplesHigh + 7) / 8
            components[i].storeWide = mcusWide * c.h
            components[i].storeHigh = mcusHigh * c.v
        }
    }

    /// Blocks one pass over the whole frame codes, in every component.
    var blocksPerPass: Int { mcusWide * mcusHigh * components.reduce(0) { $0 + $1.h * $1.v } }
}

/// One scan header (SOS): which components, their tables, and for progressive JPEGs the band of
/// coefficients and the bit position it codes.
struct JPEGScan {
    struct Member {
        let component: Int
        let dcTable: Int
        let acTable: Int
    }
    var members: [Member]
    var spectralStart: Int, spectralEnd: Int
    var approximationHigh: Int, approximationLow: Int
}

/// The eight zigzag positions' natural (row-major) index in an 8x8 block, T.81 figure A.6.
let zigzagToNatural: [Int] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]
