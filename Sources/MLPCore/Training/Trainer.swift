/// What one training step measured, summed over its batch.
public struct BatchResult: Sendable, Equatable {
    var lossSum: Double
    var correct: Int

    init(lossSum: Double, correct: Int) {
        self.lossSum = lossSum
        self.correct = correct
    }
}

/// Trains a model in place, one batch per `step`. Owns the parameters (in aligned buffers) until
/// `model` copies them out, and a pool of `threads` threads. A step is two phases of fixed chunks:
/// by samples (forward, δ2 and δ1), then by parameters (dW2 and b1 by hidden units, dW1 by
/// inputs), with the loss and b2 in between; a dense batch first makes x·W1 by hidden units. Every element is computed whole by one chunk, in the
/// same order, so the bits do not depend on the thread count or on which thread ran what.
public final class Trainer {
    let loss: LossFunction
    /// The optimiser settings `step(x:labels:count:)` uses; a `TrainingRun` passes its own to each step.
    var sgd: SGDConfig
    private let buffers: ModelBuffers
    private let batch: BatchBuffers
    let pool: WorkerPool
    private var velocityBuffer: UnsafeMutablePointer<Float>?
    /// Whether mostly-zero batches may take the sparse kernels (same bits either way; tests compare).
    var allowsSparseInputs = true
    /// Whether the optimiser step is applied to each gradient span inside backprop (the default),
    /// or once to the whole stored gradient afterwards. Same bits either way; `make bench`
    /// measures both.
    public var fusesOptimiserStep = true
    /// The whole gradient, when the optimiser step is not fused.
    private var gradientBuffer: UnsafeMutablePointer<Float>?
    /// The weights' exponential moving average and its β, when averaging is on.
    private var average: (buffers: ModelBuffers, decay: Float)?
    /// Adam's settings and state, when the run steps with Adam instead of SGD (whose learning rate
    /// and weight decay it shares: `sgd`'s momentum is then 0).
    private var adam: (config: AdamConfig, moments: AdamMoments)?
    /// Dropout on the hidden layer while training; nil for none.
    public var dropout: Dropout?

    public init(model: MLP, loss: LossFunction, sgd: SGDConfig, maxBatch: Int, threads: Int) {
        self.loss = loss
        self.sgd = sgd
        buffers = ModelBuffers(model: model)
        pool = WorkerPool(threads: laneCount(threads: threads, hidden: model.shape.hidden))
        batch = BatchBuffers(shape: model.shape, capacity: maxBatch, lanes: pool.count, tracksActivity: model.activation.canDie)
        if sgd.usesMomentum { velocityBuffer = allocateFloats(model.shape.parameterCount) }
    }

    deinit {
        velocityBuffer?.deallocate()
        gradientBuffer?.deallocate()
    }

    /// The current parameters.
    public var model: MLP { buffers.model }

    /// The hidden layer's activation (without copying the parameters out, as `model` does).
    public var activation: Activation { buffers.activation }

    /// Whether every parameter is finite (no step has overflowed).
    public var parametersAreFinite: Bool {
        UnsafeBufferPointer(start: buffers.parameters, count: buffers.shape.parameterCount).allSatisfy(\.isFinite)
    }

    /// Runs the current weights forward, between steps, on the trainer's own threads.
    func inference(maxBatch: Int) -> Inference {
        Inference(buffers: buffers, pool: pool, maxBatch: maxBatch)
    }

    /// Keeps an exponential moving average of the weights from now on: after every step
    /// a ← βa + (1 − β)w, starting from `start` (the current weights if nil). Averaged weights
    /// generalise better than the last ones when the steps are noisy (Polyak & Juditsky 1992);
    /// evaluation and the saved model use them.
    public func startAveraging(decay: Float, from start: MLP? = nil) {
        let averaged = ModelBuffers(model: start ?? model)
        average = (averaged, decay)
    }

