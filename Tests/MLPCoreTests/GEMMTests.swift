import Testing
@testable import MLPCore

struct GEMMTests {
    /// Runs gemm and gemmReference on index-derived matrices; returns (fast, reference, error bound).
    /// c has two extra sentinel columns that must survive.
    func compare(m: Int, n: Int, k: Int, transposedA: Bool) -> (fast: [Float], reference: [Float], bound: [Float]) {
        let a = variedWeights(m * k, phase: 0.3), b = variedWeights(k * n, phase: 1.1)
        let (rs, cs) = transposedA ? (1, m) : (k, 1)
        let ldc = n + 2
        var fast = [Float](repeating: 42, count: m * ldc), reference = fast
        var bound = [Float](repeating: 0, count: m * ldc)
        let absA = a.map(abs), absB = b.map(abs)
        gemm(m: m, n: n, k: k, a: a, aRowStride: rs, aColumnStride: cs, b: b, ldb: n, c: &fast, ldc: ldc)
        gemmReference(m: m, n: n, k: k, a: a, aRowStride: rs, aColumnStride: cs, b: b, ldb: n, c: &reference, ldc: ldc)
        gemmReference(m: m, n: n, k: k, a: absA, aRowStride: rs, aColumnStride: cs, b: absB, ldb: n, c: &bound, ldc: ldc)
        return (fast, reference, bound)
    }

    @Test(arguments: [false, true])
    func matchesScalarTwinOnAwkwardSizes(transposedA: Bool) {
        for m in [1, 4, 7, 9, 10, 33, 64] { for n in [1, 7, 9, 16, 33, 48, 70] { for k in [1, 9, 785] {
            let (fast, reference, bound) = compare(m: m, n: n, k: k, transposedA: transposedA)
            let ldc = n + 2
            var worst: Float = 0
            for i in 0..<m {
                for j in 0..<n {
                    // Sums of k products, either order: error ≤ k·ε·Σ|a||b| (generous constant).
                    let tolerance = 2 * Float(k) * Float.ulpOfOne * bound[i * ldc + j] + 1e-30
                    worst = max(worst, abs(fast[i * ldc + j] - reference[i * ldc + j]) / tolerance)
                }
                #expect(fast[i * ldc + n] == 42 && fast[i * ldc + n + 1] == 42, "gemm wrote past column \(n) (m \(m) k \(k))")
            }
            #expect(worst <= 1, "m \(m) n \(n) k \(k): error \(worst) x tolerance")
        } } }
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
