import Testing
import TestSupport
@testable import MLPCore

struct CheckpointTests {
    /// A small checkpoint with awkward values: an unmeasured loss, a NaN and a −0 among the parameters.
    /// With `sections`, it records its data and stops mid-epoch (DATA and PART sections); without,
    /// it stands at an epoch boundary and has none.
    func sample(velocity: Bool = true, sections: Bool = true) -> Checkpoint {
        let shape = MLPShape(inputs: 3, hidden: 2, outputs: 2)
        var parameters = variedWeights(shape.parameterCount)
        parameters[1] = .nan
        parameters[2] = -0.0
        let model = try! MLP(shape: shape, activation: .tanh, parameters: parameters)
        var state = TrainingState(
            settings: TrainingSettings(seed: 0xDEAD_BEEF_0123_4567, batchSize: 64, sgd: SGDConfig(learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4),
                                       loss: .mse),
            position: TrainingPosition(epochsCompleted: 3, batchesIntoEpoch: sections ? 17 : 0, rngState: 99),
            trainLoss: nil, testAccuracy: 0.875)
        if sections { (state.partialEpoch.lossSum, state.partialEpoch.correct, state.partialEpoch.samples) = (123.5, 900, 1088) }
        return Checkpoint(model: model, normalisationShift: [0.1, 0.2, 0.3], normalisationScale: [2, 3, 4],
                          state: state, velocity: velocity ? variedWeights(shape.parameterCount, phase: 1) : nil,
                          provenance: sections ? sampleProvenance : nil)
    }

    let sampleProvenance = DataProvenance(folder: "data/naïve set", train: SplitDigest(images: 60000, labels: 60000, checksum: 0xA8C9_1D78),
                                          test: SplitDigest(images: 10000, labels: 10001, checksum: 7))
    /// Bytes of the sample's DATA section: tag, length, then the folder's length and bytes and two digests.
    var provenanceSectionBytes: Int { 8 + 4 + "data/naïve set".utf8.count + 24 }

    /// The offsets of each section's tag and length, walking `count` sections from `start`.
    func sectionHeaders(_ bytes: [UInt8], from start: Int, count: Int) -> Set<Int> {
        var offsets: Set<Int> = [], offset = start
        for _ in 0..<count {
            offsets.formUnion(offset..<(offset + 8))
            offset += 8 + (0..<4).reduce(0) { $0 | Int(bytes[offset + 4 + $1]) << (8 * $1) }
        }
        return offsets
    }

    /// Where the sample's blobs end and its sections begin.
    func blobsEnd(_ checkpoint: Checkpoint) -> Int {
        16 + 64 + 4 * (2 * checkpoint.model.shape.inputs
                       + checkpoint.model.shape.parameterCount * (checkpoint.velocity == nil ? 1 : 2))
    }

