/// The backward pass for a batch of m = count samples, after `forwardOutput`:
/// δ2 = ∂L/∂z2 (see `outputDelta`), dW2 = hᵀδ2, δ1 = (δ2·W2ᵀ) ⊙ f′(z1), dW1 = xᵀδ1, bias
/// gradients = column sums. Each gradient span goes to `update` as soon as it exists, so with SGD
/// no full gradient buffer is ever written.

/// Serial part: per-sample loss and hits, δ2, and b2's gradient. labels is (count).
func backwardOutput(_ loss: LossFunction, _ model: ModelBuffers, _ batch: BatchBuffers,
                    labels: UnsafePointer<Int32>, count: Int, update: ParameterUpdate) -> BatchResult {
    let shape = model.shape, classes = shape.outputs, padded = shape.paddedOutputs
    var correct = 0
    for r in 0..<count {
        let p = batch.probabilities + r * classes
        batch.sampleLoss[r] = lossValue(loss, probabilities: p, label: Int(labels[r]), classes: classes)
        if argmax(UnsafeBufferPointer(start: p, count: classes)) == Int(labels[r]) { correct += 1 }
    }
    var lossSum = 0.0
    for r in 0..<count { lossSum += batch.sampleLoss[r] }

    outputDelta(loss, probabilities: batch.probabilities, labels: labels, delta: batch.delta2, ldDelta: padded,
                rows: count, classes: classes)
    let db2 = batch.outputBiasGradient
    columnSums(batch.delta2, rows: count, columns: classes, ld: padded, into: db2)
    update.apply(db2, parameters: model.parameters, offset: shape.b2Offset, count: classes, isWeight: false)
    return BatchResult(lossSum: lossSum, correct: correct)
}

/// Parallel part for hidden units `columns` (one thread's share); touches only those columns of
/// δ1, W1, b1 and those rows of W2, so threads never write the same element. x is (count, inputs).
func backwardHidden(_ model: ModelBuffers, _ batch: BatchBuffers, x: UnsafePointer<Float>, count: Int,
                    columns: Range<Int>, scratch: UnsafeMutablePointer<Float>, update: ParameterUpdate,
                    sparseInputs: Bool) {
    guard !columns.isEmpty else { return }
    let shape = model.shape, hidden = shape.hidden, padded = shape.paddedOutputs
    let j0 = columns.lowerBound, width = columns.count
    let dW1Rows = scratch, dW2Rows = scratch + dW1ChunkRows * hidden, db1 = dW2Rows + hidden * padded

    // δ1[:, J] = (δ2 · W2ᵀ[:, J]) ⊙ f′(z1[:, J]), with W2 as it was in the forward pass.
    gemm(m: count, n: width, k: shape.outputs,
         a: batch.delta2, aRowStride: padded, aColumnStride: 1,
         b: model.w2Transposed + j0, ldb: hidden,
         c: batch.delta1 + j0, ldc: hidden)
    multiplyByDerivative(model.activation, leak: model.leak, batch.delta1 + j0, h: batch.hidden + j0, rows: count, cols: width, ld: hidden)

    // dW2[J, :] = h[:, J]ᵀ · δ2; only now may those rows of W2 change.
    gemm(m: width, n: padded, k: count,
         a: batch.hidden + j0, aRowStride: 1, aColumnStride: hidden,
         b: batch.delta2, ldb: padded,
         c: dW2Rows, ldc: padded)
    for r in 0..<width {
        update.apply(dW2Rows + r * padded, parameters: model.parameters,
                     offset: shape.w2Offset + (j0 + r) * shape.outputs, count: shape.outputs, isWeight: true)
    }
    model.refreshW2Copies(rows: columns)

    columnSums(batch.delta1 + j0, rows: count, columns: width, ld: hidden, into: db1)
    update.apply(db1, parameters: model.parameters, offset: shape.b1Offset + j0, count: width, isWeight: false)

    // dW1[:, J] = xᵀ · δ1[:, J] here only for a dense x; see `sparseInputGradient`.
    guard !sparseInputs else { return }
    // Dense x: a few rows of W1 at a time, each applied while still in cache.
    for i0 in stride(from: 0, to: shape.inputs, by: dW1ChunkRows) {
        let rows = min(dW1ChunkRows, shape.inputs - i0)
        gemm(m: rows, n: width, k: count,
             a: x + i0, aRowStride: 1, aColumnStride: shape.inputs,
             b: batch.delta1 + j0, ldb: hidden,
             c: dW1Rows, ldc: width)
        for r in 0..<rows {
            update.apply(dW1Rows + r * width, parameters: model.parameters,
                         offset: shape.w1Offset + (i0 + r) * hidden + j0, count: width, isWeight: true)
        }
    }
}

