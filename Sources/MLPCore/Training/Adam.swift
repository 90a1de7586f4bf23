#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma & Ba 2015): each parameter's step is its gradient's running mean over the running
/// root mean square, so every parameter moves at about the learning rate whatever its gradient's
/// scale. The learning rate and weight decay are the run's (`SGDConfig`), so schedules apply as
/// they do to SGD.
public struct AdamConfig: Sendable, Equatable {
    /// Decay of the running mean of the gradient (β1) and of its square (β2).
    public var beta1: Float
    public var beta2: Float
    /// Added to the root mean square, so a parameter whose gradient is ~0 does not take a huge step.
    public var epsilon: Float
    /// How weight decay λ applies: false adds λw to the gradient, as L2 regularisation does
    /// (Adam); true shrinks the weights by ηλw beside the step, outside the moments (AdamW,
    /// Loshchilov & Hutter 2019), so decay is not damped where gradients are large.
    public var decoupledDecay: Bool

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, decoupledDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decoupledDecay = decoupledDecay
    }
}

/// Where an Adam run stands: its settings, the steps taken (t, for the bias corrections) and the
/// two moments, in the parameter layout. What a checkpoint must hold to resume Adam exactly.
public struct AdamState: Sendable, Equatable {
    public var config: AdamConfig
    var steps: Int
    var firstMoment: [Float]
    var secondMoment: [Float]

    init(config: AdamConfig, steps: Int, firstMoment: [Float], secondMoment: [Float]) {
        self.config = config
        self.steps = steps
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// Float fields compare by bit pattern, so a NaN stored equals itself.
    public static func == (l: Self, r: Self) -> Bool {
        l.config == r.config && l.steps == r.steps
            && l.firstMoment.map(\.bitPattern) == r.firstMoment.map(\.bitPattern)
            && l.secondMoment.map(\.bitPattern) == r.secondMoment.map(\.bitPattern)
    }
}

/// One Adam step's constants, the same for every span of the parameters.
struct AdamStep {
    var config: AdamConfig
    var learningRate: Float
    var weightDecay: Float
    /// 1 − β1ᵗ and 1 − β2ᵗ at this step t (from 1): the moments start at 0, so early on they
    /// underestimate the gradient's mean and square by these factors.
    var correction1: Float
    var correction2: Float
    /// The moments, parameter layout.
    var first: UnsafeMutablePointer<Float>
    var second: UnsafeMutablePointer<Float>

    init(config: AdamConfig, learningRate: Float, weightDecay: Float, step t: Int,
         first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>) {
        self.config = config
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        correction1 = Float(1 - pow(Double(config.beta1), Double(t)))
        correction2 = Float(1 - pow(Double(config.beta2), Double(t)))
        self.first = first
        self.second = second
    }

    /// Applies the step to parameters[offset ..< offset + count] from their gradient.
    func apply(_ gradient: UnsafePointer<Float>, parameters: UnsafeMutablePointer<Float>, offset: Int, count: Int, isWeight: Bool) {
        adamUpdate(weights: parameters + offset, gradient: gradient, firstMoment: first + offset, secondMoment: second + offset,
                   count: count, learningRate: learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon,
                   decay: isWeight ? weightDecay : 0, decoupled: config.decoupledDecay,
                   correction1: correction1, correction2: correction2)
    }
}

/// w, g, m and v are `count` long. With coupled decay g ← g + λw; then m ← β1·m + (1 − β1)·g,
/// v ← β2·v + (1 − β2)·g², and w ← w − η·(m / c1) / (√(v / c2) + ε), with c1 = 1 − β1ᵗ and
/// c2 = 1 − β2ᵗ at step t. With decoupled decay (AdamW) the weight first shrinks, w ← w − ηλw,
/// and g is left alone. λ is `decay` (0 for biases). Purely elementwise, so any split of a buffer
/// into spans gives the same bits.
func adamUpdate(weights w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>, count: Int,
                learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, decay: Float, decoupled: Bool,
                correction1: Float, correction2: Float) {
    let coupled = decoupled ? 0 : decay, shrink = decoupled ? learningRate * decay : 0
    // Eight lanes at a time: the scalar loop does not vectorise (the compiler cannot rule out
    // aliasing between the four buffers), and a square root and a division per parameter made
    // an Adam epoch three times an SGD one (the square root is one instruction only when built
    // without errno: scripts/cpu-flags.sh). Each lane does the tail's operations in the same
    // order, so the bits are the tail's.
    let vectorEnd = count - count % Half.scalarCount
    for i in stride(from: 0, to: vectorEnd, by: Half.scalarCount) {
        let weight = load(w + i)
        let gradient = load(g + i) + coupled * weight
        let first = beta1 * load(m + i) + (1 - beta1) * gradient
        let second = beta2 * load(v + i) + (1 - beta2) * gradient * gradient
        let mean = first / correction1, rms = (second / correction2).squareRoot()
        UnsafeMutableRawPointer(m + i).storeBytes(of: first, as: Half.self)
        UnsafeMutableRawPointer(v + i).storeBytes(of: second, as: Half.self)
        UnsafeMutableRawPointer(w + i).storeBytes(of: weight - shrink * weight - learningRate * mean / (rms + epsilon), as: Half.self)
    }
    for i in vectorEnd..<count {
        let gradient = g[i] + coupled * w[i]
        m[i] = beta1 * m[i] + (1 - beta1) * gradient
        v[i] = beta2 * v[i] + (1 - beta2) * gradient * gradient
        let mean = m[i] / correction1, rms = (v[i] / correction2).squareRoot()
        w[i] = w[i] - shrink * w[i] - learningRate * mean / (rms + epsilon)
    }
}

/// Adam's moments in aligned buffers (parameter layout) and the steps taken.
final class AdamMoments {
    let count: Int
    let first: UnsafeMutablePointer<Float>
    let second: UnsafeMutablePointer<Float>
    var steps = 0

    init(count: Int) {
        self.count = count
        first = allocateFloats(count)
        second = allocateFloats(count)
    }

    deinit {
        first.deallocate()
        second.deallocate()
    }

    /// Takes a saved state's steps and moments (moments of another length are left at 0).
    func load(_ state: AdamState) {
        steps = state.steps
        for (buffer, values) in [(first, state.firstMoment), (second, state.secondMoment)] where values.count == count {
            values.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: count) }
        }
    }

    var firstValues: [Float] { Array(UnsafeBufferPointer(start: first, count: count)) }
    var secondValues: [Float] { Array(UnsafeBufferPointer(start: second, count: count)) }
}