    /// Rewrites a field and repairs the CRC, so only the field's own check can object.
    func patched(_ bytes: [UInt8], at offset: Int, _ values: [UInt8]) -> [UInt8] {
        var bytes = bytes
        bytes.replaceSubrange(offset..<(offset + values.count), with: values)
        let body = bytes.count - 4
        let value = crc(bytes[..<body])
        for i in 0..<4 { bytes[body + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
        return bytes
    }

    func decodeError(_ bytes: [UInt8]) -> CheckpointError? {
        caughtError { () throws(CheckpointError) in try Checkpoint(decoding: bytes) }
    }

    @Test(arguments: [true, false])
    func roundTripIsBitExact(velocity: Bool) throws {
        let original = sample(velocity: velocity)
        let bytes = original.encoded()
        let shape = original.model.shape
        // The sample stopped mid-epoch: a PART section (8 + 16 bytes) follows DATA.
        #expect(bytes.count == 16 + 64 + 4 * (2 * 3 + shape.parameterCount * (velocity ? 2 : 1)) + provenanceSectionBytes + 24 + 4)
        let decoded = try Checkpoint(decoding: bytes)
        #expect(decoded.model.parameters.bitPatterns == original.model.parameters.bitPatterns)
        #expect(decoded.velocity?.bitPatterns == original.velocity?.bitPatterns)
        #expect(decoded.state == original.state)
        #expect(decoded.state.trainLoss == nil && bytes[72..<76] == [0, 0, 0xC0, 0x7F], "not measured: NaN in the header's train-loss field")
        #expect(decoded.model.shape == shape && decoded.model.activation == .tanh)
        #expect(decoded.normalisationShift == original.normalisationShift)
        #expect(decoded.normalisationScale == original.normalisationScale)
        #expect(decoded.provenance == sampleProvenance)
        #expect(decoded.encoded() == bytes)
    }

    @Test func headerStartsAsDocumented() {
        let bytes = sample().encoded()
        #expect(Array(bytes[0..<8]) == Array("MNISTMLP".utf8))
        #expect(Array(bytes[8..<16]) == [2, 0, 0, 0, 64, 0, 0, 0])
        #expect(Array(bytes[16..<32]) == [3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 1, 2])
        let sections = blobsEnd(sample())
        #expect(Array(bytes[sections..<(sections + 8)]) == Array("DATA".utf8) + [UInt8(provenanceSectionBytes - 8), 0, 0, 0])
    }

    @Test func everyTruncationIsReportedAsSuch() {
        let bytes = sample().encoded()
        for length in 0..<bytes.count {
            let error = decodeError(Array(bytes.prefix(length)))
            guard case .truncated(let expected, let found)? = error else {
                Issue.record("length \(length): \(String(describing: error))")
                continue
            }
            #expect(found == length && expected > length)
        }
    }

    /// Flipping any single bit is caught, and by the check that owns that byte.
    @Test func everySingleBitFlipIsRejected() {
        let bytes = sample().encoded()
        let headers = sectionHeaders(bytes, from: blobsEnd(sample()), count: Int(bytes[31]))
        for offset in 0..<bytes.count {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[offset] ^= 1 << bit
                let error = decodeError(flipped)
                let ok: Bool
                switch (offset, error) {
                case (0..<8, .badMagic?): ok = true
                case (8..<12, .unsupportedVersion?): ok = true
                case (12..<16, .badHeaderLength?): ok = true
                case (16..<28, .sizeOutOfRange?), (16..<28, .truncated?), (16..<28, .badSection?): ok = true
                case (30, .badSection?) where bit == 0: ok = true   // the has-velocity flag moves the sections
                case (31, .truncated?), (31, .trailingBytes?): ok = true  // the section count
                case (_, .badSection?) where headers.contains(offset), (_, .truncated?) where headers.contains(offset),
                     (_, .trailingBytes?) where headers.contains(offset): ok = true
                case (28..., .badCRC?): ok = !(offset == 30 && bit == 0) && offset != 31
                default: ok = false
                }
                #expect(ok, "byte \(offset) bit \(bit): \(String(describing: error))")
            }
        }
    }

    @Test func specificErrors() {
        let bytes = sample().encoded()
        #expect(decodeError(Array("MNISTMLQ".utf8) + bytes.dropFirst(8)) == .badMagic)
        #expect(decodeError([0x50, 0x4B, 3, 4]) == .badMagic)
        #expect(decodeError(patched(bytes, at: 8, [3, 0, 0, 0])) == .unsupportedVersion(found: 3, supported: 2))
        #expect(decodeError(patched(bytes, at: 12, [60, 0, 0, 0])) == .badHeaderLength(found: 60, expected: 64))
        #expect(decodeError(patched(bytes, at: 20, [0, 0, 0, 0])) == .sizeOutOfRange(field: "hidden", value: 0, limit: 1 << 20))
        #expect(decodeError(patched(bytes, at: 24, [0x71, 0x11, 1, 0])) == .sizeOutOfRange(field: "outputs", value: 70001, limit: 1 << 16))
        #expect(decodeError(patched(bytes, at: 16, [0xFF, 0xFF, 0xFF, 0xFF])) == .sizeOutOfRange(field: "inputs", value: 0xFFFF_FFFF, limit: 1 << 24))
        guard case .truncated? = decodeError(patched(sample(sections: false).encoded(), at: 16, [4, 0, 0, 0])) else {
            Issue.record("one more input should need more bytes"); return
        }
        // One input fewer: 2 floats of normalisation, 2 of W1 and 2 of its velocity.
        let plain = sample(sections: false).encoded()
        #expect(decodeError(patched(plain, at: 16, [2, 0, 0, 0])) == .trailingBytes(expected: plain.count - 4 * 6, found: plain.count))
        #expect(decodeError(bytes + [0]) == .trailingBytes(expected: bytes.count, found: bytes.count + 1))
        #expect(decodeError(patched(bytes, at: 28, [7])) == .unknownActivation(code: 7))
        #expect(decodeError(patched(bytes, at: 29, [2])) == .unknownLoss(code: 2))
        #expect(decodeError(patched(bytes, at: 30, [3])) == .unknownFlags(flags: 3, padding: 2))
        var badCRC = bytes
        badCRC[bytes.count - 1] ^= 0x80
        guard case .badCRC(let stored, let computed)? = decodeError(badCRC) else {
            Issue.record("CRC flip not caught"); return
        }
        #expect(stored ^ computed == 0x8000_0000)
    }

    /// A file mnist-cli could not have written, that would not be written back byte for byte, is
    /// refused (what the checkpoint fuzzer checks): another NaN than "not measured", a leaky-relu
    /// model without its slope, a best accuracy without a best epoch.
    @Test func valuesThatWouldNotBeWrittenBackAreRejected() {
        let plain = sample(sections: false).encoded()
        #expect(Array(plain[72..<76]) == [0, 0, 0xC0, 0x7F], "an unmeasured train loss is the quiet NaN 0x7FC00000")
        guard case .badField(field: "train loss", _)? = decodeError(patched(plain, at: 72, [0, 0x20, 0xC0, 0x7F])) else {
            Issue.record("a NaN with a payload was accepted"); return
        }
        #expect(decodeError(patched(plain, at: 28, [3])) == .badSection(tag: "LEAK", reason: "a leaky-relu model without its slope"))

        var checkpoint = sample(sections: false)
        checkpoint.state.settings.schedule = LearningRateSchedule(.cosine)
        let bytes = checkpoint.encoded()
        let optm = try! #require((0..<(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == Array("OPTM".utf8) })
        #expect(decodeError(patched(bytes, at: optm + 8 + 22, [0, 0, 0, 0x3F])) == .badSection(tag: "OPTM", reason: "an accuracy (0x3f000000) for no best epoch"))
        #expect(decodeError(bytes) == nil)
    }

    @Test func errorMessagesAreOneLineAndSayWhatToDo() {
        let errors: [CheckpointError] = [.badMagic, .unsupportedVersion(found: 3, supported: 2), .badSection(tag: "DATA", reason: "x"), .badHeaderLength(found: 1, expected: 64),
                                         .sizeOutOfRange(field: "hidden", value: 0, limit: 9), .truncated(expected: 9, found: 3),
                                         .trailingBytes(expected: 3, found: 9), .badCRC(stored: 1, computed: 0xABC),
                                         .unknownActivation(code: 9), .unknownLoss(code: 9), .unknownFlags(flags: 2, padding: 0)]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(["retrain", "mnist-cli", "copy it again"].contains { error.description.contains($0) }, "\(error)")
        }
        #expect(CheckpointError.badCRC(stored: 1, computed: 0xABC).description.contains("0x00000abc"))
    }

