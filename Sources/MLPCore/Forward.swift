/// The forward pass, split where the threads meet: the hidden layer by column ranges (one per
/// thread), the small output layer whole.

/// x is (count, inputs): h[:, columns] = f(x·W1[:, columns] + b1[columns]).
func forwardHidden(_ model: ModelBuffers, _ batch: BatchBuffers, x: UnsafePointer<Float>, count: Int,
                   columns: Range<Int>) {
    guard !columns.isEmpty else { return }
    let shape = model.shape, j0 = columns.lowerBound
    gemm(m: count, n: columns.count, k: shape.inputs,
         a: x, aRowStride: shape.inputs, aColumnStride: 1,
         b: model.parameters + shape.w1Offset + j0, ldb: shape.hidden,
         c: batch.hidden + j0, ldc: shape.hidden)
    addBiasAndActivate(model.activation, batch.hidden + j0, bias: model.parameters + shape.b1Offset + j0,
                       rows: count, cols: columns.count, ld: shape.hidden)
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
