import CZlib

/// A model file: the network, the input normalisation it was trained with ((x − shift) · scale,
/// per input), the training state, optionally the optimiser's velocity, and tagged sections: what
/// data it was trained on, and any sections a newer mnist-cli wrote (kept as they are).
/// Format: docs/checkpoint.md.
public struct Checkpoint: Sendable, Equatable {
    public var model: MLP
    public var normalisationShift: [Float]
    public var normalisationScale: [Float]
    public var state: TrainingState
    public var velocity: [Float]?
    /// The training data, when the model was trained by a version that records it.
    public var provenance: DataProvenance?
    /// The weights SGD is at, when `model` holds other weights (their moving average, or the best
    /// epoch's): what training resumes from. Parameter layout.
    public var trainingParameters: [Float]?
    /// The weights' moving average as it stands, when `model` holds another epoch's (the best
    /// one's): what averaging resumes from. Parameter layout.
    public var averageParameters: [Float]?
    /// The name of each output class ("T-shirt/top", …), when the data came with names; nil for
    /// plain class numbers (digits).
    public var classNames: [String]?
    /// How a picture becomes this model's input: the input form's name ("digit", "object", "none");
    /// nil for files from before forms were recorded, which are all MNIST's digit form.
    public var inputForm: String?
    /// The published dataset the model was trained on ("Fashion-MNIST"), when it was recognised.
    public var datasetName: String?
    /// Adam's settings, steps and moments, when the model was trained with Adam (nil: SGD).
    public var adam: AdamState?
    /// The probability with which training dropped each hidden unit; nil for no dropout.
    public var dropoutRate: Float?
    /// Sections this version does not know, in file order, written back unchanged.
    public var otherSections: [CheckpointSection] = []

    public init(model: MLP, normalisationShift: [Float], normalisationScale: [Float],
                state: TrainingState, velocity: [Float]? = nil, provenance: DataProvenance? = nil) {
        self.model = model
        self.normalisationShift = normalisationShift
        self.normalisationScale = normalisationScale
        self.state = state
        self.velocity = velocity
        self.provenance = provenance
    }

    static let magic: [UInt8] = Array("MNISTMLP".utf8)
    /// Version 2 adds tagged sections after the blobs; version 1 files (none) still load.
    static let version: UInt32 = 2
    static let readableVersions: ClosedRange<UInt32> = 1...2
    /// Bytes of the fixed fields between the header-length field and the first blob.
    static let headerLength: UInt32 = 64
    /// magic, version, header length.
    static let preambleLength = 16
    static let limits = (inputs: 1 << 24, hidden: 1 << 20, outputs: 1 << 16)
    /// Section tag and payload length.
    static let sectionHeaderLength = 8
    static let provenanceTag = "DATA", optimiserTag = "OPTM", trainingParametersTag = "LIVE", averageTag = "AVRG",
                partialTag = "PART", historyTag = "HIST", leakTag = "LEAK", classNamesTag = "NAME",
                firedUnitsTag = "PACT", inputFormTag = "FORM", datasetTag = "DSET", absoluteFolderTag = "DABS"
    static let knownTags: Set<String> = [provenanceTag, optimiserTag, trainingParametersTag, averageTag, partialTag,
                                         historyTag, leakTag, classNamesTag, firedUnitsTag, inputFormTag, datasetTag,
                                         OptimiserSections.adamTag, OptimiserSections.dropoutTag, absoluteFolderTag]

    /// Every completed epoch of the run that made this file, oldest first; empty for older files.
    public var history: [EpochRecord] {
        get { state.history }
        set { state.history = newValue }
    }

