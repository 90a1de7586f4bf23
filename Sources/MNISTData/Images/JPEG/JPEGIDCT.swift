import Foundation

/// The inverse DCT at output side `side` (8: full size; 4, 2, 1: a half, quarter, eighth).
///
/// Sample x of a reduced block is the mean of the 8 / side full-size samples it stands for, as
/// far as the kept (lowest side x side) frequencies make them: each basis row is the mean of the
/// full 8-point cosines over that group (T.81 A.3.3), so 1/8 is exactly the block's mean (its DC)
/// and 1/2, 1/4 lose only the dropped frequencies' share.
struct JPEGInverseDCT {
    let side: Int
    /// basis[x * side + u]: the weight of frequency u in output sample x, including C(u) / 2.
    let basis: [Float]

    init(side: Int) {
        self.side = side
        let group = 8 / side
        var basis = [Float](repeating: 0, count: side * side)
        for x in 0..<side {
            for u in 0..<side {
                var sum = 0.0
                for i in 0..<group {
                    let full = Double(x * group + i)
                    sum += cos((2 * full + 1) * Double(u) * Double.pi / 16)
                }
                let scale = (u == 0 ? 1 / 2.0.squareRoot() : 1) / 2
                basis[x * side + u] = Float(scale * sum / Double(group))
            }
        }
        self.basis = basis
    }

    /// Dequantises and transforms every block of a store into a plane of 8-bit samples,
    /// store.blocksWide * side wide. `quant` is the component's table in natural order.
    func transform(_ store: JPEGCoefficientStore, quant: [Int32], into plane: inout [UInt8]) {
        let side = self.side, kept = side * side
        let blocks = store.blocksWide * store.blocksHigh
        let planeWide = store.blocksWide * side
        var q = [Float](repeating: 0, count: kept)
        for r in 0..<side { for c in 0..<side { q[r * side + c] = Float(quant[r * 8 + c]) } }
        let values = UnsafeBufferPointer(store.values)
        plane.withUnsafeMutableBufferPointer { out in
            basis.withUnsafeBufferPointer { m in
                var f = [Float](repeating: 0, count: kept), rows = [Float](repeating: 0, count: kept)
                f.withUnsafeMutableBufferPointer { f in
                    rows.withUnsafeMutableBufferPointer { rows in
                        for b in 0..<blocks {
                            let block = values.baseAddress! + b * kept
                            let origin = (b / store.blocksWide) * side * planeWide + (b % store.blocksWide) * side
                            transformBlock(block, q, m, f, rows, out.baseAddress! + origin, planeWide)
                        }
                    }
                }
            }
        }
    }

    /// One block: f = coefficients * quant; rows[v][x] = sum_u basis[x][u] f[v][u];
    /// out[y][x] = 128 + sum_v basis[y][v] rows[v][x], rounded and clamped.
    @inline(__always)
    private func transformBlock(_ block: UnsafePointer<Int16>, _ q: [Float], _ m: UnsafeBufferPointer<Float>,
                                _ f: UnsafeMutableBufferPointer<Float>, _ rows: UnsafeMutableBufferPointer<Float>,
                                _ out: UnsafeMutablePointer<UInt8>, _ stride: Int) {
        let side = self.side
        if side == 1 {
            out[0] = clampSample(Float(block[0]) * q[0] * m[0] * m[0] + 128)
            return
        }
        for v in 0..<side {
            var acZero = true
            for u in 0..<side {
                let c = block[v * side + u]
                f[v * side + u] = Float(c) * q[v * side + u]
                if u > 0 && c != 0 { acZero = false }
            }
            if acZero {
                let dc = f[v * side] * m[0]
                for x in 0..<side { rows[v * side + x] = dc }
            } else {
                for x in 0..<side {
                    var sum: Float = 0
                    for u in 0..<side { sum += m[x * side + u] * f[v * side + u] }
                    rows[v * side + x] = sum
                }
            }
        }
        for y in 0..<side {
            let line = out + y * stride
            for x in 0..<side {
                var sum: Float = 128
                for v in 0..<side { sum += m[y * side + v] * rows[v * side + x] }
                line[x] = clampSample(sum)
            }
        }
    }
}

@inline(__always) private func clampSample(_ v: Float) -> UInt8 {
    let r = (v + 0.5).rounded(.down)
    return r <= 0 ? 0 : r >= 255 ? 255 : UInt8(r)
}
