/// A two-layer perceptron: z1 = x·W1 + b1, h = f(z1), z2 = h·W2 + b2, p = softmax(z2).
/// All parameters live in one buffer laid out by `MLPShape`.
public struct MLP: Sendable, Equatable {
    public let shape: MLPShape
    public let activation: Activation
    public var parameters: [Float]
    /// Leaky ReLU's slope below 0; kept (and saved) only for `.leakyRelu`.
    public var leak: Float = Activation.defaultLeak

    /// Fresh weights: normals with He std sqrt(2/fanIn) for ReLU, sqrt(1/fanIn) for sigmoid and
    /// tanh, drawn in layout order (W1 then W2) from SplitMix64(seed) by Box–Muller; biases 0.
    public init(shape: MLPShape, activation: Activation, seed: UInt64) {
        self.shape = shape
        self.activation = activation
        var parameters = [Float](repeating: 0, count: shape.parameterCount)
        var random = SplitMix64(seed: seed)
        parameters.withUnsafeMutableBufferPointer { p in
            random.fillNormal(UnsafeMutableBufferPointer(rebasing: p[shape.w1Offset..<(shape.w1Offset + shape.w1Count)]),
                              std: activation.initialStd(fanIn: shape.inputs))
            random.fillNormal(UnsafeMutableBufferPointer(rebasing: p[shape.w2Offset..<(shape.w2Offset + shape.w2Count)]),
                              std: activation.initialStd(fanIn: shape.hidden))
        }
        self.parameters = parameters
    }

    /// Existing weights, in the layout of `shape`.
    public init(shape: MLPShape, activation: Activation, parameters: [Float]) throws(MLPError) {
        guard parameters.count == shape.parameterCount else {
            throw .parameterCountMismatch(shape: shape, expected: shape.parameterCount, found: parameters.count)
        }
        self.shape = shape
        self.activation = activation
        self.parameters = parameters
    }
}

public enum MLPError: Error, Equatable, CustomStringConvertible {
    case parameterCountMismatch(shape: MLPShape, expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .parameterCountMismatch(shape, expected, found):
            "a \(shape) network has \(expected) parameters but \(found) were given; build the parameters in MLPShape's layout"
        }
    }
}
