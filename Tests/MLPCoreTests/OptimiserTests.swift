import Foundation
import Testing
@testable import MLPCore

/// Nesterov momentum, learning-rate schedules and weight averaging, each against its formula.
@Suite struct OptimiserTests {
    /// Three updates of a few elements, against the formulas in Double.
    @Test(arguments: [false, true])
    func sgdUpdateFollowsItsFormula(nesterov: Bool) {
        var w: [Float] = [0.5, -1.25, 2, 0], v: [Float] = [0.1, 0, -0.3, 0.2]
        var wRef = w.map(Double.init), vRef = v.map(Double.init)
        let (eta, mu, decay) = (0.1, 0.9, 0.01)
        for step in 0..<3 {
            let g: [Float] = (0..<4).map { Float(sin(Double($0 * 3 + step))) }
            sgdUpdate(weights: &w, gradient: g, velocity: &v, count: 4, learningRate: Float(eta), momentum: Float(mu),
                      decay: Float(decay), nesterov: nesterov)
            for i in 0..<4 {
                let decayed = Double(g[i]) + decay * wRef[i]
                vRef[i] = mu * vRef[i] + decayed
                wRef[i] -= eta * (nesterov ? decayed + mu * vRef[i] : vRef[i])
            }
        }
        #expect(zip(w, wRef).allSatisfy { abs(Double($0) - $1) < 1e-6 }, "\(w) vs \(wRef)")
        #expect(zip(v, vRef).allSatisfy { abs(Double($0) - $1) < 1e-6 })
    }

