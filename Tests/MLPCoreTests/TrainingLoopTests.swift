import Testing
@testable import MLPCore

/// `syntheticBatch`'s samples as a BatchSource: sample i is synthetic sample `start + i`.
struct SyntheticSamples: BatchSource {
    let count: Int
    let features: Int
    let classes: Int
    var start = 0

    func fill(_ indices: UnsafeBufferPointer<Int32>, epoch: Int, x: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>) {
        for (b, i) in indices.enumerated() {
            let (one, label) = syntheticBatch(count: 1, inputs: features, classes: classes, start: start + Int(i))
            (x + b * features).update(from: one, count: features)
            labels[b] = label[0]
        }
    }
}

@Suite struct TrainingLoopTests {
    let shape = MLPShape(inputs: 20, hidden: 24, outputs: 4)
    let data = SyntheticSamples(count: 103, features: 20, classes: 4)
    let test = SyntheticSamples(count: 37, features: 20, classes: 4, start: 5000)
    let sgd = SGDConfig(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4)

    func fresh(threads: Int = 2) -> (Trainer, TrainingState) {
        let trainer = Trainer(model: MLP(shape: shape, activation: .relu, seed: 11), loss: .crossEntropy, sgd: sgd,
                              maxBatch: 10, threads: threads)
        return (trainer, .starting(TrainingSettings(seed: 11, batchSize: 10, sgd: sgd, loss: .crossEntropy)))
    }

