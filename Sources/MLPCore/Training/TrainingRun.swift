/// One training run: the trainer, the state a checkpoint carries, and with a validation split the
/// weights of the best epoch. The state is the one place for the run's settings (the learning
/// rate among them), its position and its best epoch; hooks that read it see it as it stands.
public final class TrainingRun {
    public let trainer: Trainer
    public var state: TrainingState
    /// Whether each epoch is evaluated on a validation split held out of the training data (and
    /// the best epoch kept) rather than on the test split.
    let evaluatesOnValidation: Bool
    /// With validation: the weights evaluation used in `state.best`'s epoch.
    public private(set) var bestWeights: MLP?

    /// `bestWeights`: a resumed run's best epoch's weights, when its state names one.
    public init(trainer: Trainer, state: TrainingState, evaluatesOnValidation: Bool = false, bestWeights: MLP? = nil) {
        self.trainer = trainer
        self.state = state
        self.evaluatesOnValidation = evaluatesOnValidation
        self.bestWeights = state.best == nil ? nil : bestWeights
    }

    /// The base learning rate η; a change (between epochs, or from a hook) holds from the next step.
    public var learningRate: Float {
        get { state.settings.sgd.learningRate }
        set { state.settings.sgd.learningRate = newValue }
    }

    /// Epochs since the best one; nil without a best epoch.
    public var epochsSinceBest: Int? { state.best.map { state.position.epochsCompleted - $0.epoch } }

    /// Trains until `epochs` are completed, from wherever the state stands (a fresh run, or a
    /// checkpoint's epoch, batch and shuffle state): for each epoch, shuffle; for each batch,
    /// gather and step at the scheduled rate; then evaluate on `held`, keep the epoch if it is the
    /// best on validation, and append it to the history.
    public func train(epochs: Int, on data: some BatchSource, evaluatingOn held: some BatchSource,
                      hooks: TrainingHooks = TrainingHooks()) throws -> TrainingOutcome {
        let batchSize = state.settings.batchSize
        let samples = SampleBuffer(capacity: batchSize, features: data.features)
        let evaluator = trainer.evaluationInference(maxBatch: evaluationChunk)
        let batches = batchRanges(count: data.count, batchSize: batchSize)
        while state.position.epochsCompleted < epochs {
            var epoch = state.epochSoFar()
            let started = monotonicSeconds()
            var shuffle = SplitMix64(seed: state.position.rngState)
            var stopAfterEpoch = false
            let order = shuffledIndices(count: data.count, using: &shuffle)
            trainer.resetActivity(fired: state.position.batchesIntoEpoch > 0 ? state.partialEpoch.firedUnits : nil)
            for b in state.position.batchesIntoEpoch..<batches.count {
                var sgd = state.settings.sgd
                sgd.learningRate = state.settings.schedule.rate(base: sgd.learningRate, step: state.position.epochsCompleted * batches.count + b,
                                                                stepsPerEpoch: batches.count, epochs: epochs)
                let result = order.withUnsafeBufferPointer {
                    let indices = UnsafeBufferPointer(rebasing: $0[batches[b]])
                    samples.fill(from: data, indices, epoch: epoch.epoch, pool: trainer.pool)
                    return trainer.step(x: samples.x, labels: samples.labels, count: indices.count, sgd: sgd,
                                        samples: BatchSamples(epoch: epoch.epoch, indices: indices))
                }
                epoch.add(result, samples: batches[b].count)
                epoch.learningRate = sgd.learningRate
                state.position.batchesIntoEpoch = b + 1
                state.keepPartial(epoch)
                if try hooks.afterBatch(epoch, b + 1, batches.count) == .stop {
                    // After the epoch's last batch, stopping waits for the epoch to be evaluated and
                    // recorded, so a state never sits at the end of an epoch it has not finished.
                    guard b + 1 == batches.count else {
                        state.partialEpoch.firedUnits = trainer.firedUnits
                        return .stopped
                    }
                    stopAfterEpoch = true
                }
            }
            state.finishEpoch(shuffleState: shuffle.state)
            epoch.seconds = monotonicSeconds() - started
            epoch.deadUnitFraction = trainer.deadUnitFraction
            epoch.evaluation = evaluator.evaluate(held, loss: trainer.loss)
            if evaluatesOnValidation { considerAsBest(epoch) }
            state.record(epoch, onValidation: evaluatesOnValidation)
            if try hooks.afterEpoch(epoch, state) == .stop || stopAfterEpoch { return .stopped }
        }
        return .finished
    }

    /// Keeps the epoch if it beats every earlier one on validation (the earliest wins a tie).
    private func considerAsBest(_ epoch: EpochStats) {
        let accuracy = Float(epoch.evaluationAccuracy)
        if let best = state.best, bestWeights != nil, !(accuracy > best.accuracy) { return }
        state.best = BestEpoch(epoch: epoch.epoch, accuracy: accuracy)
        bestWeights = trainer.evaluationModel
    }
}
