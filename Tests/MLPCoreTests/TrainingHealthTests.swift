import Testing
@testable import MLPCore

/// Dead ReLUs, leaky ReLU and the epoch history: what the loop measures about a run's health.
@Suite struct TrainingHealthTests {
    let shape = MLPShape(inputs: 20, hidden: 24, outputs: 4)
    let data = SyntheticSamples(count: 103, features: 20, classes: 4)
    let test = SyntheticSamples(count: 37, features: 20, classes: 4, start: 5000)

    /// Fixture weights with units 0, 5 and 17 dead by construction (a bias of −100 keeps z1 < 0
    /// for every sample) and the rest live on some sample.
    func modelWithDeadUnits(_ activation: Activation) throws -> MLP {
        var weights = variedWeights(shape.parameterCount)
        for j in [0, 5, 17] { weights[shape.b1Offset + j] = -100 }
        return try MLP(shape: shape, activation: activation, parameters: weights)
    }

    /// One step: the fraction of units whose z1 ≤ 0 on every sample of the batch, as the Double
    /// reference forward counts it, the same for any number of threads.
    @Test(arguments: [(Activation.relu, 1), (.relu, 3), (.leakyRelu, 2), (.leakyRelu, 5)])
    func deadFractionMatchesTheReferenceForward(activation: Activation, threads: Int) throws {
        let model = try modelWithDeadUnits(activation)
        let (x, labels) = syntheticBatch(count: 10, inputs: shape.inputs, classes: shape.outputs)
        let z1 = ReferenceNetwork(shape: shape, activation: activation, loss: .crossEntropy).forward(model.parameters, x: x, count: 10).z1
        let expectedDead = (0..<shape.hidden).filter { j in (0..<10).allSatisfy { z1[$0 * shape.hidden + j] <= 0 } }
        #expect(expectedDead.count >= 3 && expectedDead.count < shape.hidden, "fixture: \(expectedDead)")

        let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.01), maxBatch: 10, threads: threads)
        #expect(trainer.deadUnitFraction == nil, "nothing seen yet")
        trainer.step(x: x, labels: labels, count: 10)
        #expect(trainer.deadUnitFraction == Double(expectedDead.count) / Double(shape.hidden))
        trainer.resetActivity()
        #expect(trainer.deadUnitFraction == nil)
    }

    /// Activity is the union over the steps since the reset: a unit live on any sample is not dead.
    @Test func deadFractionCoversEveryStepSinceTheReset() throws {
        var model = try modelWithDeadUnits(.relu)
        let (x, labels) = syntheticBatch(count: 10, inputs: shape.inputs, classes: shape.outputs)
        let reference = ReferenceNetwork(shape: shape, activation: .relu, loss: .crossEntropy)
        // A unit whose z1 peaks in the second half gets a bias that keeps it ≤ 0 on the first.
        let before = reference.forward(model.parameters, x: x, count: 10).z1
        let peak = { (j: Int, samples: Range<Int>) in samples.map { before[$0 * self.shape.hidden + j] }.max()! }
        let woken = try #require((1..<shape.hidden).first { j in ![5, 17].contains(j) && peak(j, 5..<10) > peak(j, 0..<5) + 0.1 })
        model.parameters[shape.b1Offset + woken] -= Float(peak(woken, 0..<5) + 0.05)
        let z1 = reference.forward(model.parameters, x: x, count: 10).z1
        let firstHalf = (0..<shape.hidden).filter { j in (0..<5).allSatisfy { z1[$0 * shape.hidden + j] <= 0 } }.count
        let whole = (0..<shape.hidden).filter { j in (0..<10).allSatisfy { z1[$0 * shape.hidden + j] <= 0 } }.count
        #expect(firstHalf > whole, "fixture: the second half must wake a unit")
        // lr 0: the weights stay put, so the two half-batches see the same network as the whole.
        let trainer = Trainer(model: model, loss: .crossEntropy, sgd: SGDConfig(learningRate: 0), maxBatch: 10, threads: 2)
        x.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { labels in
                trainer.step(x: x.baseAddress!, labels: labels.baseAddress!, count: 5)
                #expect(trainer.deadUnitFraction == Double(firstHalf) / Double(shape.hidden))
                trainer.step(x: x.baseAddress! + 5 * shape.inputs, labels: labels.baseAddress! + 5, count: 5)
            }
        }
        #expect(trainer.deadUnitFraction == Double(whole) / Double(shape.hidden))
    }

    @Test(arguments: [Activation.sigmoid, .tanh])
    func saturatingUnitsReportNoDeadFraction(activation: Activation) throws {
        let trainer = Trainer(model: try modelWithDeadUnits(activation), loss: .crossEntropy, sgd: SGDConfig(learningRate: 0.01),
                              maxBatch: 10, threads: 2)
        let (x, labels) = syntheticBatch(count: 10, inputs: shape.inputs, classes: shape.outputs)
        trainer.step(x: x, labels: labels, count: 10)
        #expect(trainer.deadUnitFraction == nil)
    }

    /// Watching for dead units reads h and writes nothing the step uses: the same bits as the
    /// plain reference step, for a network with dead units.
    @Test func trackingLeavesTheStepUnchanged() throws {
        let model = try modelWithDeadUnits(.relu)
        let (x, labels) = syntheticBatch(count: 10, inputs: shape.inputs, classes: shape.outputs)
        let sgd = SGDConfig(learningRate: 0.05)
        let tracked = Trainer(model: model, loss: .crossEntropy, sgd: sgd, maxBatch: 10, threads: 3)
        tracked.step(x: x, labels: labels, count: 10)
        var reference = model.parameters, velocity = [Double](repeating: 0, count: shape.parameterCount)
        ReferenceNetwork(shape: shape, activation: .relu, loss: .crossEntropy)
            .sgdStep(&reference, velocity: &velocity, x: x, labels: labels, count: 10, sgd: sgd)
        let worst = zip(tracked.model.parameters, reference).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5)
        #expect(tracked.deadUnitFraction != nil)
    }

    /// Leaky ReLU lets a unit below 0 pass slope × its gradient: the dead units' W1 columns move
    /// (by exactly slope times what a unit with f′ = 1 would get), where ReLU leaves them still.
    @Test func leakyUnitsBelowZeroStillLearn() throws {
        let (x, labels) = syntheticBatch(count: 10, inputs: shape.inputs, classes: shape.outputs)
        var moved: [Activation: Float] = [:]
        for activation in [Activation.relu, .leakyRelu] {
            var model = try modelWithDeadUnits(activation)
            model.leak = 0.25
            let g = gradients(model: model, loss: .crossEntropy, x: x, labels: labels, count: 10)
            moved[activation] = (0..<shape.inputs).map { abs(g[shape.w1Offset + $0 * shape.hidden + 5]) }.max()!
            let expected = ReferenceNetwork(shape: shape, activation: activation, loss: .crossEntropy, leak: 0.25)
                .gradient(model.parameters, x: x, labels: labels, count: 10)
            let worst = zip(g, expected).map { abs(Double($0) - $1) }.max()!
            #expect(worst < 1e-5, "\(activation): \(worst)")
        }
        #expect(moved[.relu] == 0)
        #expect(moved[.leakyRelu]! > 1e-4)
    }

    /// Each epoch appends one record holding what the epoch measured, the learning rate and the
    /// dead fraction; a validation run files its accuracy under validation, not test.
    @Test(arguments: [false, true])
    func historyRecordsEveryEpoch(validation: Bool) throws {
        let sgd = SGDConfig(learningRate: 0.05)
        let trainer = Trainer(model: MLP(shape: shape, activation: .relu, seed: 11), loss: .crossEntropy, sgd: sgd, maxBatch: 10, threads: 2)
        let run = TrainingRun(trainer: trainer, state: .starting(TrainingSettings(seed: 11, batchSize: 10, sgd: sgd, loss: .crossEntropy,
                                                                                   schedule: LearningRateSchedule(.cosine))),
                              evaluatesOnValidation: validation)
        var seen: [EpochStats] = []
        _ = try run.train(epochs: 3, on: data, evaluatingOn: test,
                          hooks: TrainingHooks(afterEpoch: { epoch, _ in seen.append(epoch); return .carryOn }))
        let state = run.state
        #expect(state.history.map(\.epoch) == [1, 2, 3])
        #expect(state.testAccuracy == (validation ? nil : Float(seen.last!.evaluationAccuracy)),
                "a validation split leaves the test accuracy unknown until the test set is read")
        for (record, epoch) in zip(state.history, seen) {
            #expect(record.loss == epoch.meanLoss && record.trainAccuracy == epoch.trainAccuracy && record.seconds == epoch.seconds)
            #expect(Float(record.learningRate) == epoch.learningRate && record.learningRate == decimalDouble(epoch.learningRate))
            #expect((validation ? record.validationAccuracy : record.testAccuracy) == epoch.evaluationAccuracy)
            #expect((validation ? record.testAccuracy : record.validationAccuracy) == nil)
            let dead = try #require(record.deadUnitFraction)
            #expect((0...1).contains(dead))
        }
        // Cosine falls towards 0: the recorded rates fall.
        #expect(state.history[2].learningRate < state.history[0].learningRate)
    }

    /// Stopped mid-epoch, saved, loaded and resumed: the history is the uninterrupted run's, with
    /// the interrupted epoch once.
    @Test func historySurvivesAStopAndAResume() throws {
        let sgd = SGDConfig(learningRate: 0.05)
        func fresh() -> TrainingRun {
            TrainingRun(trainer: Trainer(model: MLP(shape: shape, activation: .relu, seed: 3), loss: .crossEntropy, sgd: sgd,
                                         maxBatch: 10, threads: 2),
                        state: .starting(TrainingSettings(seed: 3, batchSize: 10, sgd: sgd, loss: .crossEntropy)))
        }
        let whole = fresh()
        _ = try whole.train(epochs: 3, on: data, evaluatingOn: test)
        let wholeState = whole.state

        let part = fresh()
        _ = try part.train(epochs: 3, on: data, evaluatingOn: test,
                           hooks: TrainingHooks(afterBatch: { epoch, batch, _ in epoch.epoch == 2 && batch == 4 ? .stop : .carryOn }))
        let state = part.state
        #expect(state.history.map(\.epoch) == [1])
        #expect(state.partialEpoch.firedUnits?.count == shape.hidden)
        let saved = try Checkpoint(decoding: Checkpoint(model: part.trainer.model, normalisationShift: [], normalisationScale: [],
                                                        state: state).encoded())
        #expect(saved.state.partialEpoch == state.partialEpoch)
        let resumed = TrainingRun(trainer: Trainer(model: saved.model, loss: .crossEntropy, sgd: sgd, maxBatch: 10, threads: 1),
                                  state: saved.state)
        _ = try resumed.train(epochs: 3, on: data, evaluatingOn: test)
        let resumedState = resumed.state
        #expect(resumedState.history.map(\.epoch) == [1, 2, 3])
        // Everything but the timings is the uninterrupted run's: the resumed epoch's loss and
        // accuracy from the PART section, its dead units from PACT.
        func untimed(_ h: [EpochRecord]) -> [EpochRecord] { h.map { var r = $0; r.seconds = 0; return r } }
        #expect(untimed(resumedState.history) == untimed(wholeState.history))
        #expect(resumedState.history.allSatisfy { $0.deadUnitFraction != nil })
    }
}
