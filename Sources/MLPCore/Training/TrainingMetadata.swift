/// How a model was trained, saved alongside it so training can resume exactly and reports can
/// say how it was made. Float fields compare by bit pattern, so a NaN ("not measured") equals itself.
public struct TrainingMetadata: Sendable, Equatable {
    public var epochsCompleted: Int
    /// Batches of the next epoch already trained (non-zero only in a checkpoint saved mid-epoch).
    public var batchesIntoEpoch: Int
    public var seed: UInt64
    /// The shuffling generator's state after the last completed epoch.
    public var rngState: UInt64
    public var batchSize: Int
    /// The base learning rate η; the schedule scales it step by step.
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    public var loss: LossFunction
    /// Mean training loss of the last epoch; NaN = not measured.
    public var trainLoss: Float
    /// Test accuracy after the last epoch, 0...1; NaN = not measured.
    public var testAccuracy: Float
    public var nesterov: Bool
    public var schedule: LearningRateSchedule
    /// β of the weights' exponential moving average, which evaluation uses; 0 = no averaging.
    public var averageDecay: Float
    /// With a validation split: the epoch whose weights the model file keeps (the best validation
    /// accuracy so far) and that accuracy; 0 and NaN without.
    public var bestEpoch: Int = 0
    public var bestAccuracy: Float = .nan
    /// The epoch so far, when stopped mid-epoch: its summed loss, hits and samples, so a resumed
    /// epoch reports (and records) the whole epoch's figures.
    public var partialLossSum = 0.0
    public var partialCorrect = 0
    public var partialSamples = 0
    /// Stopped mid-epoch with ReLU-like units: which hidden units had fired so far in the epoch,
    /// so the resumed epoch's dead-unit count is the whole epoch's (the PACT section).
    public var partialFiredUnits: [Bool]?
    /// Every completed epoch, oldest first (empty for a file from before mnist-cli kept them).
    public var history: [EpochRecord] = []

    public init(epochsCompleted: Int, batchesIntoEpoch: Int = 0, seed: UInt64, rngState: UInt64, batchSize: Int,
                learningRate: Float, momentum: Float, weightDecay: Float, loss: LossFunction,
                trainLoss: Float = .nan, testAccuracy: Float = .nan,
                nesterov: Bool = false, schedule: LearningRateSchedule = .constant, averageDecay: Float = 0) {
        self.epochsCompleted = epochsCompleted
        self.batchesIntoEpoch = batchesIntoEpoch
        self.seed = seed
        self.rngState = rngState
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.loss = loss
        self.trainLoss = trainLoss
        self.testAccuracy = testAccuracy
        self.nesterov = nesterov
        self.schedule = schedule
        self.averageDecay = averageDecay
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.epochsCompleted == r.epochsCompleted && l.batchesIntoEpoch == r.batchesIntoEpoch && l.seed == r.seed && l.rngState == r.rngState
            && l.batchSize == r.batchSize && l.loss == r.loss && l.nesterov == r.nesterov && l.schedule == r.schedule
            && l.bestEpoch == r.bestEpoch && l.partialCorrect == r.partialCorrect && l.partialSamples == r.partialSamples
            && l.partialLossSum.bitPattern == r.partialLossSum.bitPattern && l.history == r.history
            && l.partialFiredUnits == r.partialFiredUnits
            && [l.learningRate, l.momentum, l.weightDecay, l.trainLoss, l.testAccuracy, l.averageDecay, l.bestAccuracy].map(\.bitPattern)
                == [r.learningRate, r.momentum, r.weightDecay, r.trainLoss, r.testAccuracy, r.averageDecay, r.bestAccuracy].map(\.bitPattern)
    }
}

