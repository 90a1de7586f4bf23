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

    /// Rows listed in two parts (as two threads do), columns gathered for a sub-range from both.
    @Test func listsEveryNonzeroInOrderByRowAndByColumn() throws {
        let rows = 9, columns = 33, split = 4, gathered = 5..<30
        let x = mostlyZero(rows: rows, columns: columns)
        let top = SparseInputs(), bottom = SparseInputs()
        #expect(top.build(x: x, rows: split, columns: columns))
        #expect(bottom.build(x: Array(x[(split * columns)...]), rows: rows - split, columns: columns))
        bottom.firstRow = split
        var byRow: [(Int, Int, Float)] = [], byColumn: [(Int, Int, Float)] = []
        for part in [top, bottom] {
            for r in 0..<part.rows {
                for e in Int(part.rowStart[r])..<Int(part.rowStart[r + 1]) {
                    byRow.append((part.firstRow + r, Int(part.rowIndex[e]), part.rowValue[e]))
                }
            }
        }
        bottom.gatherColumns(gathered, from: [top, bottom])
        for c in 0..<gathered.count {
            for e in Int(bottom.columnStart[c])..<Int(bottom.columnStart[c + 1]) {
                byColumn.append((Int(bottom.columnIndex[e]), gathered.lowerBound + c, bottom.columnValue[e]))
            }
        }
        let expected = (0..<rows).flatMap { r in (0..<columns).compactMap { c in x[r * columns + c] != 0 ? (r, c, x[r * columns + c]) : nil } }
        #expect(expected.count > 20 && expected.count < rows * columns / 3, "fixture density \(expected.count)")
        #expect(byRow.map { "\($0)" } == expected.map { "\($0)" })
        let expectedByColumn = expected.filter { gathered.contains($0.1) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        #expect(byColumn.map { "\($0)" } == expectedByColumn.map { "\($0)" })
    }

    @Test func refusesDenseBatches() {
        let sparse = SparseInputs()
        #expect(!sparse.build(x: mostlyZero(rows: 8, columns: 50, zeros: 5), rows: 8, columns: 50))
        #expect(sparse.build(x: mostlyZero(rows: 8, columns: 50, zeros: 8), rows: 8, columns: 50))
        #expect(sparse.build(x: [], rows: 0, columns: 50) && sparse.rows == 0)
    }

    @Test func rowProductMatchesScalarTwinOnAwkwardSizes() {
        let ldb = 140
        let b = variedWeights(300 * ldb, phase: 2.1)
        for count in [0, 1, 7, 150] {
            let values = variedWeights(count, phase: 0.4)
            let indices = (0..<count).map { Int32(($0 * 37) % 300) }
            for n in [1, 7, 9, 33, 64, 65, 130] {
                var fast = [Float](repeating: 42, count: n + 1), twin = fast
                sparseRowProduct(count: count, values: values, indices: indices, b: b, ldb: ldb, n: n, out: &fast)
                sparseRowProductReference(count: count, values: values, indices: indices, b: b, ldb: ldb, n: n, out: &twin)
                // The twin rounds as the build does (fused or not), so they agree bit for bit.
                #expect(fast.bitPatterns == twin.bitPatterns, "count \(count) n \(n): differs from its twin")
                #expect(fast[n] == 42, "wrote past column \(n)")
                if count == 0 { #expect(fast.prefix(n).allSatisfy { $0 == 0 }) }
            }
        }
    }

    /// Both products of a step, x·W and xᵀ·δ, through the lists and through `gemm`: same bits.
    @Test func sparseProductsAreBitIdenticalToGEMM() {
        let rows = 19, inputs = 785, width = 70
        let x = mostlyZero(rows: rows, columns: inputs)
        let w = variedWeights(inputs * width, phase: 1.3), delta = variedWeights(rows * width, phase: 0.2)
        let sparse = SparseInputs()
        #expect(sparse.build(x: x, rows: rows, columns: inputs))
        sparse.gatherColumns(0..<inputs, from: [sparse])

        var dense = [Float](repeating: 0, count: rows * width), viaLists = dense
        gemm(m: rows, n: width, k: inputs, a: x, aRowStride: inputs, aColumnStride: 1, b: w, ldb: width, c: &dense, ldc: width)
        viaLists.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                let start = Int(sparse.rowStart[r])
                sparseRowProduct(count: Int(sparse.rowStart[r + 1]) - start, values: sparse.rowValue + start,
                                 indices: sparse.rowIndex + start, b: w, ldb: width, n: width, out: out.baseAddress! + r * width)
            }
        }
        #expect(dense.bitPatterns == viaLists.bitPatterns)

        var denseT = [Float](repeating: 0, count: inputs * width), viaColumns = denseT
        gemm(m: inputs, n: width, k: rows, a: x, aRowStride: 1, aColumnStride: inputs, b: delta, ldb: width, c: &denseT, ldc: width)
        viaColumns.withUnsafeMutableBufferPointer { out in
            for i in 0..<inputs {
                let start = Int(sparse.columnStart[i])
                sparseRowProduct(count: Int(sparse.columnStart[i + 1]) - start, values: sparse.columnValue + start,
                                 indices: sparse.columnIndex + start, b: delta, ldb: width, n: width, out: out.baseAddress! + i * width)
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
