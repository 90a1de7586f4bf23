/// Matrix products for the forward and backward passes, as one register-blocked kernel.
///
/// Every product here is c = a·b with b and c row-major. a is read through two strides so one
/// kernel serves both layer-1 forms: x·W1 (a = x, strides (k, 1)) and xᵀ·δ1 (a = xᵀ, strides
/// (1, m)), with no transposed copy. The microkernel keeps a 6 x 16 block of c in twelve 8-lane
/// accumulators (AVX2 has sixteen vector registers) while it walks k: per step it loads 16
/// floats of a row of b, broadcasts six values of a, and does twelve 8-lane multiply-adds. Rows
/// left over go through 4-row and 1-row versions; columns left over (< 16) through a zero-padded
/// copy of b. (SIMD16 accumulators were tried: LLVM splits them badly on AVX2 and spills,
/// 19 GFLOPS against ~90 for x·W1 at 784-128.)
///
/// Multiply-adds: LLVM does not fuse `acc += a * b` on its own (Swift allows no contraction), and
/// `addingProduct` on a target without FMA becomes a libm call per lane (~50x slower). So the
/// fused form is used only when the build says the CPU has FMA: `-Xswiftc -DMLPCORE_FMA`, next to
/// `-Xswiftc -target-cpu -Xswiftc native` (the Makefile's release build).
///
/// With AVX-512 (`-Xswiftc -DMLPCORE_AVX512`, from scripts/cpu-flags.sh), 32-column strips go
/// first through an 8 x 32 tile of sixteen 16-lane accumulators, over a copy of the strip packed
/// contiguous (k x 32, read once per 8 rows: from L1/L2 rather than through a stride of ldb).
///
/// Determinism: every element of c is one multiply-add per k, in k order, in whichever kernel
/// and lane it lands, so results do not depend on how rows or columns are split between calls or
/// threads, nor on the vector width: lanes only ever hold different columns, so the 16-lane and
/// 8-lane builds give the same bits (tested bit for bit; scripts/isa-bytes.sh compares builds).
public func gemm(m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
        return
    }
    var j = 0
    #if MLPCORE_AVX512 && MLPCORE_FMA
    while j + 32 <= n {
        thirtyTwoColumns(m: m, k: k, a: a, aRowStride, aColumnStride, b: b + j, ldb: ldb, c: c + j, ldc: ldc)
        j += 32
    }
    #endif
    while j + 16 <= n {
        sixteenColumns(m: m, k: k, a: a, aRowStride, aColumnStride, b: b + j, ldb: ldb, c: c + j, ldc: ldc, columns: 16)
        j += 16
    }
    if j < n {
        // Fewer than 16 columns left: copy them into a zero-padded k x 16 panel so the same
        // kernels can run, and store only the real columns.
        let columns = n - j
        withUnsafeTemporaryAllocation(of: Float.self, capacity: k * 16) { panel in
            let panel = panel.baseAddress!
            for p in 0..<k {
                let row = panel + p * 16
                row.update(from: b + p * ldb + j, count: columns)
                (row + columns).update(repeating: 0, count: 16 - columns)
            }
            sixteenColumns(m: m, k: k, a: a, aRowStride, aColumnStride, b: panel, ldb: 16, c: c + j, ldc: ldc, columns: columns)
        }
    }
}

/// The column ranges `gemm` works in: 16-wide blocks, then the rest. Splitting work at these
/// boundaries keeps each thread's blocks whole.
func gemmColumnBlocks(_ n: Int) -> [Range<Int>] {
    stride(from: 0, to: max(n, 0), by: 16).map { $0..<min($0 + 16, n) }
}

/// Part `part` of `parts` near-equal runs of whole column blocks of `n` columns (possibly empty).
func gemmColumnPartition(_ n: Int, parts: Int, part: Int) -> Range<Int> {
    let blocks = gemmColumnBlocks(n)
    let first = blocks.count * part / parts, last = blocks.count * (part + 1) / parts
    guard first < last else { return n..<n }
    return blocks[first].lowerBound..<blocks[last - 1].upperBound
}

