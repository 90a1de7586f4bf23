/// The backward pass for a batch of m = count samples, in two phases around a short serial part.
/// By chunks of samples, right after `forwardRows`: the per-sample losses and hits, δ2 = ∂L/∂z2
/// (see `outputDelta`) and δ1 = (δ2·W2ᵀ) ⊙ f′(z1), all row-wise. Serially: the loss sum and b2's
/// gradient. Then by chunks of parameters: dW2 = hᵀδ2 and b1's gradient by hidden units, dW1 = xᵀδ1
/// by inputs. Each gradient span goes to `update` as soon as it exists, so with SGD no full
/// gradient buffer is ever written.

/// Rows `rows` of δ2 and δ1, with the loss and whether the prediction was right for each sample.
/// labels is (count); the loss is the mean over all `count` samples of the batch. `dropped`: the
/// forward pass masked h with dropout, so δ1 goes through the mask too.
func backwardRows(_ loss: LossFunction, _ model: ModelBuffers, _ batch: BatchBuffers,
                  labels: UnsafePointer<Int32>, rows: Range<Int>, count: Int, dropped: Bool = false) {
    let shape = model.shape, classes = shape.outputs, padded = shape.paddedOutputs, hidden = shape.hidden
    let r0 = rows.lowerBound
    for r in rows {
        let p = batch.probabilities + r * classes
        batch.sampleLoss[r] = lossValue(loss, probabilities: p, label: Int(labels[r]), classes: classes)
        batch.sampleHit[r] = argmax(UnsafeBufferPointer(start: p, count: classes)) == Int(labels[r])
    }
    outputDelta(loss, probabilities: batch.probabilities + r0 * classes, labels: labels + r0,
                delta: batch.delta2 + r0 * padded, ldDelta: padded, rows: rows.count, classes: classes, batchSize: count)
    // δ1[rows, :] = (δ2[rows, :] · W2ᵀ) ⊙ f′(z1[rows, :]) (⊙ the dropout mask), with W2 as it was in the forward pass.
    gemm(m: rows.count, n: hidden, k: classes,
         a: batch.delta2 + r0 * padded, aRowStride: padded, aColumnStride: 1,
         b: model.w2Transposed, ldb: hidden,
         c: batch.delta1 + r0 * hidden, ldc: hidden)
    let masks = dropped ? batch.dropoutScales : nil
    let activated = masks == nil ? batch.hidden : batch.activated!
    multiplyByDerivative(model.activation, leak: model.leak, batch.delta1 + r0 * hidden, h: activated + r0 * hidden,
                         rows: rows.count, cols: hidden, ld: hidden)
    if let masks { dropoutBackward(batch.delta1 + r0 * hidden, scales: masks + r0 * hidden, rows: rows.count, cols: hidden, ld: hidden) }
}

/// Serial part, once every row is done: the summed loss and hits (in sample order, so the total does
/// not depend on the split), and b2's gradient.
func finishOutputLayer(_ model: ModelBuffers, _ batch: BatchBuffers, count: Int, update: ParameterUpdate) -> BatchResult {
    let shape = model.shape
    var lossSum = 0.0, correct = 0
    for r in 0..<count {
        lossSum += batch.sampleLoss[r]
        if batch.sampleHit[r] { correct += 1 }
    }
    let db2 = batch.outputBiasGradient
    columnSums(batch.delta2, rows: count, columns: shape.outputs, ld: shape.paddedOutputs, into: db2)
    update.apply(db2, parameters: model.parameters, offset: shape.b2Offset, count: shape.outputs, isWeight: false)
    return BatchResult(lossSum: lossSum, correct: correct)
}

/// Hidden units per chunk of the parameter phase's dW2 and b1 part: four 16-column blocks.
let unitsPerChunk = 64

/// Inputs per chunk of dW1 when x is dense: four 6-row kernel tiles, and 784 = 32 · 24 + 16 leaves
/// a 6 + 6 + 4 tail with no single-row passes.
let dW1ChunkRows = 24

/// Inputs per chunk of dW1 when x is mostly zero: MNIST's 784 make eight.
let sparseInputsPerChunk = 98

