/// The forward pass, by chunks of samples: every layer of a sample is row-wise, so one chunk of
/// rows goes all the way from x to the probabilities without waiting for the others.

/// Samples per chunk of a row-wise phase: two of the GEMM's 6-row tiles. Small enough that a
/// batch of 64 makes six chunks to share between the lanes, large enough that a chunk outweighs
/// claiming it.
let rowsPerChunk = 12

/// The chunks `count` items make in runs of `size` (the last may be short).
func chunkCount(_ count: Int, size: Int) -> Int {
    (count + size - 1) / size
}

/// Chunk `chunk`'s items: runs of `size` from 0, the last cut at `count`.
func chunkRange(_ chunk: Int, size: Int, count: Int) -> Range<Int> {
    (chunk * size)..<min(count, (chunk + 1) * size)
}

/// How the forward pass gets x·W1 for a batch.
enum HiddenProduct {
    /// Row by row, inside `forwardRows`: through the sparse kernel where a chunk's rows are mostly
    /// zero (listing their nonzeros), else the dense one.
    case byRows
    /// Already made by `denseHiddenProduct` for the whole batch.
    case done
}

/// How a batch x (count, inputs) is best multiplied by W1, judged from its first row: a dense
/// batch in column chunks beforehand (W1 then streams through the cache once per batch, not once
/// per chunk of rows), a mostly-zero one by rows. Only speed depends on the choice: the bits are
/// the same either way.
func hiddenProduct(x: UnsafePointer<Float>, inputs: Int, allowsSparse: Bool) -> HiddenProduct {
    guard allowsSparse else { return .done }
    let nonzeros = (0..<inputs).count { x[$0] != 0 }
    return Double(nonzeros) <= Double(inputs) * sparseDensityLimit ? .byRows : .done
}

/// The chunks of hidden units `denseHiddenProduct` splits a layer of `hidden` into: whole 32-column
/// strips, about eight chunks.
func hiddenColumnsPerChunk(_ hidden: Int) -> Int {
    32 * max(1, hidden / (32 * 8))
}

/// x is (count, inputs): h[:, columns] = x·W1[:, columns], before the bias and activation (which
/// `forwardRows` applies).
func denseHiddenProduct(_ model: ModelBuffers, _ batch: BatchBuffers, x: UnsafePointer<Float>, count: Int, columns: Range<Int>) {
    let shape = model.shape, j0 = columns.lowerBound
    gemm(m: count, n: columns.count, k: shape.inputs,
         a: x, aRowStride: shape.inputs, aColumnStride: 1,
         b: model.parameters + shape.w1Offset + j0, ldb: shape.hidden,
         c: batch.hidden + j0, ldc: shape.hidden)
}

/// Runs the forward pass of x (count, inputs) on the pool: h, z2 and p for every row, plus
/// `perRows` (the backward pass's row-wise part, when training) on each chunk of rows, with the
/// hidden layer masked by `dropout` when given (training only; `batch` must keep dropout masks).
/// Returns how x·W1 was made, which the backward pass follows for xᵀ·δ1.
@discardableResult
func forwardPass(_ model: ModelBuffers, _ batch: BatchBuffers, pool: WorkerPool, x: UnsafePointer<Float>, count: Int,
                 allowsSparse: Bool, dropout: BatchDropout? = nil, perRows: (Range<Int>) -> Void = { _ in }) -> HiddenProduct {
    let product = hiddenProduct(x: x, inputs: model.shape.inputs, allowsSparse: allowsSparse)
    if product == .done {
        let hidden = model.shape.hidden, size = hiddenColumnsPerChunk(hidden)
        pool.run(chunks: chunkCount(hidden, size: size)) { chunk, _ in
            denseHiddenProduct(model, batch, x: x, count: count, columns: chunkRange(chunk, size: size, count: hidden))
        }
    }
    pool.run(chunks: chunkCount(count, size: rowsPerChunk)) { chunk, lane in
        let rows = chunkRange(chunk, size: rowsPerChunk, count: count)
        forwardRows(model, batch, x: x, rows: rows, chunk: chunk, lane: lane, product: product, dropout: dropout)
        perRows(rows)
    }
    return product
}

/// x is (count, inputs), rows a chunk of them: h[rows, :] = f(x[rows, :]·W1 + b1), then
/// z2[rows, :] = h[rows, :]·W2 + b2 (padded to 16 lanes) and p[rows, :] = softmax(z2[rows, :]).
/// Made by rows, mostly-zero rows (the chunk's, together) go through the masked kernel, the
/// chunk's masks kept in `batch.rowMasks`; otherwise the dense one. Either way, the same bits.
/// With `dropout`, h is masked after the activation (units are watched for dying before it).
func forwardRows(_ model: ModelBuffers, _ batch: BatchBuffers, x: UnsafePointer<Float>,
                 rows: Range<Int>, chunk: Int, lane: Int, product: HiddenProduct, dropout: BatchDropout? = nil) {
    let shape = model.shape, hidden = shape.hidden, padded = shape.paddedOutputs, r0 = rows.lowerBound
    let w1 = model.parameters + shape.w1Offset, words = maskWords(shape.inputs)
    let xRows = x + r0 * shape.inputs, h = batch.hidden + r0 * hidden, masks = batch.rowMasks + r0 * words
    var sparse = false
    if product == .byRows {
        let nonzeros = rowNonzeroMasks(x: xRows, rows: rows.count, columns: shape.inputs, masks: masks)
        sparse = Double(nonzeros) <= Double(rows.count * shape.inputs) * sparseDensityLimit
    }
    batch.chunkIsSparse[chunk] = sparse
    if product == .done {
        // Made by `denseHiddenProduct`.
    } else if sparse {
        for r in 0..<rows.count {
            maskedProduct(masks: masks + r * words, words: words, a: xRows + r * shape.inputs, lda: 1,
                          b: w1, ldb: hidden, n: hidden, out: h + r * hidden)
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
    if let dropout, let activated = batch.activated, let scales = batch.dropoutScales {
        for r in rows { dropout.scales(row: r, hidden: hidden, into: scales + r * hidden) }
        dropoutForward(h, activated: activated + r0 * hidden, scales: scales + r0 * hidden, rows: rows.count, cols: hidden, ld: hidden)
    }

    let z = batch.logits + r0 * padded
    gemm(m: rows.count, n: padded, k: hidden,
         a: h, aRowStride: hidden, aColumnStride: 1,
         b: model.w2Padded, ldb: padded,
         c: z, ldc: padded)
    let b2 = model.parameters + shape.b2Offset
    for r in 0..<rows.count {
        for c in 0..<shape.outputs { z[r * padded + c] += b2[c] }
    }
    softmaxRows(logits: z, ldLogits: padded, probabilities: batch.probabilities + r0 * shape.outputs,
                rows: rows.count, classes: shape.outputs)
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
