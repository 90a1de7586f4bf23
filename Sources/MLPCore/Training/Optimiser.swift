/// The optimiser step: what happens to a parameter once its gradient exists. It is one place,
/// apart from backprop, so that learning-rate schedules (the rate the loop sets before a step),
/// other momentum forms and weight averaging extend it without touching the gradients.
///
/// Backprop hands each gradient span to `ParameterUpdate.apply` as soon as it exists, which by
/// default applies SGD there and then ("fused": no full gradient buffer is written, and each span
/// is updated while still in cache). `Trainer.fusesOptimiserStep = false` instead stores the whole
/// gradient and applies `applyOptimiserStep` after backprop: the same bits, kept as the oracle and
/// for measuring what fusing saves (docs/performance.md).

/// Stochastic gradient descent with optional momentum μ and L2 weight decay λ (weights only).
public struct SGDConfig: Sendable, Equatable {
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    /// Nesterov's form of momentum: the step looks ahead along the velocity.
    public var nesterov: Bool

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// Whether the optimiser keeps a velocity buffer.
    var usesMomentum: Bool { momentum != 0 }
}

/// w, g (and v when momentum is on) are `count` long: g ← g + λw; v ← μv + g; w ← w − ηv, or
/// with Nesterov's momentum w ← w − η(g + μv) (Sutskever et al. 2013, in the form PyTorch uses).
/// Without momentum there is no v: w ← w − ηg. λ is `decay` (0 for biases).
/// Purely elementwise, so any split of a buffer into spans gives the same bits.
func sgdUpdate(weights w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
               velocity v: UnsafeMutablePointer<Float>?, count: Int,
               learningRate: Float, momentum: Float, decay: Float, nesterov: Bool = false) {
    if let v, nesterov {
        for i in 0..<count {
            let decayed = g[i] + decay * w[i]
            let step = momentum * v[i] + decayed
            v[i] = step
            w[i] -= learningRate * (decayed + momentum * step)
        }
    } else if let v {
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

/// The optimiser step over a whole gradient in the parameter layout: weights with decay, biases
/// without, block by block, exactly as the fused spans do.
func applyOptimiserStep(_ update: ParameterUpdate, shape: MLPShape, parameters: UnsafeMutablePointer<Float>,
                        gradient: UnsafePointer<Float>) {
    for (offset, count, isWeight) in [(shape.w1Offset, shape.w1Count, true), (shape.b1Offset, shape.hidden, false),
                                      (shape.w2Offset, shape.w2Count, true), (shape.b2Offset, shape.outputs, false)] {
        update.apply(gradient + offset, parameters: parameters, offset: offset, count: count, isWeight: isWeight)
    }
}

/// What the backward pass does with each gradient span as soon as it is computed.
enum ParameterUpdate {
    /// Apply SGD to the parameters at once (velocity has the parameter layout, or nil for μ = 0).
    case sgd(SGDConfig, velocity: UnsafeMutablePointer<Float>?)
    /// Apply Adam to the parameters at once.
    case adam(AdamStep)
    /// Write the gradient into this buffer (parameter layout) and leave the parameters alone.
    case store(UnsafeMutablePointer<Float>)

    /// Hands over the gradient of parameters[offset ..< offset + count].
    func apply(_ gradient: UnsafePointer<Float>, parameters: UnsafeMutablePointer<Float>,
               offset: Int, count: Int, isWeight: Bool) {
        switch self {
        case let .sgd(config, velocity):
            sgdUpdate(weights: parameters + offset, gradient: gradient, velocity: velocity.map { $0 + offset },
                      count: count, learningRate: config.learningRate, momentum: config.momentum,
                      decay: isWeight ? config.weightDecay : 0, nesterov: config.nesterov)
        case let .adam(step):
            step.apply(gradient, parameters: parameters, offset: offset, count: count, isWeight: isWeight)
        case let .store(destination):
            (destination + offset).update(from: gradient, count: count)
        }
    }
}