    @Test func shortNormalisationIsPaddedAndBadVelocityDropped() throws {
        var checkpoint = sample()
        checkpoint.normalisationShift = [5]
        checkpoint.normalisationScale = []
        checkpoint.velocity = [1, 2, 3]
        let decoded = try Checkpoint(decoding: checkpoint.encoded())
        #expect(decoded.normalisationShift == [5, 0, 0])
        #expect(decoded.normalisationScale == [1, 1, 1])
        #expect(decoded.velocity == nil)
    }

    /// A file from before sections (version 1: byte 31 is padding, no sections) still loads.
    @Test func versionOneFilesStillLoad() throws {
        let current = sample(sections: false)
        let v1 = patched(current.encoded(), at: 8, [1, 0, 0, 0])
        let decoded = try Checkpoint(decoding: v1)
        #expect(decoded.model.parameters.bitPatterns == current.model.parameters.bitPatterns)
        #expect(decoded.state == current.state && decoded.provenance == nil)
        #expect(decodeError(patched(v1, at: 31, [1])) == .unknownFlags(flags: 1, padding: 1))
    }

    /// Sections a newer version may add are kept and written back as they were; ours are checked.
    @Test func unknownSectionsSurviveAndKnownOnesAreChecked() throws {
        var checkpoint = sample()
        checkpoint.otherSections = [CheckpointSection(tag: "XTRA", payload: [1, 2, 3]), CheckpointSection(tag: "Z9Z9", payload: [])]
        let bytes = checkpoint.encoded()
        #expect(bytes[31] == 4, "DATA, PART (stopped mid-epoch) and the two others")
        let decoded = try Checkpoint(decoding: bytes)
        #expect(decoded.otherSections == checkpoint.otherSections && decoded.provenance == sampleProvenance)
        #expect(decoded.encoded() == bytes)

        var twice = sample()
        twice.otherSections = [CheckpointSection(tag: "DATA", payload: sampleProvenance.encoded())]
        #expect(decodeError(twice.encoded()) == .badSection(tag: "DATA", reason: "appears twice"))
        var short = sample(sections: false)
        short.otherSections = [CheckpointSection(tag: "DATA", payload: [9, 0, 0, 0, 65])]
        guard case .badSection(tag: "DATA", _)? = decodeError(short.encoded()) else {
            Issue.record("a DATA section too short for its folder name must be rejected"); return
        }
        var lowercase = sample(sections: false)
        lowercase.otherSections = [CheckpointSection(tag: "data", payload: [])]
        guard case .badSection(tag: "data", _)? = decodeError(lowercase.encoded()) else {
            Issue.record("a tag that is not capitals must be rejected"); return
        }
    }
}

