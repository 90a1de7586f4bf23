import Testing
@testable import MLPCore

struct SparseInputsTests {
    /// rows x columns with about `zeros` of 10 entries exactly 0 (some −0), the rest index-derived.
    func mostlyZero(rows: Int, columns: Int, zeros: Int = 8) -> [Float] {
        let values = variedWeights(rows * columns, phase: 0.7)
        return values.indices.map { i in
            let bucket = (i * 7 + i / columns * 3) % 10
            return bucket < zeros ? (bucket == 0 ? -0.0 : 0) : values[i]
        }
    }

    /// Bits of a mask run, as term indices in increasing order.
    func setBits(_ masks: [UInt64]) -> [Int] {
        (0..<(masks.count * 64)).filter { masks[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// Row masks and column masks (of a sub-range of columns) mark exactly the nonzeros; −0 is zero.
    @Test(arguments: [(9, 33), (70, 130), (1, 7), (64, 784)])
    func masksMarkEveryNonzeroAndNothingElse(rows: Int, columns: Int) {
        let x = mostlyZero(rows: rows, columns: columns)
        let words = maskWords(columns)
        var rowMasks = [UInt64](repeating: .max, count: rows * words)
        let counted = rowNonzeroMasks(x: x, rows: rows, columns: columns, masks: &rowMasks)
        let nonzero = { (r: Int, c: Int) in x[r * columns + c] != 0 }
        for r in 0..<rows {
            #expect(setBits(Array(rowMasks[(r * words)..<((r + 1) * words)])) == (0..<columns).filter { nonzero(r, $0) }, "row \(r)")
        }
        let total = (0..<rows).reduce(0) { sum, r in sum + (0..<columns).count { nonzero(r, $0) } }
        #expect(counted == total && total > 0)

        let gathered = (columns / 5)..<columns, columnWords = maskWords(rows)
        var columnMasks = [UInt64](repeating: .max, count: gathered.count * columnWords)
        columnNonzeroMasks(x: x, rows: rows, ldx: columns, columns: gathered, masks: &columnMasks)
        for (i, c) in gathered.enumerated() {
            let mask = Array(columnMasks[(i * columnWords)..<((i + 1) * columnWords)])
            #expect(setBits(mask) == (0..<rows).filter { nonzero($0, c) }, "column \(c)")
        }
    }

    @Test func maskedProductMatchesScalarTwinOnAwkwardSizes() {
        let ldb = 140
        let b = variedWeights(300 * ldb, phase: 2.1), a = variedWeights(300, phase: 0.4)
        for density in [0, 1, 7, 150] {
            let masks = (0..<5).map { w in (0..<64).reduce(UInt64(0)) { word, bit in
                let t = w * 64 + bit
                return t < 300 && (t * 37) % 300 < density * 2 ? word | (1 << UInt64(bit)) : word
            } }
            for n in [1, 7, 9, 33, 64, 65, 130] {
                var fast = [Float](repeating: 42, count: n + 1)
                maskedProduct(masks: masks, words: 5, a: a, lda: 1, b: b, ldb: ldb, n: n, out: &fast)
                let twin = (0..<n).map { j in
                    b.withUnsafeBufferPointer { maskedProductReference(masks: masks, words: 5, a: a, lda: 1, b: $0.baseAddress! + j, ldb: ldb) }
                }
                // The twin rounds as the build does (fused or not), so they agree bit for bit.
                #expect(Array(fast.prefix(n)).bitPatterns == twin.bitPatterns, "density \(density) n \(n): differs from its twin")
                #expect(fast[n] == 42, "wrote past column \(n)")
                if density == 0 { #expect(fast.prefix(n).allSatisfy { $0 == 0 }) }
            }
        }
    }

    /// Both products of a step, x·W and xᵀ·δ, through the masks and through `gemm`: same bits.
    @Test func maskedProductsAreBitIdenticalToGEMM() {
        let rows = 70, inputs = 785, width = 70
        let x = mostlyZero(rows: rows, columns: inputs)
        let w = variedWeights(inputs * width, phase: 1.3), delta = variedWeights(rows * width, phase: 0.2)
        let rowWords = maskWords(inputs), columnWords = maskWords(rows)
        var rowMasks = [UInt64](repeating: 0, count: rows * rowWords), columnMasks = [UInt64](repeating: 0, count: inputs * columnWords)
        _ = rowNonzeroMasks(x: x, rows: rows, columns: inputs, masks: &rowMasks)
        columnNonzeroMasks(x: x, rows: rows, ldx: inputs, columns: 0..<inputs, masks: &columnMasks)

        var dense = [Float](repeating: 0, count: rows * width), viaMasks = dense
        gemm(m: rows, n: width, k: inputs, a: x, aRowStride: inputs, aColumnStride: 1, b: w, ldb: width, c: &dense, ldc: width)
        viaMasks.withUnsafeMutableBufferPointer { out in
            x.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    maskedProduct(masks: rowMasks.withUnsafeBufferPointer { $0.baseAddress! } + r * rowWords, words: rowWords,
                                  a: x.baseAddress! + r * inputs, lda: 1, b: w, ldb: width, n: width, out: out.baseAddress! + r * width)
                }
            }
        }
        #expect(dense.bitPatterns == viaMasks.bitPatterns)

        var denseT = [Float](repeating: 0, count: inputs * width), viaColumns = denseT
        gemm(m: inputs, n: width, k: rows, a: x, aRowStride: 1, aColumnStride: inputs, b: delta, ldb: width, c: &denseT, ldc: width)
        viaColumns.withUnsafeMutableBufferPointer { out in
            x.withUnsafeBufferPointer { x in
                columnMasks.withUnsafeBufferPointer { masks in
                    for i in 0..<inputs {
                        maskedProduct(masks: masks.baseAddress! + i * columnWords, words: columnWords, a: x.baseAddress! + i, lda: inputs,
                                      b: delta, ldb: width, n: width, out: out.baseAddress! + i * width)
                    }
                }
            }
        }
        #expect(denseT.bitPatterns == viaColumns.bitPatterns)
        #expect(denseT.contains { $0 != 0 } && dense.contains { $0 != 0 })
    }

    /// Training on mostly-zero inputs: the sparse path gives the dense path's bits, with plain SGD
    /// (zero-gradient rows skipped) and with momentum and decay (applied), on 1 and 2 threads.
    @Test(arguments: [SGDConfig(learningRate: 0.1), SGDConfig(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3)])
    func trainingIsBitIdenticalToTheDensePath(sgd: SGDConfig) {
        let shape = MLPShape(inputs: 100, hidden: 70, outputs: 10), batch = 24
        let model = MLP(shape: shape, activation: .relu, seed: 5)
        let base = mostlyZero(rows: batch, columns: shape.inputs)
        var results: [[UInt32]] = []
        for (threads, sparse) in [(1, false), (1, true), (2, true)] {
            let trainer = Trainer(model: model, loss: .crossEntropy, sgd: sgd, maxBatch: batch, threads: threads)
            trainer.allowsSparseInputs = sparse
            for s in 0..<5 {
                let x = base.indices.map { base[($0 + s * 13) % base.count] }
                let labels = (0..<batch).map { Int32(($0 * 3 + s) % 10) }
                trainer.step(x: x, labels: labels, count: batch)
            }
            results.append(trainer.model.parameters.bitPatterns + trainer.velocity.bitPatterns)
        }
        #expect(results[0] != model.parameters.bitPatterns)
        #expect(results[1] == results[0], "sparse path differs from dense")
        #expect(results[2] == results[0], "2 threads differ")
    }

    @Test func inferenceIsBitIdenticalToTheDensePath() {
        let shape = MLPShape(inputs: 100, hidden: 40, outputs: 10), count = 30
        let model = MLP(shape: shape, activation: .tanh, seed: 9)
        let x = mostlyZero(rows: count, columns: shape.inputs)
        let dense = Inference(model: model, maxBatch: count, threads: 1)
        dense.allowsSparseInputs = false
        let expected = Array(dense.probabilities(x: x, count: count))
        let sparse = Inference(model: model, maxBatch: count, threads: 2)
        #expect(Array(sparse.probabilities(x: x, count: count)).bitPatterns == expected.bitPatterns)
    }
}
