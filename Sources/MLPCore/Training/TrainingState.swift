/// Everything a resumable run carries between processes, saved in the model file beside the
/// weights: how it was set up, where it stands, the epoch it stopped in, what every epoch measured
/// and the best epoch so far. Optionals say "not measured", so equality is the fields' own.
public struct TrainingState: Sendable, Equatable {
    public var settings: TrainingSettings
    public var position: TrainingPosition
    /// The epoch so far, when stopped mid-epoch; empty at an epoch boundary.
    var partialEpoch = PartialEpoch()
    /// Every completed epoch, oldest first (empty for a file from before mnist-cli kept them).
    public var history: [EpochRecord] = []
    /// With a validation split: the epoch whose weights the model file keeps; nil without one.
    public var best: BestEpoch?
    /// Mean training loss of the last epoch; nil before the first.
    public var trainLoss: Float?
    /// Test accuracy, 0...1: after the last epoch, or with a validation split, of the kept epoch
    /// once the test set has been read at the end; nil until measured.
    public var testAccuracy: Float?

    init(settings: TrainingSettings, position: TrainingPosition, trainLoss: Float? = nil, testAccuracy: Float? = nil) {
        self.settings = settings
        self.position = position
        self.trainLoss = trainLoss
        self.testAccuracy = testAccuracy
    }

    /// A run about to start from fresh weights made with `settings.seed` (see `MLP(shape:activation:seed:)`).
    public static func starting(_ settings: TrainingSettings) -> TrainingState {
        TrainingState(settings: settings, position: TrainingPosition(rngState: shuffleSeed(settings.seed)))
    }

    /// The shuffling stream's seed: another stream than the initial weights', from the same seed.
    static func shuffleSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x9E37_79B9_7F4A_7C15 }
}

/// How a run trains: what fixes the order of the data and the course of the optimiser.
public struct TrainingSettings: Sendable, Equatable {
    public var seed: UInt64
    public var batchSize: Int
    /// The optimiser at the base learning rate η; the schedule scales η step by step.
    public var sgd: SGDConfig
    public var loss: LossFunction
    public var schedule: LearningRateSchedule
    /// β of the weights' exponential moving average, which evaluation uses; 0 = no averaging.
    public var averageDecay: Float

    public init(seed: UInt64, batchSize: Int, sgd: SGDConfig, loss: LossFunction,
                schedule: LearningRateSchedule = .constant, averageDecay: Float = 0) {
        self.seed = seed
        self.batchSize = batchSize
        self.sgd = sgd
        self.loss = loss
        self.schedule = schedule
        self.averageDecay = averageDecay
    }

    /// Whether anything beyond classic SGD is set: Nesterov, a schedule, weight averaging.
    var hasOptimiserExtras: Bool { sgd.nesterov || schedule != .constant || averageDecay != 0 }
}

/// Where a run stands.
public struct TrainingPosition: Sendable, Equatable {
    public var epochsCompleted: Int
    /// Batches of the next epoch already trained (non-zero only in a checkpoint saved mid-epoch).
    public var batchesIntoEpoch: Int
    /// The shuffling generator's state after the last completed epoch.
    var rngState: UInt64

    init(epochsCompleted: Int = 0, batchesIntoEpoch: Int = 0, rngState: UInt64) {
        self.epochsCompleted = epochsCompleted
        self.batchesIntoEpoch = batchesIntoEpoch
        self.rngState = rngState
    }

    /// Whether the run is part-way into an epoch or past its first.
    public var hasStarted: Bool { epochsCompleted > 0 || batchesIntoEpoch > 0 }
}

/// The epoch so far, when a run stopped mid-epoch: its summed loss, hits and samples, and which
/// hidden units had fired, so the resumed epoch reports (and records) the whole epoch's figures.
public struct PartialEpoch: Sendable, Equatable {
    var lossSum = 0.0
    var correct = 0
    var samples = 0
    /// With ReLU-like units: which hidden units had fired so far (the PACT section).
    var firedUnits: [Bool]?

    init() {}
}

/// The epoch with the best validation accuracy so far (the earliest of equals).
public struct BestEpoch: Sendable, Equatable {
    public var epoch: Int
    public var accuracy: Float

    init(epoch: Int, accuracy: Float) {
        self.epoch = epoch
        self.accuracy = accuracy
    }
}

extension TrainingState {
    mutating func finishEpoch(shuffleState: UInt64) {
        position.epochsCompleted += 1
        position.batchesIntoEpoch = 0
        position.rngState = shuffleState
        partialEpoch = PartialEpoch()
    }

    /// The current epoch's figures so far: empty at an epoch's start, else what the partial epoch kept.
    func epochSoFar() -> EpochStats {
        var epoch = EpochStats(epoch: position.epochsCompleted + 1)
        if position.batchesIntoEpoch > 0 {
            epoch.lossSum = partialEpoch.lossSum
            epoch.correct = partialEpoch.correct
            epoch.samples = partialEpoch.samples
        }
        return epoch
    }

    mutating func keepPartial(_ epoch: EpochStats) {
        (partialEpoch.lossSum, partialEpoch.correct, partialEpoch.samples) = (epoch.lossSum, epoch.correct, epoch.samples)
    }

    mutating func record(_ epoch: EpochStats, onValidation: Bool) {
        trainLoss = Float(epoch.meanLoss)
        // A validation figure is not a test figure: with a split, the test accuracy stays unknown
        // until the caller reads the test set once, at the end.
        if !onValidation { testAccuracy = Float(epoch.evaluationAccuracy) }
        history.append(EpochRecord(epoch, onValidation: onValidation))
    }
}