    /// The oracle: the loop written out the obvious way (shuffle per epoch from the seeded stream,
    /// batches in order, the last one partial).
    @Test func trainsLikeThePlainLoop() throws {
        let (trainer, start) = fresh()
        let run = TrainingRun(trainer: trainer, state: start)
        #expect(try run.train(epochs: 3, on: data, evaluatingOn: test) == .finished)

        let (plain, _) = fresh(threads: 1)
        var shuffle = SplitMix64(seed: 11 ^ 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<3 {
            let order = shuffledIndices(count: data.count, using: &shuffle)
            for range in stride(from: 0, to: data.count, by: 10).map({ $0..<min($0 + 10, data.count) }) {
                var x = [Float](repeating: 0, count: range.count * shape.inputs), labels = [Int32](repeating: 0, count: range.count)
                order[range].withUnsafeBufferPointer { data.fill($0, epoch: 0, x: &x, labels: &labels) }
                plain.step(x: x, labels: labels, count: range.count)
            }
        }
        #expect(trainer.model.parameters.bitPatterns == plain.model.parameters.bitPatterns)
        #expect(trainer.model.parameters.bitPatterns != MLP(shape: shape, activation: .relu, seed: 11).parameters.bitPatterns)
        #expect(run.state.position == TrainingPosition(epochsCompleted: 3, batchesIntoEpoch: 0, rngState: shuffle.state))
    }

    /// A hook that says stop at a known batch (what the command line does on Ctrl-C); a checkpoint
    /// of that moment, resumed, must end with the same bits as the run that never stopped.
    @Test(arguments: [(2, 5), (1, 10), (3, 1), (2, 11)])
    func stoppedAtABatchThenResumedEqualsUninterrupted(stopEpoch: Int, stopBatch: Int) throws {
        let (whole, start) = fresh()
        let wholeRun = TrainingRun(trainer: whole, state: start)
        _ = try wholeRun.train(epochs: 3, on: data, evaluatingOn: test)

        let (part, _) = fresh()
        let partRun = TrainingRun(trainer: part, state: start)
        let outcome = try partRun.train(epochs: 3, on: data, evaluatingOn: test, hooks: TrainingHooks(
            afterBatch: { epoch, batch, _ in epoch.epoch == stopEpoch && batch == stopBatch ? .stop : .carryOn }))
        #expect(outcome == .stopped)
        // A stop after an epoch's last batch (the 11th) comes once that epoch is finished.
        let lastBatch = stopBatch == 11
        let position = partRun.state.position
        #expect(position.epochsCompleted == stopEpoch - (lastBatch ? 0 : 1) && position.batchesIntoEpoch == (lastBatch ? 0 : stopBatch))

        let saved = try Checkpoint(decoding: Checkpoint(model: part.model, normalisationShift: [], normalisationScale: [],
                                                        state: partRun.state, velocity: part.velocity).encoded())
        #expect(saved.state.position == partRun.state.position && saved.state.partialEpoch == partRun.state.partialEpoch)
        let resumed = Trainer(model: saved.model, loss: .crossEntropy, sgd: saved.state.settings.sgd, maxBatch: 10, threads: 1)
        resumed.velocity = try #require(saved.velocity)
        let resumedRun = TrainingRun(trainer: resumed, state: saved.state)
        #expect(try resumedRun.train(epochs: 3, on: data, evaluatingOn: test) == .finished)
        #expect(resumed.model.parameters.bitPatterns == whole.model.parameters.bitPatterns)
        #expect(resumed.velocity.bitPatterns == whole.velocity.bitPatterns)
        #expect(resumedRun.state.position == wholeRun.state.position && resumedRun.state.testAccuracy == wholeRun.state.testAccuracy)
    }

    @Test func hooksSeeEveryBatchAndEveryEvaluatedEpoch() throws {
        let (trainer, start) = fresh()
        let run = TrainingRun(trainer: trainer, state: start)
        var batches: [Int] = [], epochs: [EpochStats] = []
        _ = try run.train(epochs: 2, on: data, evaluatingOn: test, hooks: TrainingHooks(
            afterBatch: { _, batch, total in
                #expect(total == 11)
                batches.append(batch)
                return .carryOn
            },
            afterEpoch: { epoch, state in
                #expect(state.position.epochsCompleted == epoch.epoch && run.state == state, "the run's state is the hook's")
                #expect(state.testAccuracy == Float(epoch.evaluationAccuracy))
                epochs.append(epoch)
                return .carryOn
            }))
        #expect(batches == Array(1...11) + Array(1...11))
        #expect(epochs.map(\.epoch) == [1, 2])
        #expect(epochs.allSatisfy { $0.samples == data.count && $0.evaluation?.confusion.total == test.count })
        let separately = Inference(model: trainer.model, maxBatch: 1000, threads: 1).evaluate(test, loss: .crossEntropy)
        #expect(epochs[1].evaluation == separately)
        #expect(epochs[1].meanLoss < epochs[0].meanLoss)
    }

    /// The learning rate lives in the run's state: set from a hook, it holds from the next step.
    @Test func aLearningRateSetBetweenEpochsHolds() throws {
        let plain = SGDConfig(learningRate: 0.05)
        let trainer = Trainer(model: MLP(shape: shape, activation: .relu, seed: 11), loss: .crossEntropy, sgd: plain, maxBatch: 10, threads: 2)
        let run = TrainingRun(trainer: trainer, state: .starting(TrainingSettings(seed: 11, batchSize: 10, sgd: plain, loss: .crossEntropy)))
        var afterFirst: [Float] = [], rates: [Float] = []
        _ = try run.train(epochs: 2, on: data, evaluatingOn: test, hooks: TrainingHooks(afterEpoch: { epoch, _ in
            rates.append(epoch.learningRate)
            if epoch.epoch == 1 {
                afterFirst = trainer.model.parameters
                run.learningRate = 0
            }
            return .carryOn
        }))
        #expect(rates == [0.05, 0])
        #expect(trainer.model.parameters.bitPatterns == afterFirst.bitPatterns, "a zero rate moves nothing")
        #expect(run.state.settings.sgd.learningRate == 0)
    }

    @Test func aThrowingHookEndsTrainingWithItsError() {
        struct Enough: Error {}
        let (trainer, start) = fresh()
        let run = TrainingRun(trainer: trainer, state: start)
        #expect(throws: Enough.self) {
            try run.train(epochs: 5, on: data, evaluatingOn: test,
                          hooks: TrainingHooks(afterEpoch: { epoch, _ in if epoch.epoch == 2 { throw Enough() }; return .carryOn }))
        }
        #expect(run.state.position.epochsCompleted == 2)
    }
}
