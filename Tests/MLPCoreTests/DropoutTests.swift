import Foundation
import Testing
@testable import MLPCore

/// Inverted dropout: the masks' rate and scale, where they come from, and backprop through them.
@Suite struct DropoutTests {
    /// A mask drops about p of the units and scales the rest by 1/(1 − p); it depends on the seed,
    /// the epoch and the sample, and on nothing else.
    @Test func masksComeFromSeedEpochAndSample() {
        let dropout = Dropout(rate: 0.3, seed: 7), hidden = 1000
        func mask(_ d: Dropout, epoch: Int, sample: Int) -> [Float] {
            var out = [Float](repeating: -1, count: hidden)
            d.scales(epoch: epoch, sample: sample, into: &out, count: hidden)
            return out
        }
        let first = mask(dropout, epoch: 1, sample: 5)
        let kept = Float(1 / 0.7)
        #expect(first.allSatisfy { $0 == 0 || $0 == kept })
        let dropped = first.count { $0 == 0 }
        // Binomial(1000, 0.3): mean 300, standard deviation 14.5.
        #expect((250...350).contains(dropped), "\(dropped) dropped")
        #expect(mask(dropout, epoch: 1, sample: 5) == first)
        #expect(mask(dropout, epoch: 2, sample: 5) != first)
        #expect(mask(dropout, epoch: 1, sample: 6) != first)
        #expect(mask(Dropout(rate: 0.3, seed: 8), epoch: 1, sample: 5) != first)
    }

    /// Backprop through a fixed mask against central differences of the masked loss, for each activation.
    @Test(arguments: Activation.allCases)
    func gradientThroughAFixedMask(activation: Activation) throws {
        let shape = MLPShape(inputs: 7, hidden: 5, outputs: 3), count = 4
        let model = try MLP(shape: shape, activation: activation, parameters: variedWeights(shape.parameterCount))
        let (x, labels) = syntheticBatch(count: count, inputs: shape.inputs, classes: shape.outputs)
        // Every third unit-sample dropped, the rest scaled as p = 1/3 would.
        let scales: [Float] = (0..<(count * shape.hidden)).map { $0 % 3 == 1 ? 0 : 1.5 }
        let analytic = GradientCheck.analytic(model: model, loss: .crossEntropy, x: x, labels: labels, dropoutScales: scales)
        let check = GradientCheck(model: model, loss: .crossEntropy, x: x, labels: labels, analytic: analytic, dropoutScales: scales)
        for block in check.blocks {
            #expect(block.maxRelativeError < 1e-4, "\(activation) \(block.name): \(block.maxRelativeError)")
            #expect(block.largestGradient > 1e-3, "\(block.name) gradient is all ~0")
        }
        // The mask matters: the unmasked gradient fails against the masked loss.
        let unmasked = GradientCheck.analytic(model: model, loss: .crossEntropy, x: x, labels: labels)
        #expect(!GradientCheck(model: model, loss: .crossEntropy, x: x, labels: labels, analytic: unmasked, dropoutScales: scales).passes())
    }

    /// Training with dropout gives the same bits on 1 and 3 threads; the masks change the weights.
    @Test func sameBitsForAnyThreadCount() {
        let shape = MLPShape(inputs: 12, hidden: 40, outputs: 3)
        let model = MLP(shape: shape, activation: .relu, seed: 4)
        func trained(threads: Int, dropout: Dropout?) -> [UInt32] {
            let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.1), maxBatch: 30, threads: threads)
            trainer.dropout = dropout
            for s in 0..<3 {
                let (x, labels) = syntheticBatch(count: 30, inputs: 12, classes: 3, start: 30 * s)
                let indices = (0..<30).map { Int32(30 * s + $0) }
                _ = indices.withUnsafeBufferPointer { trainer.step(x: x, labels: labels, count: 30, sgd: trainer.sgd, samples: BatchSamples(epoch: 1, indices: $0)) }
            }
            return trainer.model.parameters.map(\.bitPattern)
        }
        let dropout = Dropout(rate: 0.5, seed: 1)
        #expect(trained(threads: 1, dropout: dropout) == trained(threads: 3, dropout: dropout))
        #expect(trained(threads: 1, dropout: dropout) != trained(threads: 1, dropout: nil))
    }
}
