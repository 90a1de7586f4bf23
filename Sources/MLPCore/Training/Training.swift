#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one epoch measured, so far or in full.
public struct EpochStats: Sendable {
    public var epoch: Int
    public var lossSum = 0.0
    public var correct = 0
    public var samples = 0
    public var seconds = 0.0
    /// Samples stepped through in `seconds`: all of them, except in an epoch resumed part-way.
    public var timedSamples = 0
    /// The learning rate of the epoch's last step (it moves during an epoch under a schedule).
    public var learningRate = Float.nan
    /// The evaluation after the epoch (the test split, or the validation split when one is held
    /// out); nil until then.
    public var evaluation: EvaluationResult?
    /// The fraction of hidden units that never fired during the epoch (a resumed epoch starts from
    /// the units its checkpoint says had fired); nil for sigmoid and tanh.
    public var deadUnitFraction: Double?

    public init(epoch: Int) { self.epoch = epoch }

    public var meanLoss: Double { samples == 0 ? .nan : lossSum / Double(samples) }
    public var trainAccuracy: Double { samples == 0 ? .nan : Double(correct) / Double(samples) }
    public var samplesPerSecond: Double { seconds > 0 ? Double(timedSamples) / seconds : .nan }
    public var evaluationAccuracy: Double { evaluation?.confusion.accuracy ?? .nan }

    mutating func add(_ step: BatchResult, samples count: Int) {
        lossSum += step.lossSum
        correct += step.correct
        samples += count
        timedSamples += count
    }
}

/// What a hook tells the loop.
public enum TrainingDecision: Sendable {
    case carryOn
    /// End training here. The state then says where it stopped, so a checkpoint of it resumes exactly.
    case stop
}

/// How `train` ended.
public enum TrainingOutcome: Sendable, Equatable {
    case finished
    case stopped
}

/// The caller's say in the loop: progress, interrupts, divergence checks, checkpoints. A hook that
/// throws ends training with that error.
public struct TrainingHooks {
    /// After each batch: the epoch so far, the batch just done (1-based) and the batches per epoch.
    public var afterBatch: (_ epoch: EpochStats, _ batch: Int, _ batches: Int) throws -> TrainingDecision
    /// After each epoch, once it has been evaluated, with the state that now records it (what a
    /// checkpoint of this moment holds).
    public var afterEpoch: (_ epoch: EpochStats, _ state: TrainingMetadata) throws -> TrainingDecision

    public init(afterBatch: @escaping (EpochStats, Int, Int) throws -> TrainingDecision = { _, _, _ in .carryOn },
                afterEpoch: @escaping (EpochStats, TrainingMetadata) throws -> TrainingDecision = { _, _ in .carryOn }) {
        self.afterBatch = afterBatch
        self.afterEpoch = afterEpoch
    }
}

/// Trains until `state.epochsCompleted == epochs`, from wherever `state` stands (a fresh run, or a
/// checkpoint's epoch, batch and shuffle state): for each epoch, shuffle; for each batch, gather
/// and step; then evaluate on `held` (the test split, or a validation split held out of the
/// training data, `heldIsValidation`), and append the epoch to the state's history.
public func train(_ trainer: Trainer, _ state: inout TrainingMetadata, epochs: Int,
                  on data: some BatchSource, evaluatingOn held: some BatchSource, heldIsValidation: Bool = false,
                  hooks: TrainingHooks = TrainingHooks()) throws -> TrainingOutcome {
    let samples = SampleBuffer(capacity: state.batchSize, features: data.features)
    let evaluator = trainer.evaluationInference(maxBatch: evaluationChunk)
    let batches = batchRanges(count: data.count, batchSize: state.batchSize)
    while state.epochsCompleted < epochs {
        var epoch = state.epochSoFar()
        let started = monotonicSeconds()
        var shuffle = SplitMix64(seed: state.rngState)
        var stopAfterEpoch = false
        let order = shuffledIndices(count: data.count, using: &shuffle)
        trainer.resetActivity(fired: state.batchesIntoEpoch > 0 ? state.partialFiredUnits : nil)
        for b in state.batchesIntoEpoch..<batches.count {
            trainer.sgd.learningRate = state.schedule.rate(base: state.learningRate, step: state.epochsCompleted * batches.count + b,
                                                           stepsPerEpoch: batches.count, epochs: epochs)
            let result = order.withUnsafeBufferPointer {
                let indices = UnsafeBufferPointer(rebasing: $0[batches[b]])
                samples.fill(from: data, indices, epoch: epoch.epoch, pool: trainer.pool)
                return trainer.step(x: samples.x, labels: samples.labels, count: indices.count,
                                    samples: BatchSamples(epoch: epoch.epoch, indices: indices))
            }
            epoch.add(result, samples: batches[b].count)
            epoch.learningRate = trainer.sgd.learningRate
            state.batchesIntoEpoch = b + 1
            state.keepPartial(epoch)
            if try hooks.afterBatch(epoch, b + 1, batches.count) == .stop {
                // After the epoch's last batch, stopping waits for the epoch to be evaluated and
                // recorded, so a state never sits at the end of an epoch it has not finished.
                guard b + 1 == batches.count else {
                    state.partialFiredUnits = trainer.firedUnits
                    return .stopped
                }
                stopAfterEpoch = true
            }
        }
        state.finishEpoch(shuffleState: shuffle.state)
        epoch.seconds = monotonicSeconds() - started
        epoch.deadUnitFraction = trainer.deadUnitFraction
        epoch.evaluation = evaluator.evaluate(held, loss: trainer.loss)
        state.record(epoch, onValidation: heldIsValidation)
        if try hooks.afterEpoch(epoch, state) == .stop || stopAfterEpoch { return .stopped }
    }
    return .finished
}

/// Seconds on a monotonic clock, for timings.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
