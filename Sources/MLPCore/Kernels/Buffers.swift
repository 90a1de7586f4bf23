/// 64-byte aligned Float storage, so 16-lane rows start on cache lines.
func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    let floats = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    floats.initialize(repeating: 0, count: max(count, 1))
    return floats
}

/// The parameters of a model in one aligned buffer, plus two copies of W2 arranged for the
/// kernels: padded to whole 16-lane rows (hidden x paddedOutputs, zeros past `outputs`) for the
/// forward product, and transposed (outputs x hidden) for δ2·W2ᵀ. The copies are refreshed right
/// after W2 rows change.
final class ModelBuffers {
    let shape: MLPShape
    let activation: Activation
    let leak: Float
    let parameters: UnsafeMutablePointer<Float>
    let w2Padded: UnsafeMutablePointer<Float>
    let w2Transposed: UnsafeMutablePointer<Float>

    init(model: MLP) {
        shape = model.shape
        activation = model.activation
        leak = model.leak
        parameters = allocateFloats(shape.parameterCount)
        w2Padded = allocateFloats(shape.hidden * shape.paddedOutputs)
        w2Transposed = allocateFloats(shape.outputs * shape.hidden)
        load(model.parameters)
    }

    deinit {
        parameters.deallocate()
        w2Padded.deallocate()
        w2Transposed.deallocate()
    }

    /// `values` must have the shape's parameter count (MLP guarantees it).
    func load(_ values: [Float]) {
        values.withUnsafeBufferPointer { parameters.update(from: $0.baseAddress!, count: min($0.count, shape.parameterCount)) }
        refreshW2Copies(rows: 0..<shape.hidden)
    }

    /// Re-derives the padded and transposed copies of W2 rows `rows` (hidden units).
    func refreshW2Copies(rows: Range<Int>) {
        let w2 = parameters + shape.w2Offset, outputs = shape.outputs, padded = shape.paddedOutputs
        for j in rows {
            for c in 0..<outputs {
                w2Padded[j * padded + c] = w2[j * outputs + c]
                w2Transposed[c * shape.hidden + j] = w2[j * outputs + c]
            }
        }
    }

    var model: MLP {
        var model = MLP(unchecked: shape, activation, Array(UnsafeBufferPointer(start: parameters, count: shape.parameterCount)))
        model.leak = leak
        return model
    }
}

extension MLP {
    init(unchecked shape: MLPShape, _ activation: Activation, _ parameters: [Float]) {
        // The count comes from the shape itself, so this cannot throw.
        self = try! MLP(shape: shape, activation: activation, parameters: parameters)
    }
}

/// Activations and deltas for a batch of up to `capacity` samples, plus per-lane scratch for the
/// gradient spans each thread computes before applying them.
final class BatchBuffers {
    let shape: MLPShape
    let lanes: Int
    private(set) var capacity = 0
    /// (capacity, hidden): h = f(z1).
    private(set) var hidden: UnsafeMutablePointer<Float>
    /// (capacity, paddedOutputs): z2.
    private(set) var logits: UnsafeMutablePointer<Float>
    /// (capacity, outputs): p = softmax(z2).
    private(set) var probabilities: UnsafeMutablePointer<Float>
    /// (capacity, paddedOutputs): δ2, zero past `outputs`.
    private(set) var delta2: UnsafeMutablePointer<Float>
    /// (capacity, hidden): δ1.
    private(set) var delta1: UnsafeMutablePointer<Float>
    /// (capacity): per-sample losses and hits, summed in order so the totals do not depend on threads.
    private(set) var sampleLoss: UnsafeMutablePointer<Double>
    private(set) var sampleHit: UnsafeMutablePointer<Bool>
    /// (outputs): ∂L/∂b2.
    let outputBiasGradient: UnsafeMutablePointer<Float>
    /// Per lane: room for dW1 rows (dW1ChunkRows x hidden), or dW2 rows and db1 of a chunk of
    /// hidden units, or one row of dW1 — whichever chunk the lane is running.
    let laneScratch: [UnsafeMutablePointer<Float>]
    /// (capacity, maskWords(inputs)): where each row of the current batch's x is nonzero, made by
    /// chunks of rows that take the sparse kernel; which ones did, per chunk (`rowsPerChunk`).
    private(set) var rowMasks: UnsafeMutablePointer<UInt64>
    private(set) var chunkIsSparse: UnsafeMutablePointer<Bool>
    /// Per lane: where each column of x (input) of its chunk of dW1 is nonzero,
    /// (sparseInputsPerChunk, maskWords(capacity)).
    private(set) var laneColumnMasks: [UnsafeMutablePointer<UInt64>]
    /// Per lane, when tracking which hidden units fire (a training run with ReLU-like units): the
    /// largest h each unit has given on the rows that lane ran since the last reset (hidden floats).
    /// A unit with 0 there never had z1 > 0. Nil when not tracking (inference, sigmoid, tanh).
    let laneActivity: [UnsafeMutablePointer<Float>]?
    /// With dropout, (capacity, hidden) each: f(z1) before the mask, and the mask's factors
    /// (0 or 1/(1 − p)). Nil until `keepDropoutMasks`.
    private(set) var activated: UnsafeMutablePointer<Float>?
    private(set) var dropoutScales: UnsafeMutablePointer<Float>?