    /// The file's bytes. Normalisation vectors are written `inputs` long (a short one is padded with
    /// shift 0 / scale 1); a velocity is written only when it has the parameter count.
    public func encoded() -> [UInt8] {
        let shape = model.shape
        let writesVelocity = velocity?.count == shape.parameterCount
        var out = ByteWriter()
        out.bytes.reserveCapacity(Self.preambleLength + Int(Self.headerLength) + 4
            + 4 * (2 * shape.inputs + shape.parameterCount * (writesVelocity ? 2 : 1)))
        out.bytes += Self.magic
        out.u32(Self.version)
        out.u32(Self.headerLength)
        out.u32(UInt32(truncatingIfNeeded: shape.inputs))
        out.u32(UInt32(truncatingIfNeeded: shape.hidden))
        out.u32(UInt32(truncatingIfNeeded: shape.outputs))
        out.u8(model.activation.code)
        out.u8(state.settings.loss.code)
        // At most 255 sections: their count is one byte.
        let sections = (knownSections + otherSections).prefix(Int(UInt8.max))
        out.u8(writesVelocity ? 1 : 0)
        out.u8(UInt8(sections.count))
        let position = state.position, settings = state.settings
        out.u32(UInt32(truncatingIfNeeded: position.epochsCompleted))
        out.u32(UInt32(truncatingIfNeeded: position.batchesIntoEpoch))
        out.u64(settings.seed)
        out.u64(position.rngState)
        out.u32(UInt32(truncatingIfNeeded: settings.batchSize))
        // NaN where not measured.
        for value in [settings.sgd.learningRate, settings.sgd.momentum, settings.sgd.weightDecay,
                      state.trainLoss ?? .notMeasured, state.testAccuracy ?? .notMeasured] { out.f32(value) }
        for i in 0..<shape.inputs { out.f32(i < normalisationShift.count ? normalisationShift[i] : 0) }
        for i in 0..<shape.inputs { out.f32(i < normalisationScale.count ? normalisationScale[i] : 1) }
        for value in model.parameters { out.f32(value) }
        if writesVelocity, let velocity { for value in velocity { out.f32(value) } }
        for section in sections {
            out.bytes += section.tag.utf8
            out.u32(UInt32(truncatingIfNeeded: section.payload.count))
            out.bytes += section.payload
        }
        out.u32(crc(out.bytes[...]))
        return out.bytes
    }

    /// Parses and checks a model file; every way it can be wrong has its own error.
    public init(decoding bytes: [UInt8]) throws(CheckpointError) {
        let magicSeen = Array(bytes.prefix(Self.magic.count))
        guard magicSeen == Array(Self.magic.prefix(magicSeen.count)) else { throw .badMagic }
        let minimum = Self.preambleLength + Int(Self.headerLength)
        guard bytes.count >= 12 else { throw .truncated(expected: minimum + 4, found: bytes.count) }
        var input = ByteReader(bytes: bytes, offset: 8)
        let version = input.u32()
        guard Self.readableVersions.contains(version) else {
            throw .unsupportedVersion(found: Int(version), supported: Int(Self.version))
        }
        guard bytes.count >= minimum else { throw .truncated(expected: minimum + 4, found: bytes.count) }
        let headerLength = input.u32()
        guard headerLength == Self.headerLength else {
            throw .badHeaderLength(found: Int(headerLength), expected: Int(Self.headerLength))
        }
        let inputs = Int(input.u32()), hidden = Int(input.u32()), outputs = Int(input.u32())
        // Byte 31 was padding (0) in version 1; version 2 counts the sections in it.
        let activationCode = input.u8(), lossCode = input.u8(), flags = input.u8(), sectionCount = input.u8()
        for (field, value, limit) in [("inputs", inputs, Self.limits.inputs), ("hidden", hidden, Self.limits.hidden),
                                      ("outputs", outputs, Self.limits.outputs)] where value == 0 || value > limit {
            throw .sizeOutOfRange(field: field, value: value, limit: limit)
        }
        let shape = MLPShape(inputs: inputs, hidden: hidden, outputs: outputs)
        let hasVelocity = flags & 1 != 0
        // Within the limits above, every count fits easily in Int; the total is still computed checked.
        let floats = 2 * inputs + shape.parameterCount * (hasVelocity ? 2 : 1)
        let (blobBytes, overflow) = floats.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw .sizeOutOfRange(field: "total", value: floats, limit: Int.max / 4) }
        let blobsEnd = minimum + blobBytes
        guard bytes.count >= blobsEnd + 4 else { throw .truncated(expected: blobsEnd + 4, found: bytes.count) }
        let sectionSpans = version == 1 ? [] : try Self.sectionSpans(bytes, count: Int(sectionCount), from: blobsEnd)
        let expected = (sectionSpans.last?.upperBound ?? blobsEnd) + 4
        guard bytes.count == expected else { throw .trailingBytes(expected: expected, found: bytes.count) }

        let stored = ByteReader(bytes: bytes, offset: expected - 4).peekU32()
        let computed = crc(bytes[..<(expected - 4)])
        guard stored == computed else { throw .badCRC(stored: stored, computed: computed) }

        guard let activation = Activation(code: activationCode) else { throw .unknownActivation(code: activationCode) }
        guard let loss = LossFunction(code: lossCode) else { throw .unknownLoss(code: lossCode) }
        guard flags & ~1 == 0, version > 1 || sectionCount == 0 else { throw .unknownFlags(flags: flags, padding: sectionCount) }

