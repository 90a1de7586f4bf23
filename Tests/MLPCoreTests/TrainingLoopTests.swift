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

    func fresh(threads: Int = 2) -> (Trainer, TrainingMetadata) {
        let trainer = Trainer(model: MLP(shape: shape, activation: .relu, seed: 11), loss: .crossEntropy, sgd: sgd,
                              maxBatch: 10, threads: threads)
        return (trainer, .starting(seed: 11, batchSize: 10, sgd: sgd, loss: .crossEntropy))
    }

    /// The oracle: the loop written out the obvious way (shuffle per epoch from the seeded stream,
    /// batches in order, the last one partial).
    @Test func trainsLikeThePlainLoop() throws {
        let (trainer, start) = fresh()
        var state = start
        #expect(try train(trainer, &state, epochs: 3, on: data, evaluatingOn: test) == .finished)

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
        #expect(state.epochsCompleted == 3 && state.batchesIntoEpoch == 0 && state.rngState == shuffle.state)
    }

    /// A hook that says stop at a known batch (what the command line does on Ctrl-C); a checkpoint
    /// of that moment, resumed, must end with the same bits as the run that never stopped.
    @Test(arguments: [(2, 5), (1, 10), (3, 1), (2, 11)])
    func stoppedAtABatchThenResumedEqualsUninterrupted(stopEpoch: Int, stopBatch: Int) throws {
        let (whole, start) = fresh()
        var wholeState = start
        _ = try train(whole, &wholeState, epochs: 3, on: data, evaluatingOn: test)

        let (part, _) = fresh()
        var state = start
        let outcome = try train(part, &state, epochs: 3, on: data, evaluatingOn: test, hooks: TrainingHooks(
            afterBatch: { epoch, batch, _ in epoch.epoch == stopEpoch && batch == stopBatch ? .stop : .carryOn }))
        #expect(outcome == .stopped)
        // A stop after an epoch's last batch (the 11th) comes once that epoch is finished.
        let lastBatch = stopBatch == 11
        #expect(state.epochsCompleted == stopEpoch - (lastBatch ? 0 : 1) && state.batchesIntoEpoch == (lastBatch ? 0 : stopBatch))

        let saved = try Checkpoint(decoding: Checkpoint(model: part.model, normalisationShift: [], normalisationScale: [],
                                                        metadata: state, velocity: part.velocity).encoded())
        let resumed = Trainer(model: saved.model, loss: .crossEntropy, sgd: saved.metadata.sgd, maxBatch: 10, threads: 1)
        resumed.velocity = try #require(saved.velocity)
        var resumedState = saved.metadata
        #expect(try train(resumed, &resumedState, epochs: 3, on: data, evaluatingOn: test) == .finished)
        #expect(resumed.model.parameters.bitPatterns == whole.model.parameters.bitPatterns)
        #expect(resumed.velocity.bitPatterns == whole.velocity.bitPatterns)
        #expect(resumedState.rngState == wholeState.rngState && resumedState.testAccuracy.bitPattern == wholeState.testAccuracy.bitPattern)
    }

    @Test func hooksSeeEveryBatchAndEveryEvaluatedEpoch() throws {
        let (trainer, start) = fresh()
        var state = start
        var batches: [Int] = [], epochs: [EpochStats] = []
        _ = try train(trainer, &state, epochs: 2, on: data, evaluatingOn: test, hooks: TrainingHooks(
            afterBatch: { _, batch, total in
                #expect(total == 11)
                batches.append(batch)
                return .carryOn
            },
            afterEpoch: { epoch, state in
                #expect(state.epochsCompleted == epoch.epoch)
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

    @Test func aThrowingHookEndsTrainingWithItsError() {
        struct Enough: Error {}
        let (trainer, start) = fresh()
        var state = start
        #expect(throws: Enough.self) {
            try train(trainer, &state, epochs: 5, on: data, evaluatingOn: test,
                      hooks: TrainingHooks(afterEpoch: { epoch, _ in if epoch.epoch == 2 { throw Enough() }; return .carryOn }))
        }
        #expect(state.epochsCompleted == 2)
    }
}
