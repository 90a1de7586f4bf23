import Foundation
import Testing
@testable import MLPCore

struct MLPTests {
    @Test func splitMix64MatchesPublishedSequence() {
        // Reference outputs of Vigna's splitmix64.c for seed 0.
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.state == 2 &* 0x9E37_79B9_7F4A_7C15)
    }

    @Test func shapeLayout() {
        let shape = MLPShape(inputs: 784, hidden: 128, outputs: 10)
        #expect(shape.b1Offset == 100_352 && shape.w2Offset == 100_480 && shape.b2Offset == 101_760)
        #expect(shape.parameterCount == 101_770)
        #expect(shape.description == "784-128-10")
        #expect(shape.paddedOutputs == 16)
    }

    /// He (std sqrt(2/fanIn)) for ReLU, sqrt(1/fanIn) otherwise; biases zero; reproducible per seed.
    @Test(arguments: Activation.allCases)
    func initialisation(activation: Activation) {
        let shape = MLPShape(inputs: 400, hidden: 100, outputs: 10)
        let model = MLP(shape: shape, activation: activation, seed: 5)
        #expect(model == MLP(shape: shape, activation: activation, seed: 5))
        #expect(model != MLP(shape: shape, activation: activation, seed: 6))
        let gain = activation.canDie ? 2.0 : 1.0
        for (range, fanIn) in [(shape.w1Offset..<shape.b1Offset, 400.0), (shape.w2Offset..<shape.b2Offset, 100.0)] {
            let w = model.parameters[range].map(Double.init)
            let mean = w.reduce(0, +) / Double(w.count)
            let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(w.count)).squareRoot()
            let expected = (gain / fanIn).squareRoot()
            #expect(abs(mean) < 4 * expected / Double(w.count).squareRoot())
            #expect(abs(std / expected - 1) < 0.05, "std \(std), expected \(expected)")
        }
        #expect(model.parameters[shape.b1Offset..<shape.w2Offset].allSatisfy { $0 == 0 })
        #expect(model.parameters[shape.b2Offset...].allSatisfy { $0 == 0 })
    }

    @Test func wrongParameterCountIsATypedError() {
        let shape = MLPShape(inputs: 2, hidden: 2, outputs: 2)
        #expect(throws: MLPError.parameterCountMismatch(shape: shape, expected: 12, found: 3)) {
            try MLP(shape: shape, activation: .relu, parameters: [1, 2, 3])
        }
    }

    @Test func lossValues() {
        let p: [Float] = [0.25, 0.5, 0.25]
        #expect(abs(lossValue(.crossEntropy, probabilities: p, label: 1, classes: 3) - log(2.0)) < 1e-12)
        // ½((0.25)² + (0.5)² + (0.25)²) = 0.1875
        #expect(abs(lossValue(.mse, probabilities: p, label: 1, classes: 3) - 0.1875) < 1e-12)
        #expect(lossValue(.crossEntropy, probabilities: [1, 0], label: 1, classes: 2) > 80)
        #expect(lossValue(.mse, probabilities: p, label: 3, classes: 3).isNaN)
    }

    @Test(arguments: Activation.allCases)
    func inferenceMatchesReferenceForward(activation: Activation) throws {
        let shape = MLPShape(inputs: 30, hidden: 45, outputs: 7), count = 21
        let weights = variedWeights(shape.parameterCount)
        let inference = Inference(model: try MLP(shape: shape, activation: activation, parameters: weights), maxBatch: 8, threads: 2)
        let (x, _) = syntheticBatch(count: count, inputs: shape.inputs, classes: shape.outputs)
        let expected = ReferenceNetwork(shape: shape, activation: activation, loss: .crossEntropy).forward(weights, x: x, count: count).p
        let p = Array(inference.probabilities(x: x, count: count))
        #expect(p.count == count * shape.outputs)
        #expect(zip(p, expected).map { abs(Double($0) - $1) }.max()! < 1e-5)
        #expect(expected.max()! - expected.min()! > 0.03, "probabilities are not trivially uniform")
    }
}