    /// The weights evaluation uses: the moving average when averaging, else the current ones.
    public var evaluationModel: MLP { average?.buffers.model ?? model }

    /// `inference` over the weights evaluation uses; it follows them step by step.
    func evaluationInference(maxBatch: Int) -> Inference {
        Inference(buffers: average?.buffers ?? buffers, pool: pool, maxBatch: maxBatch)
    }

    /// a ← βa + (1 − β)w elementwise, split between the lanes (the same bits however split).
    private func updateAverage() {
        guard let (averaged, decay) = average else { return }
        let a = averaged.parameters, w = buffers.parameters, count = buffers.shape.parameterCount
        let keep = decay, take = 1 - decay, size = 1 << 14
        pool.run(chunks: chunkCount(count, size: size)) { chunk, _ in
            for i in chunkRange(chunk, size: size, count: count) { a[i] = keep * a[i] + take * w[i] }
        }
        averaged.refreshW2Copies(rows: 0..<averaged.shape.hidden)
    }

    /// Samples stepped through since `resetActivity`.
    private var activitySamples = 0

    /// Forgets which hidden units have fired (the start of an epoch), or, given `fired` (one flag
    /// per hidden unit, from `firedUnits`), sets them as fired so far: an epoch resumed part-way.
    func resetActivity(fired: [Bool]? = nil) {
        activitySamples = 0
        for maxima in batch.laneActivity ?? [] { maxima.update(repeating: 0, count: buffers.shape.hidden) }
        guard let fired, let first = batch.laneActivity?.first, fired.count == buffers.shape.hidden else { return }
        for (j, on) in fired.enumerated() where on { first[j] = 1 }
        activitySamples = 1
    }

    /// Per hidden unit, whether it has fired since `resetActivity`; nil when not tracked or nothing seen.
    var firedUnits: [Bool]? {
        guard let lanes = batch.laneActivity, activitySamples > 0 else { return nil }
        return (0..<buffers.shape.hidden).map { j in lanes.contains { $0[j] > 0 } }
    }

    /// The fraction of hidden units that never fired (z1 ≤ 0, so h ≤ 0 and no gradient through
    /// ReLU) on any sample stepped through since `resetActivity`; nil for units that cannot die
    /// (sigmoid, tanh) or before the first step.
    var deadUnitFraction: Double? {
        guard let fired = firedUnits else { return nil }
        return Double(fired.count(where: { !$0 })) / Double(fired.count)
    }

