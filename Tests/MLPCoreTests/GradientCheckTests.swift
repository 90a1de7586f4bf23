import Testing
@testable import MLPCore

struct GradientCheckTests {
    static let shape = MLPShape(inputs: 7, hidden: 5, outputs: 3)
    static let count = 4

    static let cases: [(Activation, LossFunction)] = Activation.allCases.flatMap { a in LossFunction.allCases.map { (a, $0) } }

    /// Every parameter's analytic gradient (the Trainer's backprop) against central differences of a
    /// Double-precision loss, for each activation and loss, through the check `mnist-cli gradcheck` runs.
    @Test(arguments: cases)
    func backpropMatchesCentralDifferences(activation: Activation, loss: LossFunction) throws {
        let shape = Self.shape, count = Self.count
        let model = try MLP(shape: shape, activation: activation, parameters: variedWeights(shape.parameterCount))
        let (x, labels) = syntheticBatch(count: count, inputs: shape.inputs, classes: shape.outputs)

        // The fixture keeps every z1 well away from ReLU's kink, so nothing may be skipped.
        let z1 = ReferenceNetwork(shape: shape, activation: activation, loss: loss).forward(model.parameters, x: x, count: count).z1
        #expect(z1.map(abs).min()! > 1e-3, "fixture puts a unit at its kink")

        let analytic = GradientCheck.analytic(model: model, loss: loss, x: x, labels: labels)
        let check = GradientCheck(model: model, loss: loss, x: x, labels: labels, analytic: analytic)
        #expect(check.blocks.map(\.name) == ["W1", "b1", "W2", "b2"])
        #expect(check.blocks.map(\.entries) == [35, 5, 15, 3])
        for block in check.blocks {
            #expect(block.skipped == 0, "\(block.name) skipped \(block.skipped)")
            #expect(block.maxRelativeError < 1e-4, "\(activation) \(loss) \(block.name): \(block.maxRelativeError)")
            // Not trivially zero: every block has a clearly non-zero gradient somewhere.
            #expect(block.largestGradient > 1e-3, "\(block.name) gradient is all ~0")
        }
        #expect(check.passes())
    }

    /// The numeric side is right on its own: it equals the textbook gradient written out in Double.
    @Test(arguments: cases)
    func centralDifferencesMatchTextbookGradient(activation: Activation, loss: LossFunction) throws {
        let shape = Self.shape, count = Self.count
        let model = try MLP(shape: shape, activation: activation, parameters: variedWeights(shape.parameterCount))
        let (x, labels) = syntheticBatch(count: count, inputs: shape.inputs, classes: shape.outputs)
        let textbook = ReferenceNetwork(shape: shape, activation: activation, loss: loss).gradient(model.parameters, x: x, labels: labels, count: count)
        // Given the exact gradient as "analytic", the check reports only its own error.
        let check = GradientCheck(model: model, loss: loss, x: x, labels: labels, analytic: textbook.map { Float($0) })
        for block in check.blocks { #expect(block.maxRelativeError < 1e-5, "\(block.name): \(block.maxRelativeError)") }
    }

    /// A 1% slip in any one block, or a sign error in one entry, fails the check, in that block only.
    @Test(arguments: ["W1", "b1", "W2", "b2"])
    func brokenGradientFails(block name: String) throws {
        let shape = Self.shape
        let model = try MLP(shape: shape, activation: .relu, parameters: variedWeights(shape.parameterCount))
        let (x, labels) = syntheticBatch(count: Self.count, inputs: shape.inputs, classes: shape.outputs)
        let range = shape.blocks.first { $0.name == name }!.range
        var scaled = GradientCheck.analytic(model: model, loss: .crossEntropy, x: x, labels: labels)
        for i in range { scaled[i] *= 1.01 }
        let check = GradientCheck(model: model, loss: .crossEntropy, x: x, labels: labels, analytic: scaled)
        #expect(!check.passes())
        for block in check.blocks {
            #expect((block.maxRelativeError > 5e-3) == (block.name == name), "\(block.name): \(block.maxRelativeError)")
        }

        var flipped = GradientCheck.analytic(model: model, loss: .crossEntropy, x: x, labels: labels)
        let largest = range.max { abs(flipped[$0]) < abs(flipped[$1]) }!
        flipped[largest] = -flipped[largest]
        let flippedCheck = GradientCheck(model: model, loss: .crossEntropy, x: x, labels: labels, analytic: flipped)
        #expect(flippedCheck.blocks.first { $0.name == name }!.maxRelativeError > 1.5)
        #expect(flippedCheck.blocks.first { $0.name == name }!.worstIndex == largest)
    }

    /// A hidden unit sitting on ReLU's kink is skipped (its W1 column and its b1), not reported as
    /// an error; the same unit under tanh is checked.
    @Test func unitAtTheKinkIsSkipped() throws {
        let shape = Self.shape
        var weights = variedWeights(shape.parameterCount)
        let (x, labels) = syntheticBatch(count: Self.count, inputs: shape.inputs, classes: shape.outputs)
        // Unit 2's z1 for sample 0 made exactly 0 by its bias.
        let z = ReferenceNetwork(shape: shape, activation: .relu, loss: .crossEntropy).forward(weights, x: x, count: Self.count).z1[2]
        weights[shape.b1Offset + 2] -= Float(z)
        for activation in [Activation.relu, .tanh] {
            let model = try MLP(shape: shape, activation: activation, parameters: weights)
            let check = GradientCheck(model: model, loss: .crossEntropy, x: x, labels: labels,
                                      analytic: GradientCheck.analytic(model: model, loss: .crossEntropy, x: x, labels: labels))
            let skipped = check.blocks.map(\.skipped)
            #expect(skipped == (activation == .relu ? [shape.inputs, 1, 0, 0] : [0, 0, 0, 0]), "\(activation): \(skipped)")
            #expect(check.passes())
        }
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
