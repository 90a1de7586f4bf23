import CZlib

/// How a model was trained, saved alongside it so training can resume and reports can say how it
/// was made. Float fields compare by bit pattern, so a NaN ("not measured") equals itself.
public struct TrainingMetadata: Sendable, Equatable {
    public var epochsCompleted: Int
    /// Batches of the next epoch already trained (non-zero only in a checkpoint saved mid-epoch).
    public var batchesIntoEpoch: Int
    public var seed: UInt64
    /// The shuffling generator's state after the last completed epoch.
    public var rngState: UInt64
    public var batchSize: Int
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    public var loss: LossFunction
    /// Mean training loss of the last epoch; NaN = not measured.
    public var trainLoss: Float
    /// Test accuracy after the last epoch, 0...1; NaN = not measured.
    public var testAccuracy: Float

    public init(epochsCompleted: Int, batchesIntoEpoch: Int = 0, seed: UInt64, rngState: UInt64, batchSize: Int,
                learningRate: Float, momentum: Float, weightDecay: Float, loss: LossFunction,
                trainLoss: Float = .nan, testAccuracy: Float = .nan) {
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
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.epochsCompleted == r.epochsCompleted && l.batchesIntoEpoch == r.batchesIntoEpoch && l.seed == r.seed && l.rngState == r.rngState
            && l.batchSize == r.batchSize && l.loss == r.loss
            && [l.learningRate, l.momentum, l.weightDecay, l.trainLoss, l.testAccuracy].map(\.bitPattern)
                == [r.learningRate, r.momentum, r.weightDecay, r.trainLoss, r.testAccuracy].map(\.bitPattern)
    }
}

/// A model file: the network, the input normalisation it was trained with ((x − shift) · scale,
/// per input), training metadata and, optionally, the optimiser's velocity. Format: docs/checkpoint.md.
public struct Checkpoint: Sendable, Equatable {
    public var model: MLP
    public var normalisationShift: [Float]
    public var normalisationScale: [Float]
    public var metadata: TrainingMetadata
    public var velocity: [Float]?

    public init(model: MLP, normalisationShift: [Float], normalisationScale: [Float],
                metadata: TrainingMetadata, velocity: [Float]? = nil) {
        self.model = model
        self.normalisationShift = normalisationShift
        self.normalisationScale = normalisationScale
        self.metadata = metadata
        self.velocity = velocity
    }

    static let magic: [UInt8] = Array("MNISTMLP".utf8)
    static let version: UInt32 = 1
    /// Bytes of the fixed fields between the header-length field and the first blob.
    static let headerLength: UInt32 = 64
    /// magic, version, header length.
    static let preambleLength = 16
    static let limits = (inputs: 1 << 24, hidden: 1 << 20, outputs: 1 << 16)

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
        out.u8(metadata.loss.code)
        out.u8(writesVelocity ? 1 : 0)
        out.u8(0)
        out.u32(UInt32(truncatingIfNeeded: metadata.epochsCompleted))
        out.u32(UInt32(truncatingIfNeeded: metadata.batchesIntoEpoch))
        out.u64(metadata.seed)
        out.u64(metadata.rngState)
        out.u32(UInt32(truncatingIfNeeded: metadata.batchSize))
        for value in [metadata.learningRate, metadata.momentum, metadata.weightDecay,
                      metadata.trainLoss, metadata.testAccuracy] { out.f32(value) }
        for i in 0..<shape.inputs { out.f32(i < normalisationShift.count ? normalisationShift[i] : 0) }
        for i in 0..<shape.inputs { out.f32(i < normalisationScale.count ? normalisationScale[i] : 1) }
        for value in model.parameters { out.f32(value) }
        if writesVelocity, let velocity { for value in velocity { out.f32(value) } }
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
        guard version == Self.version else { throw .unsupportedVersion(found: Int(version), supported: Int(Self.version)) }
        guard bytes.count >= minimum else { throw .truncated(expected: minimum + 4, found: bytes.count) }
        let headerLength = input.u32()
        guard headerLength == Self.headerLength else {
            throw .badHeaderLength(found: Int(headerLength), expected: Int(Self.headerLength))
        }
        let inputs = Int(input.u32()), hidden = Int(input.u32()), outputs = Int(input.u32())
        let activationCode = input.u8(), lossCode = input.u8(), flags = input.u8(), padding = input.u8()
        for (field, value, limit) in [("inputs", inputs, Self.limits.inputs), ("hidden", hidden, Self.limits.hidden),
                                      ("outputs", outputs, Self.limits.outputs)] where value == 0 || value > limit {
            throw .sizeOutOfRange(field: field, value: value, limit: limit)
        }
        let shape = MLPShape(inputs: inputs, hidden: hidden, outputs: outputs)
        let hasVelocity = flags & 1 != 0
        // Within the limits above, every count fits easily in Int; the total is still computed checked.
        let floats = 2 * inputs + shape.parameterCount * (hasVelocity ? 2 : 1)
        let (blobBytes, overflow) = floats.multipliedReportingOverflow(by: 4)
        let expected = minimum + blobBytes + 4
        guard !overflow else { throw .sizeOutOfRange(field: "total", value: floats, limit: Int.max / 4) }
        guard bytes.count >= expected else { throw .truncated(expected: expected, found: bytes.count) }
        guard bytes.count == expected else { throw .trailingBytes(expected: expected, found: bytes.count) }