    /// Momentum state in the parameter layout; empty while no momentum has been used. Setting a
    /// value of the wrong length (e.g. empty) resets it to zeros.
    public var velocity: [Float] {
        get {
            velocityBuffer.map { Array(UnsafeBufferPointer(start: $0, count: buffers.shape.parameterCount)) } ?? []
        }
        set {
            let count = buffers.shape.parameterCount
            let target = velocityBuffer ?? allocateFloats(count)
            velocityBuffer = target
            if newValue.count == count {
                newValue.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: count) }
            } else {
                target.update(repeating: 0, count: count)
            }
        }
    }

    /// Steps with Adam from now on, from `state`'s steps and moments (a resumed run), else from
    /// zero moments; the learning rate and weight decay stay each step's `SGDConfig`'s.
    public func useAdam(_ config: AdamConfig, resumingFrom state: AdamState? = nil) {
        let moments = AdamMoments(count: buffers.shape.parameterCount)
        if let state { moments.load(state) }
        adam = (config, moments)
    }

    /// Adam's settings; nil when stepping with SGD.
    public var adamConfig: AdamConfig? { adam?.config }

    /// Adam's settings, steps and moments; nil when stepping with SGD.
    public var adamState: AdamState? {
        adam.map { AdamState(config: $0.config, steps: $0.moments.steps, firstMoment: $0.moments.firstValues, secondMoment: $0.moments.secondValues) }
    }

    /// The update this step applies with `sgd`'s rate and decay: Adam's next step, or SGD's.
    private func nextUpdate(_ sgd: SGDConfig) -> ParameterUpdate {
        if let (config, moments) = adam {
            moments.steps += 1
            return .adam(AdamStep(config: config, learningRate: sgd.learningRate, weightDecay: sgd.weightDecay, step: moments.steps,
                                  first: moments.first, second: moments.second))
        }
        if sgd.usesMomentum && velocityBuffer == nil { velocityBuffer = allocateFloats(buffers.shape.parameterCount) }
        return .sgd(sgd, velocity: sgd.usesMomentum ? velocityBuffer : nil)
    }

    /// One forward + backward + optimiser step on x (count x inputs) and labels (count, 0..<outputs).
    /// Returns the summed loss (before the update) and the number of correct predictions.
    @discardableResult
    func step(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, count: Int) -> BatchResult {
        step(x: x, labels: labels, count: count, sgd: sgd)
    }

    /// `step` with these optimiser settings instead of `sgd` (a run's own, at the scheduled rate).
    /// With dropout, `samples` says which training samples the rows are, for their masks (without
    /// it, a row's place in the batch and epoch 0).
    @discardableResult
    func step(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, count: Int, sgd: SGDConfig,
              samples: BatchSamples? = nil) -> BatchResult {
        let update = nextUpdate(sgd)
        defer { updateAverage() }
        let positions = samples == nil && dropout != nil ? (0..<Int32(count)).map { $0 } : []
        return positions.withUnsafeBufferPointer { positions in
            let masks = dropout.map { BatchDropout.drawn($0, epoch: samples?.epoch ?? 0, samples: samples?.indices ?? positions) }
            guard !fusesOptimiserStep else { return run(x: x, labels: labels, count: count, update: update, dropout: masks) }
            let gradient = gradientBuffer ?? allocateFloats(buffers.shape.parameterCount)
            gradientBuffer = gradient
            let result = run(x: x, labels: labels, count: count, update: .store(gradient), dropout: masks)
            applyOptimiserStep(update, shape: buffers.shape, parameters: buffers.parameters, gradient: gradient)
            buffers.refreshW2Copies(rows: 0..<buffers.shape.hidden)
            return result
        }
    }

    func run(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, count: Int, update: ParameterUpdate,
             dropout: BatchDropout? = nil) -> BatchResult {
        guard count > 0 else { return BatchResult(lossSum: 0, correct: 0) }
        batch.reserve(count)
        if dropout != nil { batch.keepDropoutMasks() }
        activitySamples += count
        let buffers = buffers, batch = batch, loss = loss, shape = buffers.shape
        let product = forwardPass(buffers, batch, pool: pool, x: x, count: count, allowsSparse: allowsSparseInputs,
                                  dropout: dropout) { rows in
            backwardRows(loss, buffers, batch, labels: labels, rows: rows, count: count, dropped: dropout != nil)
        }
        let result = finishOutputLayer(buffers, batch, count: count, update: update)

        let sparse = product == .byRows
        let unitChunks = chunkCount(shape.hidden, size: unitsPerChunk)
        let inputsPerChunk = sparse ? sparseInputsPerChunk : dW1ChunkRows
        pool.run(chunks: unitChunks + chunkCount(shape.inputs, size: inputsPerChunk)) { chunk, lane in
            let scratch = batch.laneScratch[lane]
            guard chunk >= unitChunks else {
                let units = chunkRange(chunk, size: unitsPerChunk, count: shape.hidden)
                return hiddenUnitGradients(buffers, batch, count: count, units: units, scratch: scratch, update: update)
            }
            let inputs = chunkRange(chunk - unitChunks, size: inputsPerChunk, count: shape.inputs)
            if sparse {
                sparseInputGradient(buffers, batch, x: x, count: count, inputs: inputs, lane: lane, scratch: scratch, update: update)
            } else {
                denseInputGradient(buffers, batch, x: x, count: count, inputs: inputs, scratch: scratch, update: update)
            }
        }
        return result
    }
}
