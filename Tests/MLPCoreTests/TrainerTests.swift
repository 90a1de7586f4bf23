import Testing
@testable import MLPCore

struct TrainerTests {
    func train(_ model: MLP, loss: LossFunction, sgd: SGDConfig, threads: Int, steps: Int, batch: Int) -> Trainer {
        let trainer = Trainer(model: model, loss: loss, sgd: sgd, maxBatch: batch, threads: threads)
        for s in 0..<steps {
            let (x, labels) = syntheticBatch(count: batch, inputs: model.shape.inputs, classes: model.shape.outputs, start: s * batch)
            trainer.step(x: x, labels: labels, count: batch)
        }
        return trainer
    }

    @Test(arguments: [MLPShape(inputs: 37, hidden: 100, outputs: 10), MLPShape(inputs: 784, hidden: 128, outputs: 10),
                      MLPShape(inputs: 9, hidden: 7, outputs: 3)])
    func sameBitsWhateverTheThreadCount(shape: MLPShape) {
        let model = MLP(shape: shape, activation: .relu, seed: 7)
        let sgd = SGDConfig(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3)
        let one = train(model, loss: .crossEntropy, sgd: sgd, threads: 1, steps: 6, batch: 19)
        #expect(one.model.parameters.bitPatterns != model.parameters.bitPatterns)
        for threads in [2, 3] {
            let many = train(model, loss: .crossEntropy, sgd: sgd, threads: threads, steps: 6, batch: 19)
            #expect(many.model.parameters.bitPatterns == one.model.parameters.bitPatterns, "\(threads) threads, \(shape)")
            #expect(many.velocity.bitPatterns == one.velocity.bitPatterns)
        }
    }

    static let cases: [(Activation, LossFunction)] = Activation.allCases.flatMap { a in LossFunction.allCases.map { (a, $0) } }

    /// Three steps with momentum and weight decay against the obvious Double implementation.
    @Test(arguments: cases)
    func stepMatchesPlainReference(activation: Activation, loss: LossFunction) throws {
        let shape = MLPShape(inputs: 13, hidden: 40, outputs: 5), batch = 9
        let sgd = SGDConfig(learningRate: 0.2, momentum: 0.9, weightDecay: 0.01)
        let start = variedWeights(shape.parameterCount)
        let trainer = Trainer(model: try MLP(shape: shape, activation: activation, parameters: start),
                              loss: loss, sgd: sgd, maxBatch: batch, threads: 2)
        let reference = ReferenceNetwork(shape: shape, activation: activation, loss: loss)
        var expected = start, velocity = [Double](repeating: 0, count: start.count)
        for s in 0..<3 {
            let (x, labels) = syntheticBatch(count: batch, inputs: shape.inputs, classes: shape.outputs, start: s * batch)
            let result = trainer.step(x: x, labels: labels, count: batch)
            #expect(abs(result.lossSum / Double(batch) - reference.meanLoss(expected, x: x, labels: labels, count: batch)) < 1e-5)
            reference.sgdStep(&expected, velocity: &velocity, x: x, labels: labels, count: batch, sgd: sgd)
        }
        let moved = zip(expected, start).map { abs($0 - $1) }.max()!
        #expect(moved > 1e-3, "the steps hardly moved the weights")
        let worst = zip(trainer.model.parameters, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 2e-5, "\(activation) \(loss): worst difference \(worst)")
        let worstVelocity = zip(trainer.velocity, velocity).map { abs(Double($0) - $1) }.max()!
        #expect(worstVelocity < 1e-4)
    }

    @Test func withoutMomentumThereIsNoVelocityAndSettingItResets() {
        let model = MLP(shape: MLPShape(inputs: 3, hidden: 4, outputs: 2), activation: .tanh, seed: 1)
        let trainer = Trainer(model: model, loss: .mse, sgd: SGDConfig(learningRate: 0.1), maxBatch: 2, threads: 1)
        #expect(trainer.velocity.isEmpty)
        trainer.velocity = [1, 2]
        #expect(trainer.velocity == [Float](repeating: 0, count: model.shape.parameterCount))
        let restored = (0..<model.shape.parameterCount).map(Float.init)
        trainer.velocity = restored
        #expect(trainer.velocity == restored)
    }