/// dW2 rows and b1's gradient for hidden units `units`, touching only those rows of W2 and entries
/// of b1. scratch is the lane's (see `BatchBuffers.laneScratch`).
func hiddenUnitGradients(_ model: ModelBuffers, _ batch: BatchBuffers, count: Int, units: Range<Int>,
                         scratch: UnsafeMutablePointer<Float>, update: ParameterUpdate) {
    let shape = model.shape, hidden = shape.hidden, padded = shape.paddedOutputs
    let j0 = units.lowerBound, width = units.count
    let dW2Rows = scratch, db1 = scratch + width * padded
    // dW2[J, :] = h[:, J]ᵀ · δ2.
    gemm(m: width, n: padded, k: count,
         a: batch.hidden + j0, aRowStride: 1, aColumnStride: hidden,
         b: batch.delta2, ldb: padded,
         c: dW2Rows, ldc: padded)
    for r in 0..<width {
        update.apply(dW2Rows + r * padded, parameters: model.parameters,
                     offset: shape.w2Offset + (j0 + r) * shape.outputs, count: shape.outputs, isWeight: true)
    }
    model.refreshW2Copies(rows: units)
    columnSums(batch.delta1 + j0, rows: count, columns: width, ld: hidden, into: db1)
    update.apply(db1, parameters: model.parameters, offset: shape.b1Offset + j0, count: width, isWeight: false)
}

/// dW1[inputs, :] = x[:, inputs]ᵀ · δ1 for a dense x (count, inputs), a few rows of W1 at a time,
/// each applied while still in cache.
func denseInputGradient(_ model: ModelBuffers, _ batch: BatchBuffers, x: UnsafePointer<Float>, count: Int,
                        inputs: Range<Int>, scratch: UnsafeMutablePointer<Float>, update: ParameterUpdate) {
    let shape = model.shape, hidden = shape.hidden, i0 = inputs.lowerBound
    gemm(m: inputs.count, n: hidden, k: count,
         a: x + i0, aRowStride: 1, aColumnStride: shape.inputs,
         b: batch.delta1, ldb: hidden,
         c: scratch, ldc: hidden)
    for r in 0..<inputs.count {
        update.apply(scratch + r * hidden, parameters: model.parameters,
                     offset: shape.w1Offset + (i0 + r) * hidden, count: hidden, isWeight: true)
    }
}

/// dW1[inputs, :] = x[:, inputs]ᵀ · δ1 for mostly-zero x (count, inputs): one row of W1 at a time,
/// over the samples where that input is nonzero (its mask, made here from x into the lane's
/// `laneColumnMasks`). A row with none has a zero gradient, which plain SGD need not apply.
func sparseInputGradient(_ model: ModelBuffers, _ batch: BatchBuffers, x: UnsafePointer<Float>, count: Int,
                         inputs: Range<Int>, lane: Int, scratch: UnsafeMutablePointer<Float>, update: ParameterUpdate) {
    let shape = model.shape, hidden = shape.hidden, words = maskWords(count)
    let masks = batch.laneColumnMasks[lane], skipsEmptyRows = update.ignoresZeroGradients
    columnNonzeroMasks(x: x, rows: count, ldx: shape.inputs, columns: inputs, masks: masks)
    for c in 0..<inputs.count {
        let mask = masks + c * words
        if skipsEmptyRows && (0..<words).allSatisfy({ mask[$0] == 0 }) { continue }
        maskedProduct(masks: mask, words: words, a: x + inputs.lowerBound + c, lda: shape.inputs,
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

/// m is (rows, columns) with leading dimension ld: sums[c] = Σ_r m[r, c], r in order.
func columnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, ld: Int, into sums: UnsafeMutablePointer<Float>) {
    sums.update(repeating: 0, count: columns)
    for r in 0..<rows {
        let row = m + r * ld
        for c in 0..<columns { sums[c] += row[c] }
    }
}

/// ∂L/∂parameters for the batch mean loss L, in the parameter layout, computed by the same code
/// the Trainer runs (single-threaded). x is (count, inputs), labels is (count); dropoutScales,
/// when given, is a fixed dropout mask as factors, (count, hidden).
func gradients(model: MLP, loss: LossFunction, x: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                      count: Int, dropoutScales: UnsafePointer<Float>? = nil) -> [Float] {
    var gradient = [Float](repeating: 0, count: model.shape.parameterCount)
    guard count > 0 else { return gradient }
    let trainer = Trainer(model: model, loss: loss, sgd: SGDConfig(learningRate: 0), maxBatch: count, threads: 1)
    gradient.withUnsafeMutableBufferPointer { g in
        _ = trainer.run(x: x, labels: labels, count: count, update: .store(g.baseAddress!), dropout: dropoutScales.map { .fixed($0) })
    }
    return gradient
}
