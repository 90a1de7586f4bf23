import Foundation
@testable import MLPCore
import Testing

/// The export encoders, read back field by field without Python: protobuf's wire format, ONNX's
/// graph, the .npy header, the zip around them and the safetensors header. (The CLI's ExportTests
/// load each file with the real libraries.)
@Suite struct ExportFormatTests {
    /// A 5-6-3 model with varied weights and a normalisation that is not the unit range.
    static func checkpoint(_ activation: Activation, names: [String]? = nil) throws -> Checkpoint {
        let shape = MLPShape(inputs: 5, hidden: 6, outputs: 3)
        var model = try MLP(shape: shape, activation: activation, parameters: variedWeights(shape.parameterCount))
        model.leak = 0.125
        var checkpoint = Checkpoint(model: model, normalisationShift: (0..<5).map { Float($0) * 10 },
                                    normalisationScale: (0..<5).map { 1 / Float($0 + 2) },
                                    state: .starting(TrainingSettings(seed: 1, batchSize: 4, sgd: SGDConfig(learningRate: 0.1), loss: .crossEntropy)))
        checkpoint.classNames = names
        return checkpoint
    }

    /// The tensors every format must hold, by name, from the model's own parameter layout.
    static func expectedTensors(_ checkpoint: Checkpoint) -> [String: (shape: [Int], values: [Float])] {
        // The 5-6-3 layout written out: W1 is 30 values, b1 6, W2 18, b2 3.
        let p = checkpoint.model.parameters
        return ["shift": ([5], checkpoint.normalisationShift), "scale": ([5], checkpoint.normalisationScale),
                "W1": ([5, 6], Array(p[0..<30])), "b1": ([6], Array(p[30..<36])),
                "W2": ([6, 3], Array(p[36..<54])), "b2": ([3], Array(p[54..<57]))]
    }

    static func floats(_ bytes: some Collection<UInt8>) -> [Float] {
        let b = Array(bytes)
        return stride(from: 0, to: b.count, by: 4).map { Float(bitPattern: UInt32(littleEndianBytes: b[$0..<($0 + 4)])) }
    }

    // MARK: - Protobuf

    @Test func protobufFieldsAreTheWireFormatsBytes() {
        var out = ProtobufWriter()
        out.integer(1, 300)    // varint 300 = AC 02
        out.integer(3, -1)     // sign-extended to ten bytes
        out.float(2, 1)        // fixed32
        out.string(4, "Relu")  // length-delimited
        out.message(5) { $0.integer(1, 2) }
        let expected: [[UInt8]] = [[0x08, 0xAC, 0x02], [0x18] + [UInt8](repeating: 0xFF, count: 9) + [0x01],
                                   [0x15, 0x00, 0x00, 0x80, 0x3F], [0x22, 4] + Array("Relu".utf8), [0x2A, 2, 0x08, 0x02]]
        #expect(out.bytes == Array(expected.joined()))
    }

    // MARK: - ONNX

    @Test(arguments: Activation.allCases)
    func onnxHoldsTheGraphAndTheWeights(_ activation: Activation) throws {
        let checkpoint = try Self.checkpoint(activation)
        let model = try ProtobufMessage(ExportFormat.onnx.encoded(checkpoint))
        #expect(model.integers(1) == [8])                                              // ir_version
        #expect(try model.messages(8).map { try $0.integers(2) } == [[13]])            // opset_import
        let graph = try #require(try model.messages(7).first)
        let nodes = try graph.messages(1)
        let ops = nodes.map { $0.strings(4).first ?? "" }
        let f = ["relu": "Relu", "leaky-relu": "LeakyRelu", "sigmoid": "Sigmoid", "tanh": "Tanh"][activation.rawValue]!
        #expect(ops == ["Sub", "Mul", "MatMul", "Add", f, "MatMul", "Add", "Softmax"])
        // Each node reads what the one before it wrote (or an initializer, or the input).
        var known: Set<String> = ["pixels", "shift", "scale", "W1", "b1", "W2", "b2"]
        for node in nodes {
            #expect(node.strings(1).allSatisfy(known.contains), "\(node.strings(4))")
            known.formUnion(node.strings(2))
        }
        #expect(nodes.last?.strings(2) == ["probabilities"])
        let attribute = try nodes[4].messages(5).first
        if activation == .leakyRelu {
            #expect(attribute?.strings(1) == ["alpha"])
            #expect(attribute.map { Self.floats($0.raw(2)) } == [0.125])
        } else {
            #expect(attribute == nil)
        }
        let softmaxAxis = try nodes[7].messages(5).first
        #expect(softmaxAxis?.strings(1) == ["axis"] && softmaxAxis?.integers(3) == [1])

        var initializers: [String: (shape: [Int], values: [Float])] = [:]
        for tensor in try graph.messages(5) {
            #expect(tensor.integers(2) == [1])  // FLOAT
            initializers[tensor.strings(8)[0]] = (tensor.integers(1), Self.floats(tensor.raw(9)))
        }
        let expected = Self.expectedTensors(checkpoint)
        #expect(Set(initializers.keys) == Set(expected.keys))
        for (name, tensor) in expected {
            #expect(initializers[name]?.shape == tensor.shape && initializers[name]?.values == tensor.values, "\(name)")
        }
        let input = try #require(try graph.messages(11).first), output = try #require(try graph.messages(12).first)
        #expect(input.strings(1) == ["pixels"] && output.strings(1) == ["probabilities"])
        let dims = try input.messages(2)[0].messages(1)[0].messages(2)[0].messages(1)
        #expect(dims.map { $0.strings(2) } == [["N"], []] && dims.map { $0.integers(1) } == [[], [5]])
    }