/// dW1[inputs, :] = x[:, inputs]ᵀ · δ1 for mostly-zero x, after `backwardHidden` has made all
/// of δ1: one row of W1 at a time, over the samples where that input is nonzero (listed from
/// `batch.laneSparse`, every lane's `isValid`). A row with none has a zero gradient, which plain
/// SGD need not apply. Threads split the inputs, so again never write the same element.
func sparseInputGradient(_ model: ModelBuffers, _ batch: BatchBuffers, inputs: Range<Int>, lane: Int,
                         scratch: UnsafeMutablePointer<Float>, update: ParameterUpdate) {
    guard !inputs.isEmpty else { return }
    let shape = model.shape, hidden = shape.hidden
    let s = batch.laneSparse[lane], skipsEmptyRows = update.ignoresZeroGradients
    s.gatherColumns(inputs, from: batch.laneSparse)
    for c in 0..<inputs.count {
        let start = Int(s.columnStart[c]), n = Int(s.columnStart[c + 1]) - start
        if n == 0 && skipsEmptyRows { continue }
        sparseRowProduct(count: n, values: s.columnValue + start, indices: s.columnIndex + start,
                         b: batch.delta1, ldb: hidden, n: hidden, out: scratch)
        update.apply(scratch, parameters: model.parameters, offset: shape.w1Offset + (inputs.lowerBound + c) * hidden,
                     count: hidden, isWeight: true)
    }
}

extension ParameterUpdate {
    /// True when a zero gradient leaves the parameters exactly as they are: plain SGD without
    /// momentum or decay (w − η·0 = w, bit for bit). Momentum and decay still move them, and
    /// `.store` must write the zeros.
    var ignoresZeroGradients: Bool {
        if case let .sgd(config, _) = self { return config.momentum == 0 && config.weightDecay == 0 }
        return false
    }
}

/// Rows of dW1 computed before they are applied: four 6-row kernel tiles (24 x 128 floats = 12 KB,
/// well inside L1), and 784 = 32 · 24 + 16 leaves a 6 + 6 + 4 tail with no single-row passes.
let dW1ChunkRows = 24

/// m is (rows, columns) with leading dimension ld: sums[c] = Σ_r m[r, c], r in order.
func columnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, ld: Int, into sums: UnsafeMutablePointer<Float>) {
    sums.update(repeating: 0, count: columns)
    for r in 0..<rows {
        let row = m + r * ld
        for c in 0..<columns { sums[c] += row[c] }
    }
}

/// ∂L/∂parameters for the batch mean loss L, in the parameter layout, computed by the same code
/// the Trainer runs (single-threaded). x is (count, inputs), labels is (count).
public func gradients(model: MLP, loss: LossFunction, x: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                      count: Int) -> [Float] {
    var gradient = [Float](repeating: 0, count: model.shape.parameterCount)
    guard count > 0 else { return gradient }
    let trainer = Trainer(model: model, loss: loss, sgd: SGDConfig(learningRate: 0), maxBatch: count, threads: 1)
    gradient.withUnsafeMutableBufferPointer { g in
        _ = trainer.run(x: x, labels: labels, count: count, update: .store(g.baseAddress!))
    }
    return gradient
}
