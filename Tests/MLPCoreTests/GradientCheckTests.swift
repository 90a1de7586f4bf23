import Testing
@testable import MLPCore

struct GradientCheckTests {
    static let shape = MLPShape(inputs: 7, hidden: 5, outputs: 3)
    static let count = 4

    static let cases: [(Activation, LossFunction)] = Activation.allCases.flatMap { a in LossFunction.allCases.map { (a, $0) } }

    /// Every parameter's analytic gradient (the Trainer's backprop) against central differences of a
    /// Double-precision loss, for each activation and loss.
    @Test(arguments: cases)
    func backpropMatchesCentralDifferences(activation: Activation, loss: LossFunction) throws {
        let shape = Self.shape, count = Self.count
        let weights = variedWeights(shape.parameterCount)
        let model = try MLP(shape: shape, activation: activation, parameters: weights)
        let (x, labels) = syntheticBatch(count: count, inputs: shape.inputs, classes: shape.outputs)
        let reference = ReferenceNetwork(shape: shape, activation: activation, loss: loss)
        let epsilon: Float = 1e-3

        // Central differences are meaningless across ReLU's kink: no perturbation (which moves a
        // z1 by at most ε·max(|x|, 1)) may carry a unit across 0.
        let z1 = reference.forward(weights, x: x, count: count).z1
        let largestInput = Double(x.map(abs).max()!)
        #expect(z1.map(abs).min()! > 2 * Double(epsilon) * max(largestInput, 1), "fixture puts a unit at its kink")

        let analytic = gradients(model: model, loss: loss, x: x, labels: labels, count: count)
        var worst = 0.0, largest = 0.0
        for i in 0..<shape.parameterCount {
            var plus = weights, minus = weights
            plus[i] += epsilon
            minus[i] -= epsilon
            let numeric = (reference.meanLoss(plus, x: x, labels: labels, count: count)
                - reference.meanLoss(minus, x: x, labels: labels, count: count)) / (Double(plus[i]) - Double(minus[i]))
            let error = abs(Double(analytic[i]) - numeric) / max(abs(numeric), 1e-3)
            worst = max(worst, error)
            largest = max(largest, abs(numeric))
        }
        #expect(worst < 2e-3, "\(activation) \(loss): worst relative error \(worst)")

        // Not trivially zero: every tensor has a clearly non-zero gradient somewhere.
        for (name, range) in [("W1", shape.w1Offset..<shape.b1Offset), ("b1", shape.b1Offset..<shape.w2Offset),
                              ("W2", shape.w2Offset..<shape.b2Offset), ("b2", shape.b2Offset..<shape.parameterCount)] {
            #expect(analytic[range].map(abs).max()! > 1e-4, "\(name) gradient is all ~0")
        }
        #expect(largest > 1e-3)
    }

    /// The analytic gradient also agrees with the textbook backprop written out in the test.
    @Test(arguments: cases)
    func backpropMatchesTextbookFormula(activation: Activation, loss: LossFunction) throws {
        let shape = MLPShape(inputs: 37, hidden: 50, outputs: 10), count = 9
        let weights = variedWeights(shape.parameterCount).map { $0 * 0.4 }
        let model = try MLP(shape: shape, activation: activation, parameters: weights)
        let (x, labels) = syntheticBatch(count: count, inputs: shape.inputs, classes: shape.outputs)
        let expected = ReferenceNetwork(shape: shape, activation: activation, loss: loss)
            .gradient(weights, x: x, labels: labels, count: count)
        let analytic = gradients(model: model, loss: loss, x: x, labels: labels, count: count)
        let scale = expected.map(abs).max()!
        #expect(scale > 1e-4)
        let worst = zip(analytic, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst <= 1e-4 * scale, "\(activation) \(loss): \(worst) against scale \(scale)")
    }
}
