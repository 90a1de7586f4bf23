import Testing
import TestSupport
@testable import MLPCore

/// FORM and DSET: how pictures become the model's input, and the dataset it was recognised as.
struct InputSectionsTests {
    let shape = MLPShape(inputs: 3, hidden: 2, outputs: 3)

    func checkpoint() -> Checkpoint {
        let model = try! MLP(shape: shape, activation: .relu, parameters: variedWeights(shape.parameterCount))
        let state = TrainingState(settings: TrainingSettings(seed: 1, batchSize: 8, sgd: SGDConfig(learningRate: 0.1), loss: .crossEntropy),
                                  position: TrainingPosition(epochsCompleted: 2, rngState: 2))
        return Checkpoint(model: model, normalisationShift: [0, 0, 0], normalisationScale: [1, 1, 1], state: state)
    }

    /// The file with the section tagged `tag`'s payload swapped for `payload` (the only section), CRC repaired.
    func replacingOnlySection(in bytes: [UInt8], with payload: [UInt8]) -> [UInt8] {
        let start = 16 + 64 + 4 * (2 * shape.inputs + shape.parameterCount)
        let out = Array(bytes[..<(start + 4)]) + (0..<4).map { UInt8(truncatingIfNeeded: payload.count >> (8 * $0)) } + payload
        return out + (0..<4).map { UInt8(truncatingIfNeeded: crc(out[...]) >> (8 * $0)) }
    }

    func decodeError(_ bytes: [UInt8]) -> CheckpointError? {
        caughtError { () throws(CheckpointError) in try Checkpoint(decoding: bytes) }
    }

    @Test func formAndDatasetRoundTripBitExact() throws {
        var original = checkpoint()
        original.inputForm = "object"
        original.datasetName = "EMNIST Letters ☂"
        let bytes = original.encoded()
        #expect(bytes[31] == 2, "FORM and DSET")
        let decoded = try Checkpoint(decoding: bytes)
        #expect(decoded == original && decoded.encoded() == bytes)
        #expect(decoded.inputForm == "object" && decoded.datasetName == "EMNIST Letters ☂")
        // Each section: tag, length, the name's bytes.
        #expect(bytes.count - checkpoint().encoded().count == 8 + "object".utf8.count + 8 + "EMNIST Letters ☂".utf8.count)
    }

    /// A file from before the sections reads as no form recorded (the command line takes that as
    /// MNIST's digit form) and its bytes are what the previous version wrote.
    @Test func filesWithoutTheSectionsHaveNoForm() throws {
        let bytes = checkpoint().encoded()
        #expect(bytes[31] == 0 && bytes.count == 16 + 64 + 4 * (2 * 3 + shape.parameterCount) + 4)
        let decoded = try Checkpoint(decoding: bytes)
        #expect(decoded.inputForm == nil && decoded.datasetName == nil)
    }

    /// Any well-formed name loads (whether this version knows the form is the command line's
    /// question); a payload that is no name is a bad section.
    @Test func malformedNamesAreBadSections() throws {
        var withForm = checkpoint()
        withForm.inputForm = "digit"
        let bytes = withForm.encoded()
        #expect(try Checkpoint(decoding: replacingOnlySection(in: bytes, with: Array("sketch".utf8))).inputForm == "sketch")
        for payload in [[], Array("Digit".utf8), Array("digit\n".utf8), [UInt8](repeating: 0x61, count: 33)] {
            #expect(decodeError(replacingOnlySection(in: bytes, with: payload))
                    == .badSection(tag: "FORM", reason: "holds \(payload.count) bytes, not an input form's name (1 to 32 lowercase letters)"))
        }
        var withDataset = checkpoint()
        withDataset.datasetName = "MNIST"
        for payload in [[], [0xFF, 0xFE], Array("MN\u{7}IST".utf8), [UInt8](repeating: 0x41, count: 65)] {
            #expect(decodeError(replacingOnlySection(in: withDataset.encoded(), with: payload))
                    == .badSection(tag: "DSET", reason: "holds \(payload.count) bytes, not a dataset's name (1 to 64 bytes of UTF-8 text)"))
        }
        // Twice is as wrong as for any known section.
        var twice = bytes
        let section = Array(bytes[(bytes.count - 4 - 13)..<(bytes.count - 4)])
        twice = Array(twice[..<(twice.count - 4)]) + section
        twice[31] = 2
        twice += (0..<4).map { UInt8(truncatingIfNeeded: crc(twice[...]) >> (8 * $0)) }
        #expect(decodeError(twice) == .badSection(tag: "FORM", reason: "appears twice"))
    }
}