        let epochs = Int(input.u32()), batchesIntoEpoch = Int(input.u32()), seed = input.u64(), rngState = input.u64(), batchSize = Int(input.u32())
        let learningRate = input.f32(), momentum = input.f32(), weightDecay = input.f32()
        let trainLoss = input.f32(), testAccuracy = input.f32()
        // "Not measured" is the one NaN mnist-cli writes; another NaN would not be written back as it was.
        for (field, value) in [("train loss", trainLoss), ("test accuracy", testAccuracy)] where value.isNaN && !value.isNotMeasured {
            throw .badField(field: field, reason: "a NaN with payload \(hex(value.bitPattern)) (not measured is \(hex(Float.notMeasured.bitPattern)))")
        }
        state = TrainingState(
            settings: TrainingSettings(seed: seed, batchSize: batchSize,
                                       sgd: SGDConfig(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay), loss: loss),
            position: TrainingPosition(epochsCompleted: epochs, batchesIntoEpoch: batchesIntoEpoch, rngState: rngState),
            trainLoss: trainLoss.isNaN ? nil : trainLoss, testAccuracy: testAccuracy.isNaN ? nil : testAccuracy)
        normalisationShift = input.f32s(inputs)
        normalisationScale = input.f32s(inputs)
        model = MLP(unchecked: shape, activation, input.f32s(shape.parameterCount))
        velocity = hasVelocity ? input.f32s(shape.parameterCount) : nil
        var seen: Set<String> = []
        var absoluteFolder: String?
        for span in sectionSpans {
            let section = CheckpointSection(tag: String(decoding: bytes[span.lowerBound..<(span.lowerBound + 4)], as: UTF8.self),
                                            payload: Array(bytes[(span.lowerBound + Self.sectionHeaderLength)..<span.upperBound]))
            let known = Self.knownTags.contains(section.tag)
            guard !known || seen.insert(section.tag).inserted else { throw .badSection(tag: section.tag, reason: "appears twice") }
            switch section.tag {
            case Self.provenanceTag:
                provenance = try DataProvenance(decoding: section.payload)
            case Self.optimiserTag:
                try state.decodeOptimiser(section.payload)
            case Self.trainingParametersTag:
                trainingParameters = try Self.weights(section, count: shape.parameterCount)
            case Self.averageTag:
                averageParameters = try Self.weights(section, count: shape.parameterCount)
            case Self.partialTag:
                try state.decodePartial(section.payload)
            case Self.firedUnitsTag:
                try state.decodeFiredUnits(section.payload, hidden: hidden)
            case Self.historyTag:
                state.history = try HistoryCoding.decoded(section.payload)
            case Self.leakTag:
                model.leak = try Self.leak(section, activation: activation)
            case Self.classNamesTag:
                classNames = try ClassNames.decoded(section.payload, classes: outputs)
            case Self.inputFormTag:
                inputForm = try InputDescription.decodedForm(section.payload)
            case Self.datasetTag:
                datasetName = try InputDescription.decodedDataset(section.payload)
            case OptimiserSections.adamTag:
                adam = try OptimiserSections.adam(section, parameters: shape.parameterCount)
            case OptimiserSections.dropoutTag:
                dropoutRate = try OptimiserSections.dropoutRate(section)
            case Self.absoluteFolderTag:
                absoluteFolder = try DataProvenance.decodedAbsoluteFolder(section.payload)
            default:
                otherSections.append(section)
            }
        }
        // Every writer of leaky-relu models has written its slope beside it.
        if activation == .leakyRelu && version > 1 && !seen.contains(Self.leakTag) {
            throw .badSection(tag: Self.leakTag, reason: "a leaky-relu model without its slope")
        }
        if let absoluteFolder {
            guard provenance != nil else { throw .badSection(tag: Self.absoluteFolderTag, reason: "there is no DATA section for it to complete") }
            provenance?.absoluteFolder = absoluteFolder
        }
    }

    /// A section holding `count` weights.
    private static func weights(_ section: CheckpointSection, count: Int) throws(CheckpointError) -> [Float] {
        guard section.payload.count == 4 * count else {
            throw .badSection(tag: section.tag, reason: "holds \(section.payload.count) bytes, not \(count) weights")
        }
        var reader = ByteReader(bytes: section.payload, offset: 0)
        return reader.f32s(count)
    }

    /// LEAK: one f32, leaky ReLU's slope; only beside that activation, and always there (version 1
    /// files, which have no sections, use the default slope).
    private static func leak(_ section: CheckpointSection, activation: Activation) throws(CheckpointError) -> Float {
        guard activation == .leakyRelu else { throw .badSection(tag: section.tag, reason: "the activation is \(activation.rawValue), not leaky-relu") }
        guard section.payload.count == 4 else { throw .badSection(tag: section.tag, reason: "holds \(section.payload.count) bytes, not 4") }
        var reader = ByteReader(bytes: section.payload, offset: 0)
        let slope = reader.f32()
        guard slope.isFinite, (0..<1).contains(slope) else { throw .badSection(tag: section.tag, reason: "slope \(slope) is not in [0, 1)") }
        return slope
    }

    /// The sections this version writes, for what is set.
    private var knownSections: [CheckpointSection] {
        var sections: [CheckpointSection] = []
        if model.activation == .leakyRelu {
            var out = ByteWriter()
            out.f32(model.leak)
            sections.append(CheckpointSection(tag: Self.leakTag, payload: out.bytes))
        }
        if let classNames { sections.append(CheckpointSection(tag: Self.classNamesTag, payload: ClassNames.encoded(classNames))) }
        if let inputForm { sections.append(CheckpointSection(tag: Self.inputFormTag, payload: Array(inputForm.utf8))) }
        if let datasetName { sections.append(CheckpointSection(tag: Self.datasetTag, payload: Array(datasetName.utf8))) }
        if !history.isEmpty { sections.append(CheckpointSection(tag: Self.historyTag, payload: HistoryCoding.encoded(history))) }
        if let fired = state.encodedFiredUnits() { sections.append(CheckpointSection(tag: Self.firedUnitsTag, payload: fired)) }
        if let provenance { sections.append(CheckpointSection(tag: Self.provenanceTag, payload: provenance.encoded())) }
        if let folder = provenance?.encodedAbsoluteFolder() { sections.append(CheckpointSection(tag: Self.absoluteFolderTag, payload: folder)) }
        if let optimiser = state.encodedOptimiser() { sections.append(CheckpointSection(tag: Self.optimiserTag, payload: optimiser)) }
        if let adam, adam.firstMoment.count == model.shape.parameterCount, adam.secondMoment.count == model.shape.parameterCount {
            sections.append(CheckpointSection(tag: OptimiserSections.adamTag, payload: OptimiserSections.encoded(adam)))
        }
        if let dropoutRate { sections.append(CheckpointSection(tag: OptimiserSections.dropoutTag, payload: OptimiserSections.encoded(dropoutRate: dropoutRate))) }
        if let partial = state.encodedPartial() { sections.append(CheckpointSection(tag: Self.partialTag, payload: partial)) }
        for (tag, weights) in [(Self.trainingParametersTag, trainingParameters), (Self.averageTag, averageParameters)] {
            guard let weights, weights.count == model.shape.parameterCount else { continue }
            var out = ByteWriter()
            for value in weights { out.f32(value) }
            sections.append(CheckpointSection(tag: tag, payload: out.bytes))
        }
        return sections
    }

    /// Where each of the `count` sections lies, header included: they follow each other from
    /// `start`, and the CRC follows them. A section running past the end means the file was cut short.
    private static func sectionSpans(_ bytes: [UInt8], count: Int, from start: Int) throws(CheckpointError) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var offset = start
        for _ in 0..<count {
            guard bytes.count - offset >= sectionHeaderLength + 4 else {
                throw .truncated(expected: offset + sectionHeaderLength + 4, found: bytes.count)
            }
            let tag = bytes[offset..<(offset + 4)]
            guard tag.allSatisfy({ (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }) else {
                throw .badSection(tag: String(decoding: tag, as: UTF8.self), reason: "its tag is not four capital letters or digits")
            }
            let next = offset + sectionHeaderLength + Int(ByteReader(bytes: bytes, offset: offset + 4).peekU32())
            guard next + 4 <= bytes.count else { throw .truncated(expected: next + 4, found: bytes.count) }
            spans.append(offset..<next)
            offset = next
        }
        return spans
    }
}

/// A tagged part of a model file after the blobs: four capital letters or digits and a payload.
public struct CheckpointSection: Sendable, Equatable {
    public var tag: String
    public var payload: [UInt8]

    public init(tag: String, payload: [UInt8]) {
        self.tag = tag
        self.payload = payload
    }
}

/// IEEE CRC-32 of `bytes`, zlib's (crc32_z takes any length; MNISTData sums PNG chunks with the
/// same call, and the two modules never import each other).
func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
        UInt32(truncatingIfNeeded: crc32_z(0, buffer.baseAddress, buffer.count))
    }
}

extension Activation {
    var code: UInt8 {
        switch self { case .relu: 0; case .sigmoid: 1; case .tanh: 2; case .leakyRelu: 3 }
    }

    init?(code: UInt8) {
        switch code { case 0: self = .relu; case 1: self = .sigmoid; case 2: self = .tanh; case 3: self = .leakyRelu; default: return nil }
    }
}

extension LossFunction {
    var code: UInt8 {
        switch self { case .crossEntropy: 0; case .mse: 1 }
    }

    init?(code: UInt8) {
        switch code { case 0: self = .crossEntropy; case 1: self = .mse; default: return nil }
    }
}

