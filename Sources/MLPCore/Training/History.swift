/// One epoch of a training run as the model file remembers it, for learning curves and for
/// telling a healthy run from a sick one after the fact.
public struct EpochRecord: Equatable, Sendable {
    public var epoch: Int
    /// Mean training loss over the epoch.
    public var loss: Double
    public var trainAccuracy: Double
    /// With a validation split: its accuracy after the epoch.
    public var validationAccuracy: Double?
    /// Without one: the test split's accuracy after the epoch.
    public var testAccuracy: Double?
    /// The learning rate of the epoch's last step.
    public var learningRate: Double
    /// The fraction of hidden units that never fired during the epoch; nil for sigmoid and tanh.
    public var deadUnitFraction: Double?
    /// Wall-clock seconds of the epoch (of the part this process trained, for a resumed epoch);
    /// NaN in a record read from a model file, which does not store timings (see `HistoryCoding`).
    public var seconds: Double

    init(epoch: Int, loss: Double, trainAccuracy: Double, validationAccuracy: Double? = nil, testAccuracy: Double? = nil,
                learningRate: Double, deadUnitFraction: Double? = nil, seconds: Double) {
        self.epoch = epoch
        self.loss = loss
        self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy
        self.testAccuracy = testAccuracy
        self.learningRate = learningRate
        self.deadUnitFraction = deadUnitFraction
        self.seconds = seconds
    }

    /// By bit pattern, so a diverged epoch's NaN loss equals itself after a save and load.
    public static func == (l: Self, r: Self) -> Bool {
        l.epoch == r.epoch && l.fields.map { $0?.bitPattern } == r.fields.map { $0?.bitPattern }
    }

    private var fields: [Double?] {
        [loss, trainAccuracy, validationAccuracy, testAccuracy, learningRate, deadUnitFraction, seconds]
    }
}

extension EpochRecord {
    /// The record of an epoch the loop has just finished and evaluated on the validation split
    /// (`onValidation`) or the test split.
    init(_ stats: EpochStats, onValidation: Bool) {
        let held = stats.evaluation.map { $0.confusion.accuracy }
        self.init(epoch: stats.epoch, loss: stats.meanLoss, trainAccuracy: stats.trainAccuracy,
                  validationAccuracy: onValidation ? held : nil, testAccuracy: onValidation ? nil : held,
                  learningRate: decimalDouble(stats.learningRate), deadUnitFraction: stats.deadUnitFraction, seconds: stats.seconds)
    }
}

/// The HIST checkpoint section: u32 record count, then per record u32 epoch, u8 presence flags
/// (1 validation, 2 test, 4 dead units) and six f64 (loss, train accuracy, validation accuracy,
/// test accuracy, learning rate, dead-unit fraction; 0 where absent): 53 bytes each.
///
/// The seconds are not stored: the same seed must give the same model bytes, and a clock reading
/// in the file would make every run's bytes differ. A record read from a file has NaN seconds
/// (`train --log` keeps them).
enum HistoryCoding {
    static let recordLength = 53

    static func encoded(_ history: [EpochRecord]) -> [UInt8] {
        var out = ByteWriter()
        out.u32(UInt32(truncatingIfNeeded: history.count))
        for r in history {
            out.u32(UInt32(truncatingIfNeeded: r.epoch))
            out.u8((r.validationAccuracy != nil ? 1 : 0) | (r.testAccuracy != nil ? 2 : 0) | (r.deadUnitFraction != nil ? 4 : 0))
            for value in [r.loss, r.trainAccuracy, r.validationAccuracy ?? 0, r.testAccuracy ?? 0, r.learningRate,
                          r.deadUnitFraction ?? 0] { out.u64(value.bitPattern) }
        }
        return out.bytes
    }

    static func decoded(_ payload: [UInt8]) throws(CheckpointError) -> [EpochRecord] {
        guard payload.count >= 4 else { throw .badSection(tag: "HIST", reason: "holds \(payload.count) bytes, too few for its count") }
        var input = ByteReader(bytes: payload, offset: 0)
        let count = Int(input.u32())
        guard payload.count == 4 + count * recordLength else {
            throw .badSection(tag: "HIST", reason: "holds \(payload.count) bytes, not \(4 + count * recordLength) for \(count) epochs")
        }
        var history: [EpochRecord] = []
        history.reserveCapacity(count)
        for _ in 0..<count {
            let epoch = Int(input.u32()), flags = input.u8()
            guard flags & ~7 == 0 else { throw .badSection(tag: "HIST", reason: "unknown flags \(flags) for epoch \(epoch)") }
            let v = (0..<6).map { _ in Double(bitPattern: input.u64()) }
            history.append(EpochRecord(epoch: epoch, loss: v[0], trainAccuracy: v[1],
                                       validationAccuracy: flags & 1 != 0 ? v[2] : nil, testAccuracy: flags & 2 != 0 ? v[3] : nil,
                                       learningRate: v[4], deadUnitFraction: flags & 4 != 0 ? v[5] : nil, seconds: .nan))
        }
        return history
    }
}