/// One AVX2 register of Floats; a 16-column strip is two of them.
typealias Half = SIMD8<Float>

@inline(__always)
func load(_ p: UnsafePointer<Float>) -> Half {
    UnsafeRawPointer(p).loadUnaligned(as: Half.self)
}

/// Stores the 16 values (low, high) to p, or only the first `columns` of them.
@inline(__always)
private func store(_ low: Half, _ high: Half, _ p: UnsafeMutablePointer<Float>, columns: Int) {
    if columns == 16 {
        UnsafeMutableRawPointer(p).storeBytes(of: low, as: Half.self)
        UnsafeMutableRawPointer(p + 8).storeBytes(of: high, as: Half.self)
    } else {
        for l in 0..<columns { p[l] = l < 8 ? low[l] : high[l - 8] }
    }
}

@inline(__always)
func multiplyAdd(_ acc: inout Half, _ a: Float, _ b: Half) {
    #if MLPCORE_FMA
    acc.addProduct(Half(repeating: a), b)
    #else
    acc += Half(repeating: a) * b
    #endif
}

/// One lane of the above, with the same rounding.
@inline(__always)
func multiplyAdd(_ acc: inout Float, _ a: Float, _ b: Float) {
    #if MLPCORE_FMA
    acc.addProduct(a, b)
    #else
    acc += a * b
    #endif
}

/// One 16-column strip of all m rows: 6-row tiles, then a 4-row tile, then single rows.
private func sixteenColumns(m: Int, k: Int, a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
                            b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
    var i = 0
    while i + 6 <= m {
        tile6x16(k: k, a: a + i * rs, rs, cs, b: b, ldb: ldb, c: c + i * ldc, ldc: ldc, columns: columns)
        i += 6
    }
    if i + 4 <= m {
        tile4x16(k: k, a: a + i * rs, rs, cs, b: b, ldb: ldb, c: c + i * ldc, ldc: ldc, columns: columns)
        i += 4
    }
    while i < m {
        tile1x16(k: k, a: a + i * rs, cs, b: b, ldb: ldb, c: c + i * ldc, columns: columns)
        i += 1
    }
}

/// c (6 x columns) = a (6 x k, strides rs, cs) · b (k x 16, ld ldb); columns ≤ 16 are stored.
private func tile6x16(k: Int, a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
                      b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
    var c00 = Half(), c01 = Half(), c10 = Half(), c11 = Half(), c20 = Half(), c21 = Half()
    var c30 = Half(), c31 = Half(), c40 = Half(), c41 = Half(), c50 = Half(), c51 = Half()
    let a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs
    var bp = b, offset = 0
    for _ in 0..<k {
        let low = load(bp), high = load(bp + 8)
        var s = a0[offset]; multiplyAdd(&c00, s, low); multiplyAdd(&c01, s, high)
        s = a1[offset]; multiplyAdd(&c10, s, low); multiplyAdd(&c11, s, high)
        s = a2[offset]; multiplyAdd(&c20, s, low); multiplyAdd(&c21, s, high)
        s = a3[offset]; multiplyAdd(&c30, s, low); multiplyAdd(&c31, s, high)
        s = a4[offset]; multiplyAdd(&c40, s, low); multiplyAdd(&c41, s, high)
        s = a5[offset]; multiplyAdd(&c50, s, low); multiplyAdd(&c51, s, high)
        offset &+= cs
        bp += ldb
    }
    store(c00, c01, c, columns: columns)
    store(c10, c11, c + ldc, columns: columns)
    store(c20, c21, c + 2 * ldc, columns: columns)
    store(c30, c31, c + 3 * ldc, columns: columns)
    store(c40, c41, c + 4 * ldc, columns: columns)
    store(c50, c51, c + 5 * ldc, columns: columns)
}

