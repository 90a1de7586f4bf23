/// The checkpoint sections that carry a `TrainingState` beyond the header's fixed fields
/// (docs/checkpoint.md): PART and PACT for an epoch stopped part-way, OPTM for the optimiser's
/// extras and the best epoch. Each is written only when it says something, so every state has
/// one encoding.
extension TrainingState {
    /// The PART section: f64 summed loss, u32 hits, u32 samples of the epoch so far.
    func encodedPartial() -> [UInt8]? {
        guard position.batchesIntoEpoch > 0 && partialEpoch.samples > 0 else { return nil }
        var out = ByteWriter()
        out.u64(partialEpoch.lossSum.bitPattern)
        out.u32(UInt32(truncatingIfNeeded: partialEpoch.correct))
        out.u32(UInt32(truncatingIfNeeded: partialEpoch.samples))
        return out.bytes
    }

    mutating func decodePartial(_ payload: [UInt8]) throws(CheckpointError) {
        guard payload.count == 16 else { throw .badSection(tag: "PART", reason: "holds \(payload.count) bytes, not 16") }
        guard position.batchesIntoEpoch > 0 else { throw .badSection(tag: "PART", reason: "the file is not stopped mid-epoch") }
        var input = ByteReader(bytes: payload, offset: 0)
        partialEpoch.lossSum = Double(bitPattern: input.u64())
        partialEpoch.correct = Int(input.u32())
        partialEpoch.samples = Int(input.u32())
        guard partialEpoch.samples > 0 else { throw .badSection(tag: "PART", reason: "it counts no samples") }
    }

    /// The PACT section: u32 hidden units H, then ⌈H/8⌉ bytes, bit j % 8 of byte j / 8 set when
    /// unit j has fired so far in the interrupted epoch.
    func encodedFiredUnits() -> [UInt8]? {
        guard position.batchesIntoEpoch > 0, let fired = partialEpoch.firedUnits else { return nil }
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
        guard position.batchesIntoEpoch > 0 else { throw .badSection(tag: "PACT", reason: "the file is not stopped mid-epoch") }
        var input = ByteReader(bytes: payload, offset: 0)
        guard Int(input.u32()) == hidden else { throw .badSection(tag: "PACT", reason: "its unit count is not the hidden layer's \(hidden)") }
        let bytes = input.raw(payload.count - 4)
        guard hidden % 8 == 0 || bytes.last! >> (hidden % 8) == 0 else { throw .badSection(tag: "PACT", reason: "bits set past the last unit") }
        partialEpoch.firedUnits = (0..<hidden).map { bytes[$0 / 8] >> ($0 % 8) & 1 == 1 }
    }

    /// The OPTM section: u8 Nesterov, u8 schedule shape (0 constant, 1 step, 2 cosine), u32 step
    /// epochs, f32 step factor, u32 warm-up epochs, f32 averaging β, u32 best epoch (0: none),
    /// f32 its accuracy (NaN: none).
    func encodedOptimiser() -> [UInt8]? {
        guard settings.hasOptimiserExtras || best != nil else { return nil }
        var out = ByteWriter()
        out.u8(settings.sgd.nesterov ? 1 : 0)
        switch settings.schedule.shape {
        case .constant: out.u8(0); out.u32(0); out.f32(1)
        case let .step(epochs, factor): out.u8(1); out.u32(UInt32(truncatingIfNeeded: epochs)); out.f32(factor)
        case .cosine: out.u8(2); out.u32(0); out.f32(1)
        }
        out.u32(UInt32(truncatingIfNeeded: settings.schedule.warmupEpochs))
        out.f32(settings.averageDecay)
        out.u32(UInt32(truncatingIfNeeded: best?.epoch ?? 0))
        out.f32(best?.accuracy ?? .notMeasured)
        return out.bytes
    }

    mutating func decodeOptimiser(_ payload: [UInt8]) throws(CheckpointError) {
        guard payload.count == 26 else { throw .badSection(tag: "OPTM", reason: "holds \(payload.count) bytes, not 26") }
        var input = ByteReader(bytes: payload, offset: 0)
        let nesterovFlag = input.u8(), shapeCode = input.u8(), stepEpochs = Int(input.u32()), factor = input.f32()
        let warmup = Int(input.u32()), decay = input.f32(), bestEpoch = Int(input.u32()), bestAccuracy = input.f32()
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
        settings.sgd.nesterov = nesterovFlag == 1
        settings.schedule = LearningRateSchedule(shape, warmupEpochs: warmup)
        settings.averageDecay = decay
        guard bestEpoch > 0 || bestAccuracy.isNotMeasured else {
            throw .badSection(tag: "OPTM", reason: "an accuracy (\(hex(bestAccuracy.bitPattern))) for no best epoch")
        }
        best = bestEpoch > 0 ? BestEpoch(epoch: bestEpoch, accuracy: bestAccuracy) : nil
        guard settings.hasOptimiserExtras || best != nil else { throw .badSection(tag: "OPTM", reason: "it sets nothing") }
    }
}

extension Float {
    /// What a model file holds where a figure was not measured: the quiet NaN 0x7FC00000, exactly,
    /// so a file decodes and encodes to the same bytes.
    static let notMeasured = Float(bitPattern: 0x7FC0_0000)

    var isNotMeasured: Bool { bitPattern == Self.notMeasured.bitPattern }
}
