/// Runs a fixed model forward on batches, with the same kernels and thread split as training.
public final class Inference {
    public let shape: MLPShape
    private let buffers: ModelBuffers
    private let batch: BatchBuffers
    private let pool: WorkerPool
    /// Whether mostly-zero batches may take the sparse kernels (same bits either way; tests compare).
    var allowsSparseInputs = true

    public init(model: MLP, maxBatch: Int, threads: Int) {
        shape = model.shape
        buffers = ModelBuffers(model: model)
        // More lanes than 16-column blocks would only spin.
        pool = WorkerPool(threads: min(threads, max(1, gemmColumnBlocks(model.shape.hidden).count)))
        batch = BatchBuffers(shape: model.shape, capacity: maxBatch, lanes: pool.count)
    }

    /// Softmax probabilities, count x outputs, for x (count x inputs); valid until the next call.
    /// A count above maxBatch grows the buffers.
    public func probabilities(x: UnsafePointer<Float>, count: Int) -> UnsafeBufferPointer<Float> {
        guard count > 0 else { return UnsafeBufferPointer(start: batch.probabilities, count: 0) }
        batch.reserve(count)
        let buffers = buffers, batch = batch, lanes = pool.count, allowsSparse = allowsSparseInputs
        pool.run { lane in
            forwardHidden(buffers, batch, x: x, count: count, rows: evenPartition(count, parts: lanes, part: lane),
                          lane: lane, allowsSparse: allowsSparse)
        }
        forwardOutput(buffers, batch, count: count)
        return UnsafeBufferPointer(start: batch.probabilities, count: count * shape.outputs)
    }
}