/// The data folder's absolute path travels in its own section beside DATA.
struct AbsoluteFolderSectionTests {
    let provenance = DataProvenance(folder: "data/mnist", absoluteFolder: "/home/ada/mnist-cli/data/mnist",
                                    train: SplitDigest(images: 60000, labels: 60000, checksum: 1), test: SplitDigest(images: 10000, labels: 10000, checksum: 2))

    func checkpoint(_ provenance: DataProvenance?) -> Checkpoint {
        let shape = MLPShape(inputs: 2, hidden: 2, outputs: 2)
        let model = try! MLP(shape: shape, activation: .relu, parameters: variedWeights(shape.parameterCount))
        let state = TrainingState(settings: TrainingSettings(seed: 1, batchSize: 8, sgd: SGDConfig(learningRate: 0.1), loss: .crossEntropy),
                                  position: TrainingPosition(epochsCompleted: 1, rngState: 2))
        return Checkpoint(model: model, normalisationShift: [0, 0], normalisationScale: [1, 1], state: state, provenance: provenance)
    }

    @Test func roundTripsAndCostsItsSectionOnly() throws {
        let with = checkpoint(provenance).encoded()
        var relativeOnly = provenance
        relativeOnly.absoluteFolder = nil
        let without = checkpoint(relativeOnly).encoded()
        // Tag, length, and the path's bytes: nothing else grows.
        #expect(with.count - without.count == 8 + provenance.absoluteFolder!.utf8.count)
        #expect(try Checkpoint(decoding: with).provenance == provenance)
        // A file from before the section loads, without an absolute folder.
        #expect(try Checkpoint(decoding: without).provenance == relativeOnly)
    }

    @Test func aBadOrOrphanPathIsRejected() throws {
        var relative = checkpoint(provenance)
        relative.provenance?.absoluteFolder = nil
        relative.otherSections = [CheckpointSection(tag: "DABS", payload: Array("data/mnist".utf8))]
        #expect(throws: CheckpointError.self) { try Checkpoint(decoding: relative.encoded()) }
        var orphan = checkpoint(nil)
        orphan.otherSections = [CheckpointSection(tag: "DABS", payload: Array("/data".utf8))]
        #expect(throws: CheckpointError.badSection(tag: "DABS", reason: "there is no DATA section for it to complete")) {
            try Checkpoint(decoding: orphan.encoded())
        }
    }
}
