/// The sizes of a two-layer perceptron inputs-hidden-outputs, and where each tensor lives in the
/// one flat parameter buffer: W1 (inputs x hidden, row-major), b1 (hidden), W2 (hidden x outputs,
/// row-major), b2 (outputs). Gradients and momentum use the same layout.
public struct MLPShape: Equatable, Sendable, CustomStringConvertible {
    public let inputs: Int
    public let hidden: Int
    public let outputs: Int

    public init(inputs: Int, hidden: Int, outputs: Int) {
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
    }

    var w1Offset: Int { 0 }
    var w1Count: Int { inputs * hidden }
    var b1Offset: Int { w1Count }
    var w2Offset: Int { b1Offset + hidden }
    var w2Count: Int { hidden * outputs }
    var b2Offset: Int { w2Offset + w2Count }
    var parameterCount: Int { b2Offset + outputs }

    /// "784-128-10".
    public var description: String { "\(inputs)-\(hidden)-\(outputs)" }

    /// `outputs` rounded up to whole 16-lane vectors: the width of the padded output-layer buffers.
    var paddedOutputs: Int { (outputs + 15) / 16 * 16 }
}
