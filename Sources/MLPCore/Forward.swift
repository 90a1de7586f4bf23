/// The forward pass, split where the threads meet: the hidden layer by rows (samples, one run per
/// thread), the small output layer whole.

/// x is (count, inputs): h[rows, :] = f(x[rows, :]·W1 + b1). A mostly-zero x[rows, :] goes
/// through the sparse kernel, its nonzeros listed in `batch.laneSparse[lane]` for the backward
/// pass; otherwise that list is marked unusable. Either way, the same bits.
func forwardHidden(_ model: ModelBuffers, _ batch: BatchBuffers, x: UnsafePointer<Float>, count: Int,
                   rows: Range<Int>, lane: Int, allowsSparse: Bool) {
    let sparse = batch.laneSparse[lane]
    sparse.firstRow = rows.lowerBound
    sparse.isValid = false
    guard !rows.isEmpty else {
        sparse.isValid = allowsSparse && sparse.build(x: x, rows: 0, columns: model.shape.inputs)
        return
    }
    let shape = model.shape, hidden = shape.hidden, r0 = rows.lowerBound
    let w1 = model.parameters + shape.w1Offset
    let xRows = x + r0 * shape.inputs, h = batch.hidden + r0 * hidden
    if allowsSparse && sparse.build(x: xRows, rows: rows.count, columns: shape.inputs) {
        sparse.isValid = true
        for r in 0..<rows.count {
            let start = Int(sparse.rowStart[r])
            sparseRowProduct(count: Int(sparse.rowStart[r + 1]) - start, values: sparse.rowValue + start,
                             indices: sparse.rowIndex + start, b: w1, ldb: hidden, n: hidden, out: h + r * hidden)
        }
    } else {
        gemm(m: rows.count, n: hidden, k: shape.inputs,
             a: xRows, aRowStride: shape.inputs, aColumnStride: 1,
             b: w1, ldb: hidden,
             c: h, ldc: hidden)
    }
    addBiasAndActivate(model.activation, leak: model.leak, h, bias: model.parameters + shape.b1Offset,
                       rows: rows.count, cols: hidden, ld: hidden)
    if let activity = batch.laneActivity?[lane] { accumulateMaxima(h, rows: rows.count, cols: hidden, ld: hidden, into: activity) }
}

/// m is (rows, cols) with leading dimension ld, maxima is (cols): maxima[c] ← max(maxima[c], m[r, c])
/// over every row. Read from the h the forward pass has just written, so watching for dead units
/// costs one compare per activation and no second pass over the data; max is exact and
/// order-free, so lanes combine to the same answer however the rows were split.
func accumulateMaxima(_ m: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int, into maxima: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = m + r * ld
        for c in 0..<cols { maxima[c] = max(maxima[c], row[c]) }
    }
}

/// Needs all of h: z2 = h·W2 + b2 (padded to 16 lanes), p = softmax(z2), (count, outputs).
func forwardOutput(_ model: ModelBuffers, _ batch: BatchBuffers, count: Int) {
    let shape = model.shape, padded = shape.paddedOutputs
    gemm(m: count, n: padded, k: shape.hidden,
         a: batch.hidden, aRowStride: shape.hidden, aColumnStride: 1,
         b: model.w2Padded, ldb: padded,
         c: batch.logits, ldc: padded)
    let b2 = model.parameters + shape.b2Offset
    for r in 0..<count {
        let z = batch.logits + r * padded
        for c in 0..<shape.outputs { z[c] += b2[c] }
    }
    softmaxRows(logits: batch.logits, ldLogits: padded, probabilities: batch.probabilities,
                rows: count, classes: shape.outputs)
}

/// Part `part` of `parts` near-equal runs of 0..<count (possibly empty).
func evenPartition(_ count: Int, parts: Int, part: Int) -> Range<Int> {
    (count * part / parts)..<(count * (part + 1) / parts)
}