    init(shape: MLPShape, capacity: Int, lanes: Int, tracksActivity: Bool = false) {
        self.shape = shape
        self.lanes = lanes
        laneActivity = tracksActivity ? (0..<lanes).map { _ in allocateFloats(shape.hidden) } : nil
        hidden = allocateFloats(0); logits = allocateFloats(0); probabilities = allocateFloats(0)
        delta2 = allocateFloats(0); delta1 = allocateFloats(0)
        sampleLoss = .allocate(capacity: 1); sampleHit = .allocate(capacity: 1)
        outputBiasGradient = allocateFloats(shape.outputs)
        let scratch = max(dW1ChunkRows * shape.hidden, unitsPerChunk * (shape.paddedOutputs + 1))
        laneScratch = (0..<lanes).map { _ in allocateFloats(scratch) }
        rowMasks = .allocate(capacity: 1); chunkIsSparse = .allocate(capacity: 1)
        laneColumnMasks = (0..<lanes).map { _ in .allocate(capacity: 1) }
        reserve(max(capacity, 1))
    }

    deinit {
        for buffer in [hidden, logits, probabilities, delta2, delta1, outputBiasGradient] + laneScratch + (laneActivity ?? []) {
            buffer.deallocate()
        }
        sampleLoss.deallocate()
        sampleHit.deallocate()
        rowMasks.deallocate()
        chunkIsSparse.deallocate()
        for masks in laneColumnMasks { masks.deallocate() }
        activated?.deallocate()
        dropoutScales?.deallocate()
    }

    /// Makes room for dropout's two per-sample buffers from now on.
    func keepDropoutMasks() {
        guard activated == nil else { return }
        activated = allocateFloats(capacity * shape.hidden)
        dropoutScales = allocateFloats(capacity * shape.hidden)
    }

    /// Grows the per-sample buffers to hold `count` samples.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        for buffer in [hidden, logits, probabilities, delta2, delta1] { buffer.deallocate() }
        sampleLoss.deallocate()
        sampleHit.deallocate()
        rowMasks.deallocate()
        chunkIsSparse.deallocate()
        for masks in laneColumnMasks { masks.deallocate() }
        hidden = allocateFloats(count * shape.hidden)
        logits = allocateFloats(count * shape.paddedOutputs)
        probabilities = allocateFloats(count * shape.outputs)
        delta2 = allocateFloats(count * shape.paddedOutputs)
        delta1 = allocateFloats(count * shape.hidden)
        sampleLoss = .allocate(capacity: count)
        sampleHit = .allocate(capacity: count)
        rowMasks = .allocate(capacity: count * maskWords(shape.inputs))
        chunkIsSparse = .allocate(capacity: chunkCount(count, size: rowsPerChunk))
        laneColumnMasks = (0..<lanes).map { _ in .allocate(capacity: sparseInputsPerChunk * maskWords(count)) }
        if activated != nil {
            activated?.deallocate()
            dropoutScales?.deallocate()
            activated = allocateFloats(count * shape.hidden)
            dropoutScales = allocateFloats(count * shape.hidden)
        }
        capacity = count
    }
}
