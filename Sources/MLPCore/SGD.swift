/// Stochastic gradient descent with optional momentum μ and L2 weight decay λ (weights only).
public struct SGDConfig: Sendable, Equatable {
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// Whether the optimiser keeps a velocity buffer.
    public var usesMomentum: Bool { momentum != 0 }
}

/// w, g (and v when momentum is on) are `count` long: g ← g + λw; v ← μv + g; w ← w − ηv.
/// Without momentum there is no v: w ← w − ηg. λ is `decay` (0 for biases).
/// Purely elementwise, so any split of a buffer into spans gives the same bits.
func sgdUpdate(weights w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
               velocity v: UnsafeMutablePointer<Float>?, count: Int,
               learningRate: Float, momentum: Float, decay: Float) {
    if let v {
        for i in 0..<count {
            let step = momentum * v[i] + (g[i] + decay * w[i])
            v[i] = step
            w[i] -= learningRate * step
        }
    } else {
        for i in 0..<count {
            w[i] -= learningRate * (g[i] + decay * w[i])
        }
    }
}

/// What the backward pass does with each gradient span as soon as it is computed.
enum ParameterUpdate {
    /// Apply SGD to the parameters at once (velocity has the parameter layout, or nil for μ = 0).
    case sgd(SGDConfig, velocity: UnsafeMutablePointer<Float>?)
    /// Write the gradient into this buffer (parameter layout) and leave the parameters alone.
    case store(UnsafeMutablePointer<Float>)

    /// Hands over the gradient of parameters[offset ..< offset + count].
    func apply(_ gradient: UnsafePointer<Float>, parameters: UnsafeMutablePointer<Float>,
               offset: Int, count: Int, isWeight: Bool) {
        switch self {
        case let .sgd(config, velocity):
            sgdUpdate(weights: parameters + offset, gradient: gradient, velocity: velocity.map { $0 + offset },
                      count: count, learningRate: config.learningRate, momentum: config.momentum,
                      decay: isWeight ? config.weightDecay : 0)
        case let .store(destination):
            (destination + offset).update(from: gradient, count: count)
        }
    }
}
