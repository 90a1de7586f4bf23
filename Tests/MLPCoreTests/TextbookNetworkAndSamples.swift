import Foundation
@testable import MLPCore

/// Values derived from the index, varied in sign and size: sin(i · 1.7) · 0.5.
func variedWeights(_ count: Int, phase: Double = 0) -> [Float] {
    (0..<count).map { Float(sin(Double($0) * 1.7 + phase) * 0.5) }
}

/// A batch of `count` samples of `inputs` features from a learnable `classes`-class problem:
/// each class has its own cosine pattern, plus a small index-derived wobble.
func syntheticBatch(count: Int, inputs: Int, classes: Int, start: Int = 0) -> (x: [Float], labels: [Int32]) {
    var x: [Float] = [], labels: [Int32] = []
    for s in start..<(start + count) {
        let label = (s * 7 + 3) % classes
        labels.append(Int32(label))
        for d in 0..<inputs {
            x.append(Float(cos(Double(d) * 0.9 * Double(label + 1)) + 0.3 * sin(Double(s * inputs + d) * 1.3)))
        }
    }
    return (x, labels)
}

/// The network written the most obvious way, in Double: the oracle for loss and gradients.
struct ReferenceNetwork {
    let shape: MLPShape
    let activation: Activation
    let loss: LossFunction

    /// Leaky ReLU's slope, as `MLP.leak` defaults it.
    var leak = Double(Activation.defaultLeak)

    init(shape: MLPShape, activation: Activation, loss: LossFunction, leak: Double = Double(Activation.defaultLeak)) {
        self.shape = shape
        self.activation = activation
        self.loss = loss
        self.leak = leak
    }

    func f(_ z: Double) -> Double {
        switch activation {
        case .relu: max(z, 0)
        case .leakyRelu: z > 0 ? z : leak * z
        case .sigmoid: 1 / (1 + exp(-z))
        case .tanh: Foundation.tanh(z)
        }
    }

    func fPrime(_ z: Double) -> Double {
        switch activation {
        case .relu: z > 0 ? 1 : 0
        case .leakyRelu: z > 0 ? 1 : leak
        case .sigmoid: f(z) * (1 - f(z))
        case .tanh: 1 - Foundation.tanh(z) * Foundation.tanh(z)
        }
    }

    /// z1 (count x hidden) and p (count x outputs) for parameters `w`.
    func forward(_ w: [Float], x: [Float], count: Int) -> (z1: [Double], p: [Double]) {
        let (d, h, c) = (shape.inputs, shape.hidden, shape.outputs)
        var z1 = [Double](repeating: 0, count: count * h), p = [Double](repeating: 0, count: count * c)
        for s in 0..<count {
            for j in 0..<h {
                var z = Double(w[shape.b1Offset + j])
                for i in 0..<d { z += Double(x[s * d + i]) * Double(w[shape.w1Offset + i * h + j]) }
                z1[s * h + j] = z
            }
            var logits = [Double](repeating: 0, count: c)
            for k in 0..<c {
                var z = Double(w[shape.b2Offset + k])
                for j in 0..<h { z += f(z1[s * h + j]) * Double(w[shape.w2Offset + j * c + k]) }
                logits[k] = z
            }
            let top = logits.max()!
            let e = logits.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            for k in 0..<c { p[s * c + k] = e[k] / sum }
        }
        return (z1, p)
    }

    /// The batch mean loss.
    func meanLoss(_ w: [Float], x: [Float], labels: [Int32], count: Int) -> Double {
        let p = forward(w, x: x, count: count).p, c = shape.outputs
        var total = 0.0
        for s in 0..<count {
            let label = Int(labels[s])
            switch loss {
            case .crossEntropy: total -= log(p[s * c + label])
            case .mse: for k in 0..<c { let diff = p[s * c + k] - (k == label ? 1 : 0); total += diff * diff / 2 }
            }
        }
        return total / Double(count)
    }

    /// Analytic gradient of `meanLoss` by textbook backprop, in Double.
    func gradient(_ w: [Float], x: [Float], labels: [Int32], count: Int) -> [Double] {
        let (d, h, c) = (shape.inputs, shape.hidden, shape.outputs)
        let (z1, p) = forward(w, x: x, count: count)
        var g = [Double](repeating: 0, count: shape.parameterCount)
        let m = Double(count)
        for s in 0..<count {
            let label = Int(labels[s])
            var delta2 = (0..<c).map { (p[s * c + $0] - ($0 == label ? 1 : 0)) / m }
            if loss == .mse {
                let dot = (0..<c).reduce(0.0) { $0 + delta2[$1] * p[s * c + $1] }
                delta2 = (0..<c).map { p[s * c + $0] * (delta2[$0] - dot) }
            }
            for k in 0..<c { g[shape.b2Offset + k] += delta2[k] }
            for j in 0..<h {
                let hj = f(z1[s * h + j])
                var back = 0.0
                for k in 0..<c {
                    g[shape.w2Offset + j * c + k] += hj * delta2[k]
                    back += delta2[k] * Double(w[shape.w2Offset + j * c + k])
                }
                let delta1 = back * fPrime(z1[s * h + j])
                g[shape.b1Offset + j] += delta1
                for i in 0..<d { g[shape.w1Offset + i * h + j] += Double(x[s * d + i]) * delta1 }
            }
        }
        return g
    }

    /// One SGD step the obvious way: g ← dW + λW (weights only); v ← μv + g; W ← W − ηv.
    func sgdStep(_ w: inout [Float], velocity v: inout [Double], x: [Float], labels: [Int32], count: Int, sgd: SGDConfig) {
        let g = gradient(w, x: x, labels: labels, count: count)
        for i in 0..<w.count {
            let isWeight = i < shape.b1Offset || (i >= shape.w2Offset && i < shape.b2Offset)
            let step = Double(sgd.momentum) * v[i] + g[i] + (isWeight ? Double(sgd.weightDecay) * Double(w[i]) : 0)
            v[i] = step
            w[i] = Float(Double(w[i]) - Double(sgd.learningRate) * step)
        }
    }
}

extension Array where Element == Float {
    var bitPatterns: [UInt32] { map(\.bitPattern) }
}
