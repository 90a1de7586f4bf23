import Testing
import TestSupport
@testable import MLPCore

/// The checkpoint sections for a run's health and its data's names: HIST, LEAK and NAME.
struct HealthSectionsTests {
    let shape = MLPShape(inputs: 3, hidden: 2, outputs: 3)

    func checkpoint(_ activation: Activation = .relu) -> Checkpoint {
        let model = try! MLP(shape: shape, activation: activation, parameters: variedWeights(shape.parameterCount))
        let state = TrainingState(settings: TrainingSettings(seed: 1, batchSize: 8, sgd: SGDConfig(learningRate: 0.1), loss: .crossEntropy),
                                  position: TrainingPosition(epochsCompleted: 2, rngState: 2))
        return Checkpoint(model: model, normalisationShift: [0, 0, 0], normalisationScale: [1, 1, 1], state: state)
    }

    let history = [
        EpochRecord(epoch: 1, loss: 0.41, trainAccuracy: 0.88, testAccuracy: 0.92, learningRate: 0.1, deadUnitFraction: 0.125, seconds: 3.5),
        EpochRecord(epoch: 2, loss: .nan, trainAccuracy: 0.1, validationAccuracy: 0.5, learningRate: 0.05, seconds: 1e-3),
    ]

    func decodeError(_ bytes: [UInt8]) -> CheckpointError? {
        caughtError { () throws(CheckpointError) in try Checkpoint(decoding: bytes) }
    }

    /// Swaps the payload of the section tagged `tag` and repairs the CRC.
    func replacingSection(_ tag: String, in bytes: [UInt8], with payload: [UInt8], sections: Int) -> [UInt8] {
        var offset = 16 + 64 + 4 * (2 * shape.inputs + shape.parameterCount)
        for _ in 0..<sections {
            let length = (0..<4).reduce(0) { $0 | Int(bytes[offset + 4 + $1]) << (8 * $1) }
            if String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self) == tag {
                var out = Array(bytes[..<(offset + 4)]) + (0..<4).map { UInt8(truncatingIfNeeded: payload.count >> (8 * $0)) } + payload
                out += bytes[(offset + 8 + length)..<(bytes.count - 4)]
                let value = crc(out[...])
                return out + (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
            }
            offset += 8 + length
        }
        Issue.record("no \(tag) section")
        return bytes
    }

    @Test func historyNamesAndLeakRoundTripBitExact() throws {
        var original = checkpoint(.leakyRelu)
        original.model.leak = 0.2
        original.history = history
        original.classNames = ["T-shirt/top", "Ankle boot", "naïve ☂"]
        let bytes = original.encoded()
        #expect(bytes[31] == 3, "LEAK, NAME and HIST")
        let decoded = try Checkpoint(decoding: bytes)
        // Timings are not stored (they would make every run's bytes differ): NaN once read.
        #expect(decoded.history.allSatisfy { $0.seconds.isNaN })
        #expect(decoded.history == history.map { var r = $0; r.seconds = .nan; return r })
        #expect(decoded.history[1].loss.isNaN && decoded.history[1].testAccuracy == nil && decoded.history[0].validationAccuracy == nil)
        #expect(decoded.classNames == original.classNames)
        #expect(decoded.model.activation == .leakyRelu && decoded.model.leak == 0.2)
        #expect(decoded.encoded() == bytes)
        // HIST: 8 bytes of header, a u32 count and 53 bytes per epoch.
        let plain = checkpoint()
        var withHistory = plain
        withHistory.history = history
        #expect(withHistory.encoded().count - plain.encoded().count == 8 + 4 + 2 * 53)
    }

    /// A file from before these sections has none: empty history, no names, ReLU as it was. And a
    /// file this version writes without them is byte for byte what the previous version wrote.
    @Test func filesWithoutTheSectionsLoadAsBefore() throws {
        let plain = checkpoint()
        let bytes = plain.encoded()
        #expect(bytes[31] == 0)
        #expect(bytes.count == 16 + 64 + 4 * (2 * 3 + shape.parameterCount) + 4)
        let decoded = try Checkpoint(decoding: bytes)
        #expect(decoded.history.isEmpty && decoded.classNames == nil && decoded.model.activation == .relu)
    }

    @Test func leakyWithoutLeakSectionUsesTheDefaultSlope() throws {
        let bytes = checkpoint(.leakyRelu).encoded()
        let withoutLeak = replacingSection("LEAK", in: bytes, with: [], sections: 1)
        // An empty LEAK is malformed; dropping the section entirely is tested through the default.
        #expect(decodeError(withoutLeak) == .badSection(tag: "LEAK", reason: "holds 0 bytes, not 4"))
        #expect(try Checkpoint(decoding: bytes).model.leak == Activation.defaultLeak)
    }