    @Test func nesterovChangesTheTrajectory() {
        let model = MLP(shape: MLPShape(inputs: 12, hidden: 20, outputs: 3), activation: .relu, seed: 2)
        func trained(_ nesterov: Bool) -> [Float] {
            let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.1, momentum: 0.9, nesterov: nesterov),
                                  maxBatch: 8, threads: 1)
            for s in 0..<4 {
                let (x, labels) = syntheticBatch(count: 8, inputs: 12, classes: 3, start: 8 * s)
                trainer.step(x: x, labels: labels, count: 8)
            }
            return trainer.model.parameters
        }
        #expect(trained(true) != trained(false))
    }

    @Test func schedulesHitKnownValuesAtKnownSteps() {
        let base: Float = 0.2, perEpoch = 10, epochs = 5
        func rate(_ schedule: LearningRateSchedule, _ step: Int) -> Float {
            schedule.rate(base: base, step: step, stepsPerEpoch: perEpoch, epochs: epochs)
        }
        #expect((0..<50).allSatisfy { rate(.constant, $0) == base })
        let halving = LearningRateSchedule(.step(epochs: 2, factor: 0.5))
        #expect([0, 19, 20, 39, 40, 49].map { rate(halving, $0) } == [0.2, 0.2, 0.1, 0.1, 0.05, 0.05])
        let cosine = LearningRateSchedule(.cosine)
        #expect(rate(cosine, 0) == base)
        #expect(abs(rate(cosine, 49)) < 1e-9)  // the last step runs at 0
        #expect(abs(Double(rate(cosine, 49 / 2 + 0)) - 0.1 * (1 + cos(Double.pi * 24 / 49))) < 1e-7)
        let warm = LearningRateSchedule(.cosine, warmupEpochs: 1)
        #expect([0, 4, 9].map { rate(warm, $0) } == [0.02, 0.1, 0.2])
        #expect(rate(warm, 10) == base && abs(rate(warm, 49)) < 1e-9)
        #expect((11..<49).allSatisfy { rate(warm, $0) < rate(warm, $0 - 1) }, "cosine falls after the warm-up")
    }

    /// The loop sets the scheduled rate before every step: a cosine run equals one stepped by hand.
    @Test func theLoopFollowsTheSchedule() throws {
        let data = SyntheticSamples(count: 40, features: 12, classes: 3)
        let model = MLP(shape: MLPShape(inputs: 12, hidden: 20, outputs: 3), activation: .relu, seed: 4)
        let sgd = SGDConfig(learningRate: 0.3)
        let schedule = LearningRateSchedule(.cosine, warmupEpochs: 1)
        let trainer = Trainer(model: model, loss: .crossEntropy, sgd: sgd, maxBatch: 10, threads: 2)
        let run = TrainingRun(trainer: trainer, state: .starting(TrainingSettings(seed: 4, batchSize: 10, sgd: sgd, loss: .crossEntropy,
                                                                                   schedule: schedule)))
        var rates: [Float] = []
        _ = try run.train(epochs: 3, on: data, evaluatingOn: data, hooks: TrainingHooks(afterBatch: { epoch, _, _ in
            rates.append(epoch.learningRate)
            return .carryOn
        }))
        #expect(trainer.sgd == sgd, "the run's settings are its own: the trainer's stay as they were")
        #expect(rates == (0..<12).map { schedule.rate(base: 0.3, step: $0, stepsPerEpoch: 4, epochs: 3) })
        #expect(rates.first == 0.075 && rates.last == 0)
    }

    /// a ← βa + (1 − β)w after each step, from the starting weights, whatever the thread count;
    /// evaluation sees the average.
    @Test func theWeightAverageMatchesItsFormula() throws {
        let shape = MLPShape(inputs: 12, hidden: 36, outputs: 3)
        let model = MLP(shape: shape, activation: .tanh, seed: 9)
        var expected = model.parameters.map(Double.init)
        let beta: Float = 0.75
        let trainers = [1, 2].map { threads in
            let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.2, momentum: 0.5),
                                  maxBatch: 8, threads: threads)
            trainer.startAveraging(decay: beta)
            return trainer
        }
        for s in 0..<5 {
            let (x, labels) = syntheticBatch(count: 8, inputs: 12, classes: 3, start: 8 * s)
            for trainer in trainers { trainer.step(x: x, labels: labels, count: 8) }
            let w = trainers[0].model.parameters
            for i in expected.indices { expected[i] = Double(beta) * expected[i] + Double(1 - beta) * Double(w[i]) }
        }
        let averaged = trainers[0].evaluationModel.parameters
        #expect(zip(averaged, expected).allSatisfy { abs(Double($0) - $1) < 1e-5 })
        #expect(averaged != trainers[0].model.parameters)
        #expect(trainers[1].evaluationModel.parameters.bitPatterns == averaged.bitPatterns)
        let x = syntheticBatch(count: 3, inputs: 12, classes: 3, start: 100).x
        let following = trainers[0].evaluationInference(maxBatch: 3)
        let copied = Inference(model: trainers[0].evaluationModel, maxBatch: 3, threads: 1)
        let viaTrainer = x.withUnsafeBufferPointer { Array(following.probabilities(x: $0.baseAddress!, count: 3)) }
        let viaModel = x.withUnsafeBufferPointer { Array(copied.probabilities(x: $0.baseAddress!, count: 3)) }
        #expect(viaTrainer.bitPatterns == viaModel.bitPatterns)
    }

    @Test func optimiserSettingsAndTrainingWeightsSurviveACheckpoint() throws {
        let shape = MLPShape(inputs: 3, hidden: 2, outputs: 2)
        var state = TrainingState.starting(TrainingSettings(
            seed: 1, batchSize: 8, sgd: SGDConfig(learningRate: 0.05, momentum: 0.9, nesterov: true), loss: .crossEntropy,
            schedule: LearningRateSchedule(.step(epochs: 3, factor: 0.25), warmupEpochs: 2), averageDecay: 0.999))
        state.position.epochsCompleted = 4
        state.best = BestEpoch(epoch: 3, accuracy: 0.75)
        var checkpoint = Checkpoint(model: try MLP(shape: shape, activation: .relu, parameters: variedWeights(shape.parameterCount)),
                                    normalisationShift: [], normalisationScale: [], state: state)
        checkpoint.trainingParameters = variedWeights(shape.parameterCount, phase: 2)
        let decoded = try Checkpoint(decoding: checkpoint.encoded())
        #expect(decoded.state == state)
        #expect(decoded.trainingParameters == checkpoint.trainingParameters)
        #expect(decoded.encoded() == checkpoint.encoded())

        let plain = Checkpoint(model: checkpoint.model, normalisationShift: [], normalisationScale: [],
                               state: .starting(TrainingSettings(seed: 1, batchSize: 8, sgd: SGDConfig(learningRate: 0.1), loss: .mse)))
        #expect(plain.encoded()[31] == 0, "classic SGD writes no OPTM section")
        // A best epoch alone is worth the section; with its epoch patched to 0 (none) and its
        // accuracy to "not measured" it says nothing.
        var onlyBest = plain.state
        onlyBest.best = BestEpoch(epoch: 2, accuracy: 0.5)
        var payload = try #require(onlyBest.encodedOptimiser())
        payload.replaceSubrange(18..<26, with: [0, 0, 0, 0, 0, 0, 0xC0, 0x7F])
        var empty = plain
        empty.otherSections = [CheckpointSection(tag: "OPTM", payload: payload)]
        #expect(throws: CheckpointError.badSection(tag: "OPTM", reason: "it sets nothing")) { try Checkpoint(decoding: empty.encoded()) }
    }
}