    @Test func emptyBatchChangesNothing() {
        let model = MLP(shape: MLPShape(inputs: 3, hidden: 4, outputs: 2), activation: .relu, seed: 1)
        let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.1), maxBatch: 2, threads: 2)
        #expect(trainer.step(x: [], labels: [], count: 0) == BatchResult(lossSum: 0, correct: 0))
        #expect(trainer.model == model)
    }

    /// A batch larger than maxBatch grows the buffers and gives the same result as a big enough trainer.
    @Test func batchesLargerThanMaxBatchWork() {
        let model = MLP(shape: MLPShape(inputs: 20, hidden: 33, outputs: 4), activation: .sigmoid, seed: 3)
        let small = train(model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.1), threads: 2, steps: 1, batch: 40)
        let (x, labels) = syntheticBatch(count: 40, inputs: 20, classes: 4)
        let big = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.1), maxBatch: 1, threads: 1)
        big.step(x: x, labels: labels, count: 40)
        #expect(big.model.parameters.bitPatterns == small.model.parameters.bitPatterns)
    }

    /// Golden run (llm.c's expected_losses): seed 42, 3-class synthetic data, 16-24-3 ReLU,
    /// cross-entropy, lr 0.1, momentum 0.5, batch 12. First five batch-mean losses pinned.
    @Test func goldenRunLosses() {
        let model = MLP(shape: MLPShape(inputs: 16, hidden: 24, outputs: 3), activation: .relu, seed: 42)
        let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.1, momentum: 0.5),
                              maxBatch: 12, threads: 2)
        var losses: [Double] = []
        for s in 0..<40 {
            let (x, labels) = syntheticBatch(count: 12, inputs: 16, classes: 3, start: s * 12)
            losses.append(trainer.step(x: x, labels: labels, count: 12).lossSum / 12)
        }
        let expected: [Double] = [0.9386947591369347, 0.5563617811273777, 0.5490228134138976, 0.41709400565061255, 0.22134606265381965]
        for (got, want) in zip(losses.prefix(5), expected) {
            #expect(abs(got - want) <= 1e-5 * max(1, abs(want)), "loss \(got), pinned \(want)")
        }
        let early = losses.prefix(5).reduce(0, +) / 5, late = losses.suffix(5).reduce(0, +) / 5
        #expect(late < 0.5 * early, "loss did not fall: \(early) → \(late)")
    }

    /// The optimiser step fused into backprop and applied afterwards to the stored gradient give
    /// the same bits, with momentum and decay, for mostly-zero and dense inputs.
    @Test(arguments: [(threads: 1, sparse: true), (threads: 2, sparse: true), (threads: 2, sparse: false)])
    func fusedAndSeparateOptimiserStepsAgree(threads: Int, sparse: Bool) {
        let shape = MLPShape(inputs: 64, hidden: 40, outputs: 10)
        let model = MLP(shape: shape, activation: .relu, seed: 5)
        let sgd = SGDConfig(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3)
        let fused = Trainer(model: model, loss: .crossEntropy, sgd: sgd, maxBatch: 16, threads: threads)
        let separate = Trainer(model: model, loss: .crossEntropy, sgd: sgd, maxBatch: 16, threads: threads)
        separate.fusesOptimiserStep = false
        for s in 0..<5 {
            var (x, labels) = syntheticBatch(count: 16, inputs: shape.inputs, classes: shape.outputs, start: s * 16)
            if sparse { for i in x.indices where i % 5 != 0 { x[i] = 0 } }  // 80% zeros: the sparse kernels
            let a = fused.step(x: x, labels: labels, count: 16), b = separate.step(x: x, labels: labels, count: 16)
            #expect(a == b)
        }
        #expect(fused.model.parameters.bitPatterns == separate.model.parameters.bitPatterns)
        #expect(fused.velocity.bitPatterns == separate.velocity.bitPatterns)
        #expect(fused.model.parameters.bitPatterns != model.parameters.bitPatterns)
    }
}
