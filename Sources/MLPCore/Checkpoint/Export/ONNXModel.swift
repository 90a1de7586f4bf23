/// An exported model as an ONNX graph: float pixels [N, inputs] (0...255, as MNIST stores them)
/// → Sub shift → Mul scale → MatMul W1 → Add b1 → activation → MatMul W2 → Add b2 → Softmax
/// → probabilities [N, outputs]. IR version 8, default-domain opset 13.
///
/// Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
/// ValueInfoProto, TypeProto); nothing else of the format is written.
struct ONNXModel {
    let tensors: ExportedTensors

    init(_ tensors: ExportedTensors) { self.tensors = tensors }

    static let irVersion = 8, opsetVersion = 13
    static let inputName = "pixels", outputName = "probabilities"

    /// onnx.TensorProto.DataType.FLOAT, and AttributeProto.AttributeType's FLOAT and INT.
    private static let floatElement = 1, floatAttribute = 1, intAttribute = 2

    /// One operator: its type, inputs, output, and an attribute if it takes one.
    private struct Node {
        var op: String
        var inputs: [String]
        var output: String
        var attribute: (name: String, value: AttributeValue)? = nil
    }

    private enum AttributeValue {
        case float(Float), int(Int)
    }

    /// The graph's operators in the order they run, each named after the value it makes.
    private var nodes: [Node] {
        var activation: Node
        switch tensors.activation {
        case .relu: activation = Node(op: "Relu", inputs: ["z1"], output: "h")
        case .leakyRelu: activation = Node(op: "LeakyRelu", inputs: ["z1"], output: "h", attribute: ("alpha", .float(tensors.leak)))
        case .sigmoid: activation = Node(op: "Sigmoid", inputs: ["z1"], output: "h")
        case .tanh: activation = Node(op: "Tanh", inputs: ["z1"], output: "h")
        }
        return [
            Node(op: "Sub", inputs: [Self.inputName, "shift"], output: "centred"),
            Node(op: "Mul", inputs: ["centred", "scale"], output: "x"),
            Node(op: "MatMul", inputs: ["x", "W1"], output: "xW1"),
            Node(op: "Add", inputs: ["xW1", "b1"], output: "z1"),
            activation,
            Node(op: "MatMul", inputs: ["h", "W2"], output: "hW2"),
            Node(op: "Add", inputs: ["hW2", "b2"], output: "logits"),
            Node(op: "Softmax", inputs: ["logits"], output: Self.outputName, attribute: ("axis", .int(1))),
        ]
    }

    /// The ModelProto's bytes.
    func encoded() -> [UInt8] {
        var model = ProtobufWriter()
        model.integer(1, Self.irVersion)                       // ir_version
        model.string(2, "mnist-cli")                           // producer_name
        model.message(7) { graph in                            // graph
            for node in nodes { graph.message(1) { write(node, to: &$0) } }
            graph.string(2, "mnist-mlp \(tensors.shape)")      // name
            for tensor in tensors.tensors { graph.message(5) { write(tensor, to: &$0) } }  // initializer
            graph.message(11) { writeValueInfo(Self.inputName, columns: tensors.shape.inputs, to: &$0) }    // input
            graph.message(12) { writeValueInfo(Self.outputName, columns: tensors.shape.outputs, to: &$0) }  // output
        }
        model.message(8) { $0.integer(2, Self.opsetVersion) }  // opset_import: default domain, version
        for (key, value) in metadata {                         // metadata_props
            model.message(14) { entry in
                entry.string(1, key)
                entry.string(2, value)
            }
        }
        return model.bytes
    }

    /// What a reader of the file may want without running it.
    private var metadata: [(String, String)] {
        var entries = [("activation", tensors.activation.rawValue)]
        if tensors.activation == .leakyRelu { entries.append(("leak", "\(tensors.leak)")) }
        entries.append(("classes", jsonArray(tensors.classNames)))
        entries.append(("input", "float pixels 0...255, shape [N, \(tensors.shape.inputs)]"))
        return entries
    }

    private func write(_ node: Node, to out: inout ProtobufWriter) {
        for input in node.inputs { out.string(1, input) }
        out.string(2, node.output)
        out.string(3, node.output)  // name
        out.string(4, node.op)      // op_type
        if let attribute = node.attribute {
            out.message(5) { a in
                a.string(1, attribute.name)
                switch attribute.value {
                case .float(let value):
                    a.float(2, value)
                    a.integer(20, Self.floatAttribute)
                case .int(let value):
                    a.integer(3, value)
                    a.integer(20, Self.intAttribute)
                }
            }
        }
    }

    /// A TensorProto: dims, data_type, name, raw_data (little-endian float32).
    private func write(_ tensor: NamedTensor, to out: inout ProtobufWriter) {
        for dim in tensor.shape { out.integer(1, dim) }
        out.integer(2, Self.floatElement)
        out.string(8, tensor.name)
        out.bytes(9, tensor.littleEndianBytes)
    }

    /// A ValueInfoProto for a float tensor [N, columns], N left free.
    private func writeValueInfo(_ name: String, columns: Int, to out: inout ProtobufWriter) {
        out.string(1, name)
        out.message(2) { type in                   // TypeProto
            type.message(1) { tensor in            // tensor_type
                tensor.integer(1, Self.floatElement)  // elem_type
                tensor.message(2) { shape in       // TensorShapeProto
                    shape.message(1) { $0.string(2, "N") }         // dim_param
                    shape.message(1) { $0.integer(1, columns) }    // dim_value
                }
            }
        }
    }
}