extension TrainingMetadata {
    /// A run about to start from fresh weights made with `seed` (see `MLP(shape:activation:seed:)`).
    public static func starting(seed: UInt64, batchSize: Int, sgd: SGDConfig, loss: LossFunction,
                                schedule: LearningRateSchedule = .constant, averageDecay: Float = 0) -> TrainingMetadata {
        TrainingMetadata(epochsCompleted: 0, seed: seed, rngState: shuffleSeed(seed), batchSize: batchSize,
                         learningRate: sgd.learningRate, momentum: sgd.momentum, weightDecay: sgd.weightDecay, loss: loss,
                         nesterov: sgd.nesterov, schedule: schedule, averageDecay: averageDecay)
    }

    /// The shuffling stream's seed: another stream than the initial weights', from the same seed.
    static func shuffleSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x9E37_79B9_7F4A_7C15 }

    /// The optimiser settings the run trains with, at the base learning rate.
    public var sgd: SGDConfig {
        SGDConfig(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay, nesterov: nesterov)
    }

    /// Whether the run is part-way into an epoch or past its first.
    public var hasStarted: Bool { epochsCompleted > 0 || batchesIntoEpoch > 0 }

    mutating func finishEpoch(shuffleState: UInt64) {
        epochsCompleted += 1
        batchesIntoEpoch = 0
        rngState = shuffleState
        (partialLossSum, partialCorrect, partialSamples) = (0, 0, 0)
        partialFiredUnits = nil
    }

    /// The current epoch's figures so far: empty at an epoch's start, else what the partial
    /// fields kept.
    func epochSoFar() -> EpochStats {
        var epoch = EpochStats(epoch: epochsCompleted + 1)
        if batchesIntoEpoch > 0 {
            epoch.lossSum = partialLossSum
            epoch.correct = partialCorrect
            epoch.samples = partialSamples
        }
        return epoch
    }

    mutating func keepPartial(_ epoch: EpochStats) {
        (partialLossSum, partialCorrect, partialSamples) = (epoch.lossSum, epoch.correct, epoch.samples)
    }

    /// The PART section: f64 summed loss, u32 hits, u32 samples of the epoch so far.
    func encodedPartial() -> [UInt8] {
        var out = ByteWriter()
        out.u64(partialLossSum.bitPattern)
        out.u32(UInt32(truncatingIfNeeded: partialCorrect))
        out.u32(UInt32(truncatingIfNeeded: partialSamples))
        return out.bytes
    }

    mutating func decodePartial(_ payload: [UInt8]) throws(CheckpointError) {
        guard payload.count == 16 else { throw .badSection(tag: "PART", reason: "holds \(payload.count) bytes, not 16") }
        // Written only mid-epoch, so that every file has one encoding.
        guard batchesIntoEpoch > 0 else { throw .badSection(tag: "PART", reason: "the file is not stopped mid-epoch") }
        var input = ByteReader(bytes: payload, offset: 0)
        partialLossSum = Double(bitPattern: input.u64())
        partialCorrect = Int(input.u32())
        partialSamples = Int(input.u32())
        guard partialSamples > 0 else { throw .badSection(tag: "PART", reason: "it counts no samples") }
    }

    /// The PACT section: u32 hidden units H, then ⌈H/8⌉ bytes, bit j % 8 of byte j / 8 set when
    /// unit j has fired so far in the interrupted epoch.
    func encodedFiredUnits() -> [UInt8]? {
        guard batchesIntoEpoch > 0, let fired = partialFiredUnits else { return nil }
        var out = ByteWriter()
        out.u32(UInt32(truncatingIfNeeded: fired.count))
        for start in stride(from: 0, to: fired.count, by: 8) {
            out.u8(fired[start..<min(start + 8, fired.count)].enumerated().reduce(0) { $0 | ($1.element ? 1 << $1.offset : 0) })
        }
        return out.bytes
    }

    mutating func decodeFiredUnits(_ payload: [UInt8], hidden: Int) throws(CheckpointError) {
        let expected = 4 + (hidden + 7) / 8
        guard payload.count == expected else { throw .badSection(tag: "PACT", reason: "holds \(payload.count) bytes, not \(expected)") }
        guard batchesIntoEpoch > 0 else { throw .badSection(tag: "PACT", reason: "the file is not stopped mid-epoch") }
        var input = ByteReader(bytes: payload, offset: 0)
        guard Int(input.u32()) == hidden else { throw .badSection(tag: "PACT", reason: "its unit count is not the hidden layer's \(hidden)") }
        let bytes = input.raw(payload.count - 4)
        guard hidden % 8 == 0 || bytes.last! >> (hidden % 8) == 0 else { throw .badSection(tag: "PACT", reason: "bits set past the last unit") }
        partialFiredUnits = (0..<hidden).map { bytes[$0 / 8] >> ($0 % 8) & 1 == 1 }
    }

    mutating func record(_ epoch: EpochStats, onValidation: Bool) {
        trainLoss = Float(epoch.meanLoss)
        // A validation figure is not a test figure: with a split, the test accuracy stays unknown
        // (NaN) until the caller reads the test set once, at the end.
        if !onValidation { testAccuracy = Float(epoch.evaluationAccuracy) }
        history.append(EpochRecord(epoch, onValidation: onValidation))
    }
}

