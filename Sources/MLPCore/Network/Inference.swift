/// Runs a model forward on batches, with the same kernels and thread split as training.
public final class Inference {
    let shape: MLPShape
    private let buffers: ModelBuffers
    private let batch: BatchBuffers
    let pool: WorkerPool
    /// Whether mostly-zero batches may take the sparse kernels (same bits either way; tests compare).
    var allowsSparseInputs = true

    /// A fixed copy of `model`, with a pool of `threads` threads of its own.
    public convenience init(model: MLP, maxBatch: Int, threads: Int) {
        let buffers = ModelBuffers(model: model)
        self.init(buffers: buffers, pool: WorkerPool(threads: laneCount(threads: threads, hidden: model.shape.hidden)),
                  maxBatch: maxBatch)
    }

    /// Over parameters and threads that a `Trainer` owns: it sees every step's weights as they are,
    /// with no copy and no threads of its own. Not to be used while the trainer is stepping.
    init(buffers: ModelBuffers, pool: WorkerPool, maxBatch: Int) {
        shape = buffers.shape
        self.buffers = buffers
        self.pool = pool
        batch = BatchBuffers(shape: buffers.shape, capacity: maxBatch, lanes: pool.count)
    }

    /// Softmax probabilities, count x outputs, for x (count x inputs); valid until the next call.
    /// A count above maxBatch grows the buffers.
    func probabilities(x: UnsafePointer<Float>, count: Int) -> UnsafeBufferPointer<Float> {
        guard count > 0 else { return UnsafeBufferPointer(start: batch.probabilities, count: 0) }
        batch.reserve(count)
        forwardPass(buffers, batch, pool: pool, x: x, count: count, allowsSparse: allowsSparseInputs)
        return UnsafeBufferPointer(start: batch.probabilities, count: count * shape.outputs)
    }

    /// The probabilities of one sample, x being `shape.inputs` model inputs.
    func probabilities(of x: [Float]) -> [Float] {
        precondition(x.count == shape.inputs, "Inference: \(x.count) inputs given, the model takes \(shape.inputs)")
        return x.withUnsafeBufferPointer { Array(probabilities(x: $0.baseAddress!, count: 1)) }
    }
}

/// Threads worth running for a hidden layer of `hidden` units: more lanes than 16-column blocks
/// would only spin.
func laneCount(threads: Int, hidden: Int) -> Int {
    min(threads, max(1, gemmColumnBlocks(hidden).count))
}