    // MARK: - NPZ

    @Test func npzIsAStoredZipOfNpyFilesWithTheirCRCs() throws {
        let checkpoint = try Self.checkpoint(.leakyRelu, names: ["cat", "dog", "a \"b\""])
        let members = try StoredZipReader.members(ExportFormat.npz.encoded(checkpoint))
        #expect(members.map(\.name) == ["shift.npy", "scale.npy", "W1.npy", "b1.npy", "W2.npy", "b2.npy",
                                        "activation.npy", "leak.npy", "classes.npy"])
        for (name, tensor) in Self.expectedTensors(checkpoint) {
            let npy = try #require(members.first { $0.name == name + ".npy" }?.bytes)
            let (header, data) = try NPYFile.split(npy)
            let dims = tensor.shape.count == 1 ? "(\(tensor.shape[0]),)" : "(\(tensor.shape.map(String.init).joined(separator: ", ")))"
            #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"), "\(header)")
            #expect(Self.floats(data) == tensor.values, "\(name)")
        }
        let leak = try NPYFile.split(try #require(members.first { $0.name == "leak.npy" }).bytes)
        #expect(leak.header.contains("'shape': ()") && Self.floats(leak.data) == [0.125])
        let classes = try NPYFile.split(try #require(members.first { $0.name == "classes.npy" }).bytes)
        #expect(classes.header.contains("'descr': '<U5'") && classes.header.contains("'shape': (3,)"))
        let scalars = stride(from: 0, to: classes.data.count, by: 4)
            .map { UInt32(littleEndianBytes: classes.data[$0..<($0 + 4)]) }.filter { $0 != 0 }
        #expect(String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init))) == "catdoga \"b\"")
    }

    @Test func npzLeavesOutTheSlopeForOtherActivations() throws {
        let members = try StoredZipReader.members(ExportFormat.npz.encoded(try Self.checkpoint(.tanh)))
        #expect(!members.contains { $0.name == "leak.npy" })
        let activation = try NPYFile.split(try #require(members.first { $0.name == "activation.npy" }).bytes)
        #expect(activation.header.contains("'descr': '<U4'") && activation.header.contains("'shape': ()"))
    }

    // MARK: - safetensors

    @Test func safetensorsHeaderNamesEachTensorsBytes() throws {
        let checkpoint = try Self.checkpoint(.sigmoid, names: ["x\\y", "\"q\"", "z"])
        let bytes = ExportFormat.safetensors.encoded(checkpoint)
        let length = Int(UInt64(littleEndianBytes: bytes[0..<8]))
        #expect((8 + length) % 8 == 0)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        let metadata = try #require(header["__metadata__"] as? [String: String])
        #expect(metadata["activation"] == "sigmoid" && metadata["leak"] == nil)
        let names = try JSONSerialization.jsonObject(with: Data(try #require(metadata["classes"]).utf8)) as? [String]
        #expect(names == ["x\\y", "\"q\"", "z"])
        var end = 0
        for (name, tensor) in Self.expectedTensors(checkpoint) {
            let entry = try #require(header[name] as? [String: Any], "\(name)")
            let offsets = try #require(entry["data_offsets"] as? [Int])
            #expect(entry["dtype"] as? String == "F32" && entry["shape"] as? [Int] == tensor.shape)
            #expect(Self.floats(bytes[(8 + length + offsets[0])..<(8 + length + offsets[1])]) == tensor.values, "\(name)")
            end = max(end, offsets[1])
        }
        #expect(8 + length + end == bytes.count)  // nothing after the last tensor, no gap before it
    }

    // MARK: - Telling the formats apart

    @Test func eachFormatRecognisesItsOwnFilesAndNoOther() throws {
        let checkpoint = try Self.checkpoint(.relu)
        for written in ExportFormat.allCases {
            let head = Array(written.encoded(checkpoint).prefix(ExportFormat.headLength))
            for format in ExportFormat.allCases { #expect(format.startsLikeOne(head) == (format == written), "\(format) on \(written)") }
        }
        let model = Array(checkpoint.encoded().prefix(ExportFormat.headLength))
        #expect(ExportFormat.allCases.allSatisfy { !$0.startsLikeOne(model) })
    }

    @Test func exportsAreTheSameBytesEveryTime() throws {
        let checkpoint = try Self.checkpoint(.leakyRelu)
        for format in ExportFormat.allCases { #expect(format.encoded(checkpoint) == format.encoded(checkpoint)) }
    }
}

// MARK: - Readers, for these tests only

extension FixedWidthInteger {
    init(littleEndianBytes bytes: some Collection<UInt8>) {
        self = bytes.reversed().reduce(0) { $0 << 8 | Self($1) }
    }
}

struct ExportReadError: Error, CustomStringConvertible {
    let description: String
}

/// One protobuf message's fields, by number, as they were written.
struct ProtobufMessage: Equatable {
    enum Value: Equatable { case varint(UInt64), bytes([UInt8]), fixed32([UInt8]) }
    var fields: [(number: Int, value: Value)]

    static func == (a: Self, b: Self) -> Bool { a.fields.map(\.number) == b.fields.map(\.number) && a.fields.map(\.value) == b.fields.map(\.value) }

    init(_ bytes: [UInt8]) throws {
        var i = 0, fields: [(Int, Value)] = []
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard i < bytes.count, shift < 64 else { throw ExportReadError(description: "varint runs past the end") }
                let byte = bytes[i]
                i += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while i < bytes.count {
            let key = try varint()
            switch key & 7 {
            case 0: fields.append((Int(key >> 3), .varint(try varint())))
            case 2:
                let n = Int(try varint())
                guard i + n <= bytes.count else { throw ExportReadError(description: "field \(key >> 3) runs past the end") }
                fields.append((Int(key >> 3), .bytes(Array(bytes[i..<(i + n)]))))
                i += n
            case 5:
                guard i + 4 <= bytes.count else { throw ExportReadError(description: "fixed32 runs past the end") }
                fields.append((Int(key >> 3), .fixed32(Array(bytes[i..<(i + 4)]))))
                i += 4
            default: throw ExportReadError(description: "wire type \(key & 7)")
            }
        }
        self.fields = fields
    }

    func integers(_ number: Int) -> [Int] {
        fields.compactMap { if $0.number == number, case .varint(let v) = $0.value { Int(Int64(bitPattern: v)) } else { nil } }
    }

    func raw(_ number: Int) -> [UInt8] {
        fields.compactMap { field -> [UInt8]? in
            guard field.number == number else { return nil }
            switch field.value {
            case .bytes(let b), .fixed32(let b): return b
            case .varint: return nil
            }
        }.first ?? []
    }

    func strings(_ number: Int) -> [String] {
        fields.compactMap { if $0.number == number, case .bytes(let b) = $0.value { String(decoding: b, as: UTF8.self) } else { nil } }
    }

    func messages(_ number: Int) throws -> [ProtobufMessage] {
        try fields.compactMap { if $0.number == number, case .bytes(let b) = $0.value { try ProtobufMessage(b) } else { nil } }
    }
}

/// The members of a zip written with stored entries, checked against its central directory.
enum StoredZipReader {
    static func members(_ zip: [UInt8]) throws -> [(name: String, bytes: [UInt8])] {
        func u16(_ at: Int) -> Int { Int(UInt16(littleEndianBytes: zip[at..<(at + 2)])) }
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndianBytes: zip[at..<(at + 4)])) }
        let end = zip.count - 22
        guard end >= 0, u32(end) == 0x0605_4B50 else { throw ExportReadError(description: "no end of central directory") }
        let count = u16(end + 10), directorySize = u32(end + 12)
        var entry = u32(end + 16)
        guard entry + directorySize == end else { throw ExportReadError(description: "directory does not end where the end record starts") }
        var members: [(String, [UInt8])] = []
        for _ in 0..<count {
            guard u32(entry) == 0x0201_4B50 else { throw ExportReadError(description: "bad directory entry") }
            let method = u16(entry + 10), crc = u32(entry + 16), size = u32(entry + 20), nameLength = u16(entry + 28)
            let local = u32(entry + 42)
            let name = String(decoding: zip[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            guard method == 0, u32(entry + 24) == size, u32(local) == 0x0403_4B50, u32(local + 14) == crc,
                  u16(local + 26) == nameLength, u16(local + 28) == 0 else { throw ExportReadError(description: "\(name): headers disagree") }
            let start = local + 30 + nameLength
            let data = Array(zip[start..<(start + size)])
            guard Int(MLPCore.crc(data[...])) == crc else { throw ExportReadError(description: "\(name): bad CRC") }
            members.append((name, data))
            entry += 46 + nameLength
        }
        return members
    }
}

/// An .npy file's header text and data, its layout checked.
enum NPYFile {
    static func split(_ npy: [UInt8]) throws -> (header: String, data: [UInt8]) {
        guard npy.starts(with: [0x93] + Array("NUMPY".utf8) + [1, 0]) else { throw ExportReadError(description: "not .npy 1.0") }
        let length = Int(UInt16(littleEndianBytes: npy[8..<10]))
        guard (10 + length) % 64 == 0, npy[10 + length - 1] == 0x0A else { throw ExportReadError(description: "header not padded to 64") }
        return (String(decoding: npy[10..<(10 + length)], as: UTF8.self), Array(npy[(10 + length)...]))
    }
}
