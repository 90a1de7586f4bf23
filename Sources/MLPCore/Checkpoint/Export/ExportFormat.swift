/// The files a model can be exported to, for use outside mnist-cli: ONNX (a graph from raw
/// pixels to probabilities), NumPy's NPZ and safetensors (the weights and the normalisation).
/// Names, shapes and maths: docs/export.md.
public enum ExportFormat: String, CaseIterable, Sendable {
    case onnx, npz, safetensors

    /// The file name extension, without its dot.
    public var fileExtension: String { rawValue }

    /// The name people know the format by, for messages.
    public var displayName: String {
        switch self { case .onnx: "ONNX"; case .npz: "NPZ"; case .safetensors: "safetensors" }
    }

    /// The file's bytes for `checkpoint`.
    public func encoded(_ checkpoint: Checkpoint) -> [UInt8] {
        let tensors = ExportedTensors(checkpoint)
        switch self {
        case .onnx: return ONNXModel(tensors).encoded()
        case .npz: return NPZ.encoded(tensors)
        case .safetensors: return Safetensors.encoded(tensors)
        }
    }

    /// How many leading bytes `startsLikeOne` looks at.
    public static let headLength = 9

    /// Whether a file starting with `head` (up to `headLength` bytes) is of this format, so that an
    /// export replaces only a file of its own kind. ONNX has no magic number: protobuf writers put
    /// ModelProto's field 1 (ir_version, a small varint) first. NPZ is a zip. safetensors starts
    /// with its header's length (8 bytes) and then the header's "{".
    public func startsLikeOne(_ head: [UInt8]) -> Bool {
        switch self {
        case .onnx: return head.count >= 2 && head[0] == 0x08 && (1...127).contains(head[1])
        case .npz: return head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06])
        case .safetensors: return head.count >= 9 && head[8] == UInt8(ascii: "{")
        }
    }
}

/// One named array of an exported model: float32, row-major.
struct NamedTensor {
    var name: String
    var shape: [Int]
    var values: [Float]

    /// The values as little-endian float32 bytes.
    var littleEndianBytes: [UInt8] {
        var out = ByteWriter()
        out.bytes.reserveCapacity(4 * values.count)
        for value in values { out.f32(value) }
        return out.bytes
    }
}

/// What every export holds: the normalisation x = (pixels − shift) · scale and the two layers,
/// under the names the documentation gives, plus what a reader needs to run them.
struct ExportedTensors {
    /// shift, scale, W1, b1, W2, b2, in that order (the order of the maths).
    var tensors: [NamedTensor]
    var activation: Activation
    /// Leaky ReLU's slope below 0 (only meaningful for leaky-relu).
    var leak: Float
    /// One name per output class: the model's own, else the class numbers "0", "1", ….
    var classNames: [String]
    var shape: MLPShape

    init(_ checkpoint: Checkpoint) {
        let model = checkpoint.model, shape = model.shape, p = model.parameters
        // Padded as the checkpoint format and the Classifier pad a short normalisation.
        let shift = (0..<shape.inputs).map { $0 < checkpoint.normalisationShift.count ? checkpoint.normalisationShift[$0] : 0 }
        let scale = (0..<shape.inputs).map { $0 < checkpoint.normalisationScale.count ? checkpoint.normalisationScale[$0] : 1 }
        tensors = [
            NamedTensor(name: "shift", shape: [shape.inputs], values: shift),
            NamedTensor(name: "scale", shape: [shape.inputs], values: scale),
            NamedTensor(name: "W1", shape: [shape.inputs, shape.hidden], values: Array(p[shape.w1Offset..<(shape.w1Offset + shape.w1Count)])),
            NamedTensor(name: "b1", shape: [shape.hidden], values: Array(p[shape.b1Offset..<(shape.b1Offset + shape.hidden)])),
            NamedTensor(name: "W2", shape: [shape.hidden, shape.outputs], values: Array(p[shape.w2Offset..<(shape.w2Offset + shape.w2Count)])),
            NamedTensor(name: "b2", shape: [shape.outputs], values: Array(p[shape.b2Offset..<(shape.b2Offset + shape.outputs)])),
        ]
        activation = model.activation
        leak = model.leak
        classNames = checkpoint.classNames ?? (0..<shape.outputs).map { "\($0)" }
        self.shape = shape
    }

    /// The tensor called `name` (one of the six above).
    subscript(name: String) -> NamedTensor { tensors.first { $0.name == name }! }
}

/// `strings` as a JSON array of strings. Class names hold no control characters (ClassNames
/// checks them), so only the quote and the backslash need escaping.
func jsonArray(_ strings: [String]) -> String {
    "[" + strings.map(jsonString).joined(separator: ",") + "]"
}

func jsonString(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    out.append("\"")
    for scalar in text.unicodeScalars {
        if scalar == "\"" || scalar == "\\" { out.append("\\") }
        out.append(scalar)
    }
    out.append("\"")
    return String(out)
}
