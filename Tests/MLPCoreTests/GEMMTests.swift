import Testing
@testable import MLPCore

struct GEMMTests {
    /// gemm and its scalar twin on index-derived matrices, and each element's exact value and
    /// Σ|a||b| in Double (products of Floats are exact in Double). c has two extra sentinel columns
    /// that must survive.
    func compare(m: Int, n: Int, k: Int, transposedA: Bool)
        -> (fast: [Float], twin: [Float], exact: [Double], magnitude: [Double]) {
        let a = variedWeights(m * k, phase: 0.3), b = variedWeights(k * n, phase: 1.1)
        let (rs, cs) = transposedA ? (1, m) : (k, 1)
        let ldc = n + 2
        var fast = [Float](repeating: 42, count: m * ldc), twin = fast
        gemm(m: m, n: n, k: k, a: a, aRowStride: rs, aColumnStride: cs, b: b, ldb: n, c: &fast, ldc: ldc)
        gemmReference(m: m, n: n, k: k, a: a, aRowStride: rs, aColumnStride: cs, b: b, ldb: n, c: &twin, ldc: ldc)
        var exact = [Double](repeating: 0, count: m * n), magnitude = exact
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    let product = Double(a[i * rs + p * cs]) * Double(b[p * n + j])
                    exact[i * n + j] += product
                    magnitude[i * n + j] += abs(product)
                }
            }
        }
        return (fast, twin, exact, magnitude)
    }

    /// Bit for bit against the twin, which rounds as the build does (fused multiply-adds under
    /// MLPCORE_FMA: `make test` runs these tests in both builds); and within the textbook bound of
    /// a k-term Float sum, γₖ·Σ|a||b| with γₖ = ku/(1 − ku) and u = 2⁻²⁴, of the exact value, which
    /// holds for either rounding, so both kernel and twin are also checked against arithmetic.
    @Test(arguments: [false, true])
    func matchesScalarTwinOnAwkwardSizes(transposedA: Bool) {
        for m in [1, 4, 7, 9, 10, 33, 64] { for n in [1, 7, 9, 16, 33, 48, 70] { for k in [1, 9, 785] {
            let (fast, twin, exact, magnitude) = compare(m: m, n: n, k: k, transposedA: transposedA)
            #expect(fast.bitPatterns == twin.bitPatterns, "m \(m) n \(n) k \(k): gemm and its twin differ")
            let ku = Double(k) * 0x1p-24, ldc = n + 2
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<n {
                    let bound = ku / (1 - ku) * magnitude[i * n + j] + 0x1p-60
                    worst = max(worst, abs(Double(fast[i * ldc + j]) - exact[i * n + j]) / bound)
                }
                #expect(fast[i * ldc + n] == 42 && fast[i * ldc + n + 1] == 42, "gemm wrote past column \(n) (m \(m) k \(k))")
            }
            #expect(worst <= 1, "m \(m) n \(n) k \(k): error \(worst) x the bound")
        } } }
    }

    /// Which multiply-add the kernels run, seen in the result: (1 + 2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴
    /// exactly, and added to −(1 + 2⁻¹¹) it leaves 2⁻²⁴ when fused, but 0 when the product is first
    /// rounded to Float (a tie, to even: 1 + 2⁻¹¹). Every tile, tail and the twin are checked: the
    /// MLPCORE_FMA build must fuse everywhere, the plain one nowhere.
    @Test func kernelsFuseExactlyWhenTheBuildSaysSo() {
        #if MLPCORE_FMA
        let expected: Float = 0x1p-24
        #else
        let expected: Float = 0
        #endif
        let a: [Float] = [-(1 + 0x1p-11), 1 + 0x1p-12]
        for (m, n) in [(1, 1), (4, 16), (6, 9), (7, 70)] {  // 1-, 4-, 6-row tiles; padded and full strips
            let b = [Float](repeating: 1, count: n) + [Float](repeating: 1 + 0x1p-12, count: n)
            let rows = (0..<m).flatMap { _ in a }
            var fast = [Float](repeating: .nan, count: m * n), twin = fast
            gemm(m: m, n: n, k: 2, a: rows, aRowStride: 2, aColumnStride: 1, b: b, ldb: n, c: &fast, ldc: n)
            gemmReference(m: m, n: n, k: 2, a: rows, aRowStride: 2, aColumnStride: 1, b: b, ldb: n, c: &twin, ldc: n)
            #expect(fast.allSatisfy { $0 == expected }, "gemm m \(m) n \(n): \(Set(fast))")
            #expect(twin.allSatisfy { $0 == expected }, "twin m \(m) n \(n): \(Set(twin))")
        }
        for n in [1, 8, 64, 73, 136] {  // scalar tail, 8-lane, 64-wide and (AVX-512) 128-wide paths
            let b = [Float](repeating: 1, count: n) + [Float](repeating: 1 + 0x1p-12, count: n)
            var fast = [Float](repeating: .nan, count: n)
            maskedProduct(masks: [0b11], words: 1, a: a, lda: 1, b: b, ldb: n, n: n, out: &fast)
            let twin = b.withUnsafeBufferPointer { b in
                (0..<n).map { maskedProductReference(masks: [0b11], words: 1, a: a, lda: 1, b: b.baseAddress! + $0, ldb: n) }
            }
            #expect(fast.allSatisfy { $0 == expected }, "maskedProduct n \(n): \(Set(fast))")
            #expect(twin.allSatisfy { $0 == expected }, "its twin n \(n): \(Set(twin))")
        }
    }

    @Test func zeroDepthClearsTheOutput() {
        var c = [Float](repeating: 5, count: 6)
        gemm(m: 2, n: 3, k: 0, a: [], aRowStride: 0, aColumnStride: 1, b: [], ldb: 3, c: &c, ldc: 3)
        #expect(c == [0, 0, 0, 0, 0, 0])
    }

    @Test func knownSmallProduct() {
        // (2 x 3)·(3 x 2) by hand: [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]] = [[58,64],[139,154]].
        var c = [Float](repeating: 0, count: 4)
        gemm(m: 2, n: 2, k: 3, a: [1, 2, 3, 4, 5, 6], aRowStride: 3, aColumnStride: 1, b: [7, 8, 9, 10, 11, 12], ldb: 2, c: &c, ldc: 2)
        #expect(c == [58, 64, 139, 154])
    }

    @Test func columnPartitionsTileTheRangeAtBlockBoundaries() {
        for n in [0, 1, 10, 16, 31, 32, 33, 50, 100, 128, 785] {
            let starts = Set(gemmColumnBlocks(n).map(\.lowerBound))
            for parts in 1...4 {
                let ranges = (0..<parts).map { gemmColumnPartition(n, parts: parts, part: $0) }
                #expect(ranges.filter { !$0.isEmpty }.reduce(0) { $0 + $1.count } == n)
                var next = 0
                for range in ranges where !range.isEmpty {
                    #expect(range.lowerBound == next && starts.contains(range.lowerBound), "n \(n) parts \(parts)")
                    next = range.upperBound
                }
            }
        }
    }

    /// The 6-, 4- and 1-row kernels do the same arithmetic per element: computing rows one at a
    /// time gives the same bits as one call (so splitting rows between threads is safe too).
    @Test func rowKernelsAreBitIdentical() {
        let (m, n, k) = (17, 21, 300)   // 17 = 6 + 6 + 4 + 1
        let a = variedWeights(m * k), b = variedWeights(k * n, phase: 0.5)
        var whole = [Float](repeating: 0, count: m * n), rows = whole
        gemm(m: m, n: n, k: k, a: a, aRowStride: k, aColumnStride: 1, b: b, ldb: n, c: &whole, ldc: n)
        a.withUnsafeBufferPointer { a in
            rows.withUnsafeMutableBufferPointer { c in
                for i in 0..<m {
                    gemm(m: 1, n: n, k: k, a: a.baseAddress! + i * k, aRowStride: k, aColumnStride: 1,
                         b: b, ldb: n, c: c.baseAddress! + i * n, ldc: n)
                }
            }
        }
        #expect(rows.bitPatterns == whole.bitPatterns)
    }

    /// Computing column ranges separately must give the very same bits as one call.
    @Test func columnPartitionsAreBitIdenticalToOneCall() {
        let (m, k) = (13, 70)
        for n in [33, 50, 100] {
            let a = variedWeights(m * k), b = variedWeights(k * n, phase: 2)
            var whole = [Float](repeating: 0, count: m * n)
            gemm(m: m, n: n, k: k, a: a, aRowStride: k, aColumnStride: 1, b: b, ldb: n, c: &whole, ldc: n)
            for parts in 2...4 {
                var pieces = [Float](repeating: 0, count: m * n)
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        pieces.withUnsafeMutableBufferPointer { c in
                            for part in 0..<parts {
                                let cols = gemmColumnPartition(n, parts: parts, part: part)
                                guard !cols.isEmpty else { continue }
                                gemm(m: m, n: cols.count, k: k, a: a.baseAddress!, aRowStride: k, aColumnStride: 1,
                                     b: b.baseAddress! + cols.lowerBound, ldb: n, c: c.baseAddress! + cols.lowerBound, ldc: n)
                            }
                        }
                    }
                }
                #expect(pieces.bitPatterns == whole.bitPatterns, "n \(n) parts \(parts)")
            }
        }
    }
}