/// c (4 x columns) = a (4 x k, strides rs, cs) · b (k x 16, ld ldb); columns ≤ 16 are stored.
private func tile4x16(k: Int, a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
                      b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int) {
    var c00 = Half(), c01 = Half(), c10 = Half(), c11 = Half()
    var c20 = Half(), c21 = Half(), c30 = Half(), c31 = Half()
    let a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs
    var bp = b, offset = 0
    for _ in 0..<k {
        let low = load(bp), high = load(bp + 8)
        var s = a0[offset]; multiplyAdd(&c00, s, low); multiplyAdd(&c01, s, high)
        s = a1[offset]; multiplyAdd(&c10, s, low); multiplyAdd(&c11, s, high)
        s = a2[offset]; multiplyAdd(&c20, s, low); multiplyAdd(&c21, s, high)
        s = a3[offset]; multiplyAdd(&c30, s, low); multiplyAdd(&c31, s, high)
        offset &+= cs
        bp += ldb
    }
    store(c00, c01, c, columns: columns)
    store(c10, c11, c + ldc, columns: columns)
    store(c20, c21, c + 2 * ldc, columns: columns)
    store(c30, c31, c + 3 * ldc, columns: columns)
}

/// c (1 x columns) = a (1 x k, stride cs) · b (k x 16, ld ldb); columns ≤ 16 are stored.
private func tile1x16(k: Int, a: UnsafePointer<Float>, _ cs: Int,
                      b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, columns: Int) {
    var low = Half(), high = Half()
    var bp = b, offset = 0
    for _ in 0..<k {
        let s = a[offset]
        multiplyAdd(&low, s, load(bp))
        multiplyAdd(&high, s, load(bp + 8))
        offset &+= cs
        bp += ldb
    }
    store(low, high, c, columns: columns)
}

#if MLPCORE_AVX512 && MLPCORE_FMA
/// One AVX-512 register of Floats: a 32-column strip is two of them.
typealias Wide = SIMD16<Float>

@inline(__always)
private func loadWide(_ p: UnsafePointer<Float>) -> Wide {
    UnsafeRawPointer(p).loadUnaligned(as: Wide.self)
}

@inline(__always)
private func storeWide(_ value: Wide, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: Wide.self)
}

@inline(__always)
private func multiplyAdd(_ acc: inout Wide, _ a: Float, _ b: Wide) {
    acc.addProduct(Wide(repeating: a), b)
}

/// One 32-column strip of all m rows (b with leading dimension ldb): packed when more than one
/// tile will read it, then 8-row tiles, a 4-row tile, single rows.
private func thirtyTwoColumns(m: Int, k: Int, a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
                              b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 8, ldb != 32 else { return thirtyTwoColumnTiles(m: m, k: k, a: a, rs, cs, b: b, ldb: ldb, c: c, ldc: ldc) }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: k * 32) { panel in
        let panel = panel.baseAddress!
        for p in 0..<k {
            storeWide(loadWide(b + p * ldb), panel + p * 32)
            storeWide(loadWide(b + p * ldb + 16), panel + p * 32 + 16)
        }
        thirtyTwoColumnTiles(m: m, k: k, a: a, rs, cs, b: panel, ldb: 32, c: c, ldc: ldc)
    }
}

private func thirtyTwoColumnTiles(m: Int, k: Int, a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
                                  b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
    var i = 0
    while i + 8 <= m {
        tile8x32(k: k, a: a + i * rs, rs, cs, b: b, ldb: ldb, c: c + i * ldc, ldc: ldc)
        i += 8
    }
    if i + 4 <= m {
        tile4x32(k: k, a: a + i * rs, rs, cs, b: b, ldb: ldb, c: c + i * ldc, ldc: ldc)
        i += 4
    }
    while i < m {
        var low = Wide(), high = Wide()
        var bp = b, offset = 0
        let row = a + i * rs
        for _ in 0..<k {
            let s = row[offset]
            multiplyAdd(&low, s, loadWide(bp))
            multiplyAdd(&high, s, loadWide(bp + 16))
            offset &+= cs
            bp += ldb
        }
        storeWide(low, c + i * ldc)
        storeWide(high, c + i * ldc + 16)
        i += 1
    }
}

