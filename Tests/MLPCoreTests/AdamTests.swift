import Foundation
import Testing
@testable import MLPCore

/// Adam and AdamW: the update against its formula, by hand and by a textbook twin, and the
/// trainer's steps against that twin, the same bits for any thread count.
@Suite struct AdamTests {
    /// The textbook update of one element at step t, in Double.
    static func textbook(w: inout Double, m: inout Double, v: inout Double, g: Double, t: Int, eta: Double,
                         beta1: Double, beta2: Double, epsilon: Double, decay: Double, decoupled: Bool) {
        let gradient = decoupled ? g : g + decay * w
        if decoupled { w -= eta * decay * w }
        m = beta1 * m + (1 - beta1) * gradient
        v = beta2 * v + (1 - beta2) * gradient * gradient
        let mHat = m / (1 - pow(beta1, Double(t))), vHat = v / (1 - pow(beta2, Double(t)))
        w -= eta * mHat / (vHat.squareRoot() + epsilon)
    }

    /// Two steps worked by hand: with bias correction the first step is η·sign(g) (m̂ = g, v̂ = g²),
    /// and the second, with g = 2 after g = 1 (β1 0.9, β2 0.999):
    /// m = 0.9·0.1 + 0.1·2 = 0.29, m̂ = 0.29/0.19; v = 0.999·0.001 + 0.001·4 = 0.004999, v̂ = 0.004999/0.001999.
    @Test func twoStepsByHand() {
        var w: [Float] = [1], m: [Float] = [0], v: [Float] = [0]
        let eta: Float = 0.1
        for (t, g) in [(1, Float(1)), (2, Float(2))] {
            let step = (c1: Float(1 - pow(0.9, Double(t))), c2: Float(1 - pow(0.999, Double(t))))
            adamUpdate(weights: &w, gradient: [g], firstMoment: &m, secondMoment: &v, count: 1, learningRate: eta,
                       beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 0, decoupled: false, correction1: step.c1, correction2: step.c2)
            if t == 1 { #expect(abs(w[0] - 0.9) < 1e-6, "first step is η·sign(g): \(w[0])") }
        }
        let mHat = 0.29 / 0.19, vHat = 0.004999 / 0.001999
        let expected = 0.9 - 0.1 * mHat / (vHat.squareRoot() + 1e-8)
        // Float's 0.999 and 0.9 are off by ~1e-8 relative, which 1 − β turns into ~1e-5 of v.
        #expect(abs(Double(m[0]) - 0.29) < 1e-6 && abs(Double(v[0]) / 0.004999 - 1) < 1e-4)
        #expect(abs(Double(w[0]) - expected) < 1e-5, "\(w[0]) vs \(expected)")
    }

    /// Five steps of a few elements, Adam and AdamW with decay, against the textbook twin in Double.
    @Test(arguments: [false, true])
    func updateMatchesTextbook(decoupled: Bool) {
        var w: [Float] = [0.5, -1.25, 2, 0, 0.01], m = [Float](repeating: 0, count: 5), v = m
        var wRef = w.map(Double.init), mRef = m.map(Double.init), vRef = mRef
        let (eta, b1, b2, eps, decay) = (0.01, 0.8, 0.99, 1e-6, 0.05)
        for t in 1...5 {
            let g: [Float] = (0..<5).map { Float(sin(Double($0 * 3 + t))) }
            adamUpdate(weights: &w, gradient: g, firstMoment: &m, secondMoment: &v, count: 5, learningRate: Float(eta),
                       beta1: Float(b1), beta2: Float(b2), epsilon: Float(eps), decay: Float(decay), decoupled: decoupled,
                       correction1: Float(1 - pow(b1, Double(t))), correction2: Float(1 - pow(b2, Double(t))))
            for i in 0..<5 {
                Self.textbook(w: &wRef[i], m: &mRef[i], v: &vRef[i], g: Double(g[i]), t: t, eta: eta, beta1: b1, beta2: b2,
                              epsilon: eps, decay: decay, decoupled: decoupled)
            }
        }
        #expect(zip(w, wRef).allSatisfy { abs(Double($0) - $1) < 1e-5 }, "\(w) vs \(wRef)")
        #expect(zip(v, vRef).allSatisfy { abs(Double($0) - $1) < 1e-6 })
    }

    /// The trainer's Adam steps equal the textbook update of its own gradients, biases undecayed,
    /// and give the same bits on 1 and 3 threads, fused or not.
    /// The eight-lane loop against its scalar tail, element by element (a count of 1 takes the
    /// tail alone): the same bits, for a length that leaves a tail.
    @Test(arguments: [false, true])
    func lanesGiveTheScalarLoopsBits(decoupled: Bool) {
        let count = 8 * 5 + 3
        let g: [Float] = (0..<count).map { Float(($0 * 37) % 19 - 9) * 0.013 }
        let start: [Float] = (0..<count).map { Float(($0 * 11) % 13 - 6) * 0.07 }
        var w = start, m: [Float] = (0..<count).map { Float($0 % 5) * 0.01 }, v: [Float] = (0..<count).map { Float($0 % 7) * 0.002 }
        var (w1, m1, v1) = (w, m, v)
        func step(_ w: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float]) {
            adamUpdate(weights: &w, gradient: g, firstMoment: &m, secondMoment: &v, count: g.count, learningRate: 0.01,
                       beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 0.05, decoupled: decoupled,
                       correction1: 0.271, correction2: 0.00399)
        }
        step(&w, g, &m, &v)
        for i in 0..<count {
            var (wi, mi, vi) = ([w1[i]], [m1[i]], [v1[i]])
            step(&wi, [g[i]], &mi, &vi)
            (w1[i], m1[i], v1[i]) = (wi[0], mi[0], vi[0])
        }
        let bits = { (values: [Float]) -> [UInt32] in values.map(\.bitPattern) }
        #expect(bits(w) == bits(w1))
        #expect(bits(m) == bits(m1))
        #expect(bits(v) == bits(v1))
        #expect(w != start)
    }