        let stored = ByteReader(bytes: bytes, offset: expected - 4).peekU32()
        let computed = crc(bytes[..<(expected - 4)])
        guard stored == computed else { throw .badCRC(stored: stored, computed: computed) }

        guard let activation = Activation(code: activationCode) else { throw .unknownActivation(code: activationCode) }
        guard let loss = LossFunction(code: lossCode) else { throw .unknownLoss(code: lossCode) }
        guard flags & ~1 == 0, padding == 0 else { throw .unknownFlags(flags: flags, padding: padding) }

        let epochs = Int(input.u32()), batchesIntoEpoch = Int(input.u32()), seed = input.u64(), rngState = input.u64(), batchSize = Int(input.u32())
        let learningRate = input.f32(), momentum = input.f32(), weightDecay = input.f32()
        let trainLoss = input.f32(), testAccuracy = input.f32()
        metadata = TrainingMetadata(epochsCompleted: epochs, batchesIntoEpoch: batchesIntoEpoch, seed: seed, rngState: rngState, batchSize: batchSize,
                                    learningRate: learningRate, momentum: momentum, weightDecay: weightDecay,
                                    loss: loss, trainLoss: trainLoss, testAccuracy: testAccuracy)
        normalisationShift = input.f32s(inputs)
        normalisationScale = input.f32s(inputs)
        model = MLP(unchecked: shape, activation, input.f32s(shape.parameterCount))
        velocity = hasVelocity ? input.f32s(shape.parameterCount) : nil
    }
}

public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case badMagic
    case unsupportedVersion(found: Int, supported: Int)
    case badHeaderLength(found: Int, expected: Int)
    case sizeOutOfRange(field: String, value: Int, limit: Int)
    case truncated(expected: Int, found: Int)
    case trailingBytes(expected: Int, found: Int)
    case badCRC(stored: UInt32, computed: UInt32)
    case unknownActivation(code: UInt8)
    case unknownLoss(code: UInt8)
    case unknownFlags(flags: UInt8, padding: UInt8)

    public var description: String {
        switch self {
        case .badMagic:
            "not an mnist-cli model file (it does not start with \"MNISTMLP\"); pass a file written by `mnist-cli train`"
        case let .unsupportedVersion(found, supported):
            "model file format version \(found) is not supported (this mnist-cli reads version \(supported)); retrain or use a matching mnist-cli"
        case let .badHeaderLength(found, expected):
            "header length is \(found) bytes but version 1 has \(expected); the file is damaged, retrain"
        case let .sizeOutOfRange(field, value, limit):
            "\(field) size \(value) is outside 1...\(limit); the file is damaged, retrain"
        case let .truncated(expected, found):
            "file is truncated: \(found) bytes where its header needs \(expected); copy it again or retrain"
        case let .trailingBytes(expected, found):
            "file has \(found - expected) unexpected bytes after its end (\(found) bytes, expected \(expected)); copy it again or retrain"
        case let .badCRC(stored, computed):
            "checksum mismatch (stored \(hex(stored)), computed \(hex(computed))): the file is corrupted; copy it again or retrain"
        case let .unknownActivation(code):
            "unknown activation code \(code); retrain or use a newer mnist-cli"
        case let .unknownLoss(code):
            "unknown loss code \(code); retrain or use a newer mnist-cli"
        case let .unknownFlags(flags, padding):
            "unknown flag bits (flags \(flags), padding \(padding)); retrain or use a newer mnist-cli"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}

/// IEEE CRC-32 (zlib's crc32) of `bytes`.
func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
        var value = crc32(0, nil, 0)
        var start = buffer.baseAddress, remaining = buffer.count
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            value = crc32(value, start, UInt32(chunk))
            start! += chunk
            remaining -= chunk
        }
        return UInt32(truncatingIfNeeded: value)
    }
}

extension Activation {
    var code: UInt8 {
        switch self { case .relu: 0; case .sigmoid: 1; case .tanh: 2 }
    }

    init?(code: UInt8) {
        switch code { case 0: self = .relu; case 1: self = .sigmoid; case 2: self = .tanh; default: return nil }
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

/// Little-endian appends.
private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
}

/// Little-endian reads; the caller has checked the length first.
private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    func peekU32() -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    mutating func u8() -> UInt8 {
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() -> UInt32 {
        defer { offset += 4 }
        return peekU32()
    }

    mutating func u64() -> UInt64 {
        let low = UInt64(u32())
        return low | UInt64(u32()) << 32
    }

    mutating func f32() -> Float { Float(bitPattern: u32()) }

    mutating func f32s(_ count: Int) -> [Float] {
        let start = offset
        offset += 4 * count
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self))) }
        }
    }
}