/// c (8 x 32) = a (8 x k, strides rs, cs) · b (k x 32, ld ldb).
private func tile8x32(k: Int, a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
                      b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
    var c00 = Wide(), c01 = Wide(), c10 = Wide(), c11 = Wide(), c20 = Wide(), c21 = Wide(), c30 = Wide(), c31 = Wide()
    var c40 = Wide(), c41 = Wide(), c50 = Wide(), c51 = Wide(), c60 = Wide(), c61 = Wide(), c70 = Wide(), c71 = Wide()
    let a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs, a6 = a + 6 * rs, a7 = a + 7 * rs
    var bp = b, offset = 0
    for _ in 0..<k {
        let low = loadWide(bp), high = loadWide(bp + 16)
        var s = a0[offset]; multiplyAdd(&c00, s, low); multiplyAdd(&c01, s, high)
        s = a1[offset]; multiplyAdd(&c10, s, low); multiplyAdd(&c11, s, high)
        s = a2[offset]; multiplyAdd(&c20, s, low); multiplyAdd(&c21, s, high)
        s = a3[offset]; multiplyAdd(&c30, s, low); multiplyAdd(&c31, s, high)
        s = a4[offset]; multiplyAdd(&c40, s, low); multiplyAdd(&c41, s, high)
        s = a5[offset]; multiplyAdd(&c50, s, low); multiplyAdd(&c51, s, high)
        s = a6[offset]; multiplyAdd(&c60, s, low); multiplyAdd(&c61, s, high)
        s = a7[offset]; multiplyAdd(&c70, s, low); multiplyAdd(&c71, s, high)
        offset &+= cs
        bp += ldb
    }
    storeWide(c00, c); storeWide(c01, c + 16)
    storeWide(c10, c + ldc); storeWide(c11, c + ldc + 16)
    storeWide(c20, c + 2 * ldc); storeWide(c21, c + 2 * ldc + 16)
    storeWide(c30, c + 3 * ldc); storeWide(c31, c + 3 * ldc + 16)
    storeWide(c40, c + 4 * ldc); storeWide(c41, c + 4 * ldc + 16)
    storeWide(c50, c + 5 * ldc); storeWide(c51, c + 5 * ldc + 16)
    storeWide(c60, c + 6 * ldc); storeWide(c61, c + 6 * ldc + 16)
    storeWide(c70, c + 7 * ldc); storeWide(c71, c + 7 * ldc + 16)
}

/// c (4 x 32) = a (4 x k, strides rs, cs) · b (k x 32, ld ldb).
private func tile4x32(k: Int, a: UnsafePointer<Float>, _ rs: Int, _ cs: Int,
                      b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
    var c00 = Wide(), c01 = Wide(), c10 = Wide(), c11 = Wide(), c20 = Wide(), c21 = Wide(), c30 = Wide(), c31 = Wide()
    let a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs
    var bp = b, offset = 0
    for _ in 0..<k {
        let low = loadWide(bp), high = loadWide(bp + 16)
        var s = a0[offset]; multiplyAdd(&c00, s, low); multiplyAdd(&c01, s, high)
        s = a1[offset]; multiplyAdd(&c10, s, low); multiplyAdd(&c11, s, high)
        s = a2[offset]; multiplyAdd(&c20, s, low); multiplyAdd(&c21, s, high)
        s = a3[offset]; multiplyAdd(&c30, s, low); multiplyAdd(&c31, s, high)
        offset &+= cs
        bp += ldb
    }
    storeWide(c00, c); storeWide(c01, c + 16)
    storeWide(c10, c + ldc); storeWide(c11, c + ldc + 16)
    storeWide(c20, c + 2 * ldc); storeWide(c21, c + 2 * ldc + 16)
    storeWide(c30, c + 3 * ldc); storeWide(c31, c + 3 * ldc + 16)
}
#endif