    @Test func trainerStepsAsTheTextbookSays() {
        let shape = MLPShape(inputs: 12, hidden: 20, outputs: 3)
        let model = MLP(shape: shape, activation: .relu, seed: 2)
        let config = AdamConfig(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decoupledDecay: true)
        func trained(threads: Int, fused: Bool) -> Trainer {
            let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.01, weightDecay: 0.1),
                                  maxBatch: 8, threads: threads)
            trainer.fusesOptimiserStep = fused
            trainer.useAdam(config)
            for s in 0..<3 {
                let (x, labels) = syntheticBatch(count: 8, inputs: 12, classes: 3, start: 8 * s)
                trainer.step(x: x, labels: labels, count: 8)
            }
            return trainer
        }
        var w = model.parameters.map(Double.init), m = [Double](repeating: 0, count: w.count), v = m
        var current = model
        for s in 0..<3 {
            let (x, labels) = syntheticBatch(count: 8, inputs: 12, classes: 3, start: 8 * s)
            let g = GradientCheck.analytic(model: current, loss: .crossEntropy, x: x, labels: labels)
            for i in w.indices {
                let isWeight = i < shape.b1Offset || (shape.w2Offset..<shape.b2Offset).contains(i)
                Self.textbook(w: &w[i], m: &m[i], v: &v[i], g: Double(g[i]), t: s + 1, eta: 0.01, beta1: 0.9, beta2: 0.999,
                              epsilon: 1e-8, decay: isWeight ? 0.1 : 0, decoupled: true)
            }
            current.parameters = w.map { Float($0) }
        }
        let one = trained(threads: 1, fused: true)
        let worst = zip(one.model.parameters, w).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-4, "\(worst)")
        #expect(one.adamState?.steps == 3)
        for other in [trained(threads: 3, fused: true), trained(threads: 1, fused: false)] {
            #expect(other.model.parameters.map(\.bitPattern) == one.model.parameters.map(\.bitPattern))
            #expect(other.adamState == one.adamState)
        }
    }

    /// A checkpoint with Adam's state and a dropout rate reads back bit for bit; an SGD one has neither.
    @Test func sectionsRoundTrip() throws {
        let shape = MLPShape(inputs: 5, hidden: 4, outputs: 3)
        let model = try MLP(shape: shape, activation: .relu, parameters: variedWeights(shape.parameterCount))
        var checkpoint = Checkpoint(model: model, normalisationShift: [Float](repeating: 0, count: 5),
                                    normalisationScale: [Float](repeating: 1, count: 5),
                                    state: .starting(TrainingSettings(seed: 3, batchSize: 8, sgd: SGDConfig(learningRate: 0.001), loss: .crossEntropy)))
        let plain = checkpoint.encoded()
        checkpoint.adam = AdamState(config: AdamConfig(beta1: 0.85, beta2: 0.99, epsilon: 1e-7, decoupledDecay: true), steps: 123,
                                    firstMoment: variedWeights(shape.parameterCount, phase: 1),
                                    secondMoment: variedWeights(shape.parameterCount, phase: 2).map(abs))
        checkpoint.dropoutRate = 0.25
        let bytes = checkpoint.encoded()
        #expect(bytes.count == plain.count + 8 + 21 + 8 * shape.parameterCount + 8 + 4)
        let read = try Checkpoint(decoding: bytes)
        #expect(read == checkpoint)
        #expect(read.encoded() == bytes)
        let sgd = try Checkpoint(decoding: plain)
        #expect(sgd.adam == nil && sgd.dropoutRate == nil)
    }
}
