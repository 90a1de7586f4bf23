#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one epoch measured, so far or in full.
public struct EpochStats: Sendable {
    public var epoch: Int
    public var lossSum = 0.0
    var correct = 0
    var samples = 0
    public var seconds = 0.0
    /// Samples stepped through in `seconds`: all of them, except in an epoch resumed part-way.
    var timedSamples = 0
    /// The learning rate of the epoch's last step (it moves during an epoch under a schedule).
    public var learningRate = Float.nan
    /// The evaluation after the epoch (the test split, or the validation split when one is held
    /// out); nil until then.
    var evaluation: EvaluationResult?
    /// The fraction of hidden units that never fired during the epoch (a resumed epoch starts from
    /// the units its checkpoint says had fired); nil for sigmoid and tanh.
    public var deadUnitFraction: Double?

    init(epoch: Int) { self.epoch = epoch }

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

/// How `TrainingRun.train` ended.
public enum TrainingOutcome: Sendable, Equatable {
    case finished
    case stopped
}

/// The caller's say in the loop: progress, interrupts, divergence checks, checkpoints. A hook that
/// throws ends training with that error.
public struct TrainingHooks {
    /// After each batch: the epoch so far, the batch just done (1-based) and the batches per epoch.
    var afterBatch: (_ epoch: EpochStats, _ batch: Int, _ batches: Int) throws -> TrainingDecision
    /// After each epoch, once it has been evaluated, with the state that now records it (what a
    /// checkpoint of this moment holds).
    var afterEpoch: (_ epoch: EpochStats, _ state: TrainingState) throws -> TrainingDecision

    public init(afterBatch: @escaping (EpochStats, Int, Int) throws -> TrainingDecision = { _, _, _ in .carryOn },
                afterEpoch: @escaping (EpochStats, TrainingState) throws -> TrainingDecision = { _, _ in .carryOn }) {
        self.afterBatch = afterBatch
        self.afterEpoch = afterEpoch
    }
}

/// Seconds on a monotonic clock, for timings.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