    @Test func malformedSectionsAreNamed() {
        var leaky = checkpoint(.leakyRelu)
        leaky.history = history
        leaky.classNames = ["a", "b", "c"]
        let bytes = leaky.encoded()
        let slope: (Float) -> [UInt8] = { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
        #expect(decodeError(replacingSection("LEAK", in: bytes, with: slope(1.5), sections: 3))
                == .badSection(tag: "LEAK", reason: "slope 1.5 is not in [0, 1)"))
        #expect(decodeError(replacingSection("HIST", in: bytes, with: [2, 0, 0, 0], sections: 3))
                == .badSection(tag: "HIST", reason: "holds 4 bytes, not 110 for 2 epochs"))
        #expect(decodeError(replacingSection("NAME", in: bytes, with: ClassNames.encoded(["a", "b"]), sections: 3))
                == .badSection(tag: "NAME", reason: "names 2 classes but the model has 3"))
        #expect(decodeError(replacingSection("NAME", in: bytes, with: ClassNames.encoded(["a", "", "c"]), sections: 3))
                == .badSection(tag: "NAME", reason: "line 2 is empty; every class needs a name"))
        // LEAK beside ReLU is a contradiction, not a default.
        var relu = checkpoint(.relu)
        relu.classNames = ["a", "b", "c"]
        let renamed = replacingSection("NAME", in: relu.encoded(), with: slope(0.1), sections: 1)
        let tagged = Array(renamed[..<(renamed.count - 4)].enumerated().map { i, b in
            i >= 16 + 64 + 4 * (2 * 3 + shape.parameterCount) && i < 16 + 64 + 4 * (2 * 3 + shape.parameterCount) + 4
                ? Array("LEAK".utf8)[i - (16 + 64 + 4 * (2 * 3 + shape.parameterCount))] : b })
        let fixed = tagged + (0..<4).map { UInt8(truncatingIfNeeded: crc(tagged[...]) >> (8 * $0)) }
        #expect(decodeError(fixed) == .badSection(tag: "LEAK", reason: "the activation is relu, not leaky-relu"))
    }

    /// PACT: which units fired so far in an interrupted epoch, one bit each; only mid-epoch.
    @Test func firedUnitsOfAnInterruptedEpochRoundTrip() throws {
        let wide = MLPShape(inputs: 3, hidden: 11, outputs: 3)
        var original = Checkpoint(model: MLP(shape: wide, activation: .relu, seed: 1), normalisationShift: [0, 0, 0], normalisationScale: [1, 1, 1],
                                  state: TrainingState(settings: TrainingSettings(seed: 1, batchSize: 8, sgd: SGDConfig(learningRate: 0.1),
                                                                                  loss: .crossEntropy),
                                                       position: TrainingPosition(epochsCompleted: 1, batchesIntoEpoch: 4, rngState: 2)))
        let fired = (0..<11).map { $0 % 3 == 1 || $0 == 10 }
        original.state.partialEpoch.firedUnits = fired
        let bytes = original.encoded()
        #expect(bytes[31] == 1)
        let decoded = try Checkpoint(decoding: bytes)
        #expect(decoded.state.partialEpoch.firedUnits == fired && decoded == original)
        // The payload: 11 units, then bits 1, 4, 7 (0b1001_0010) and 10 (0b100).
        #expect(Array(bytes[(bytes.count - 4 - 6)..<(bytes.count - 4)]) == [11, 0, 0, 0, 0b1001_0010, 0b100])
        // At an epoch boundary there is nothing to keep.
        original.state.position.batchesIntoEpoch = 0
        #expect(original.encoded()[31] == 0)
    }

    @Test func namesFilesAreParsedAndChecked() throws {
        func parse(_ text: String, _ classes: Int = 3) -> Result<[String], ClassNamesError> {
            Result { () throws(ClassNamesError) in try ClassNames.parse(Array(text.utf8), classes: classes) }
        }
        #expect(parse("T-shirt/top\nTrouser\nAnkle boot\n") == .success(["T-shirt/top", "Trouser", "Ankle boot"]))
        #expect(parse("a\r\nb\r\nc") == .success(["a", "b", "c"]))
        #expect(parse("a\nb\n") == .failure(.wrongCount(found: 2, classes: 3)))
        #expect(parse("a\nb\nc\nd\n") == .failure(.wrongCount(found: 4, classes: 3)))
        #expect(parse("a\n \nc\n") == .failure(.emptyName(line: 2)))
        #expect(parse("a\nb\n" + String(repeating: "x", count: 65)) == .failure(.tooLong(line: 3, length: 65)))
        #expect(parse("a\nb\u{1B}[31m\nc") == .failure(.controlCharacter(line: 2)))
        #expect(Result { () throws(ClassNamesError) in try ClassNames.parse([0x61, 0x0A, 0xFF, 0x0A, 0x63], classes: 3) }
                == .failure(.notUTF8))
    }
}