extension TrainingMetadata {
    /// Whether anything beyond classic SGD is set: Nesterov, a schedule, weight averaging, a best epoch.
    var hasOptimiserExtras: Bool { nesterov || schedule != .constant || averageDecay != 0 || bestEpoch != 0 }

    /// The OPTM section: u8 Nesterov, u8 schedule shape (0 constant, 1 step, 2 cosine), u32 step
    /// epochs, f32 step factor, u32 warm-up epochs, f32 averaging β, u32 best epoch, f32 its accuracy.
    func encodedOptimiser() -> [UInt8] {
        var out = ByteWriter()
        out.u8(nesterov ? 1 : 0)
        switch schedule.shape {
        case .constant: out.u8(0); out.u32(0); out.f32(1)
        case let .step(epochs, factor): out.u8(1); out.u32(UInt32(truncatingIfNeeded: epochs)); out.f32(factor)
        case .cosine: out.u8(2); out.u32(0); out.f32(1)
        }
        out.u32(UInt32(truncatingIfNeeded: schedule.warmupEpochs))
        out.f32(averageDecay)
        out.u32(UInt32(truncatingIfNeeded: bestEpoch))
        out.f32(bestAccuracy)
        return out.bytes
    }

    mutating func decodeOptimiser(_ payload: [UInt8]) throws(CheckpointError) {
        guard payload.count == 26 else { throw .badSection(tag: "OPTM", reason: "holds \(payload.count) bytes, not 26") }
        var input = ByteReader(bytes: payload, offset: 0)
        let nesterovFlag = input.u8(), shapeCode = input.u8(), stepEpochs = Int(input.u32()), factor = input.f32()
        let warmup = Int(input.u32()), decay = input.f32(), best = Int(input.u32()), bestAccuracy = input.f32()
        guard nesterovFlag <= 1 else { throw .badSection(tag: "OPTM", reason: "Nesterov flag \(nesterovFlag)") }
        let shape: LearningRateSchedule.Shape
        switch shapeCode {
        case 0: shape = .constant
        case 1: shape = .step(epochs: stepEpochs, factor: factor)
        case 2: shape = .cosine
        default: throw .badSection(tag: "OPTM", reason: "unknown schedule \(shapeCode)")
        }
        guard shapeCode == 1 || (stepEpochs == 0 && factor == 1) else {
            throw .badSection(tag: "OPTM", reason: "step settings on a schedule without steps")
        }
        nesterov = nesterovFlag == 1
        schedule = LearningRateSchedule(shape, warmupEpochs: warmup)
        averageDecay = decay
        bestEpoch = best
        self.bestAccuracy = bestAccuracy
        // Written only when something is set, so that every file has one encoding.
        guard hasOptimiserExtras else { throw .badSection(tag: "OPTM", reason: "it sets nothing") }
    }
}
