import MLPCore
import MNISTData

/// One training run: the trainer plus everything a resumable checkpoint must carry
/// (epoch and batch position, the shuffling RNG's state at the start of the epoch).
struct TrainingSession {
    let trainer: Trainer
    let normalisation: Normalisation
    var metadata: TrainingMetadata
    let targetEpochs: Int

    /// Different streams for the initial weights and the shuffling, both from one --seed.
    static func shuffleSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x9E37_79B9_7F4A_7C15 }

    static func starting(settings s: TrainCommand, data: LabeledImages) -> TrainingSession {
        let shape = MLPShape(inputs: data.pixelsPerImage, hidden: s.hidden, outputs: data.classCount)
        let model = MLP(shape: shape, activation: s.activation, seed: s.seed)
        let sgd = SGDConfig(learningRate: s.learningRate, momentum: s.momentum, weightDecay: s.weightDecay)
        let metadata = TrainingMetadata(
            epochsCompleted: 0, batchesIntoEpoch: 0, seed: s.seed,
            rngState: SplitMix64(seed: shuffleSeed(s.seed)).state, batchSize: s.batchSize,
            learningRate: s.learningRate, momentum: s.momentum, weightDecay: s.weightDecay,
            loss: s.loss, trainLoss: .nan, testAccuracy: .nan)
        return TrainingSession(
            trainer: Trainer(model: model, loss: s.loss, sgd: sgd, maxBatch: s.batchSize, threads: s.threads),
            normalisation: s.standardise ? .standardised(fitTo: data) : .unitRange(features: data.pixelsPerImage),
            metadata: metadata, targetEpochs: s.epochs)
    }

    static func resuming(from path: String, settings s: TrainCommand, data: LabeledImages) throws(CLIError) -> TrainingSession {
        let saved = try ModelFile.load(path)
        let m = saved.metadata
        try checkCompatible(saved.model, modelFile: path, with: data, dataFile: "the training data")
        let batches = m.batchSize > 0 ? (data.count + m.batchSize - 1) / m.batchSize : 0
        guard (1...65_536).contains(m.batchSize), m.learningRate.isFinite, m.learningRate > 0,
              (0..<1).contains(m.momentum), m.weightDecay.isFinite, m.weightDecay >= 0,
              m.batchesIntoEpoch < batches else {
            throw CLIError(file: path, "cannot resume: its training settings (batch size \(m.batchSize), lr \(m.learningRate), "
                           + "position \(m.batchesIntoEpoch) of \(batches) batches) do not fit this training data",
                           hint: "train anew without --resume")
        }
        guard m.epochsCompleted < s.epochs else {
            throw CLIError(file: path, "already trained for \(m.epochsCompleted) epochs", hint: "pass a larger --epochs to train further")
        }
        let sgd = SGDConfig(learningRate: m.learningRate, momentum: m.momentum, weightDecay: m.weightDecay)
        let trainer = Trainer(model: saved.model, loss: m.loss, sgd: sgd, maxBatch: m.batchSize, threads: s.threads)
        if let velocity = saved.velocity { trainer.velocity = velocity }
        return TrainingSession(trainer: trainer, normalisation: saved.normalisation, metadata: m, targetEpochs: s.epochs)
    }

    func describe() -> String {
        let shape = trainer.model.shape
        let m = metadata
        var text = "\(shape.inputs)-\(shape.hidden)-\(shape.outputs) \(trainer.model.activation.rawValue), \(m.loss.rawValue), "
            + "lr \(m.learningRate), batch \(m.batchSize)"
        if m.momentum > 0 { text += ", momentum \(m.momentum)" }
        if m.weightDecay > 0 { text += ", weight decay \(m.weightDecay)" }
        if m.epochsCompleted > 0 || m.batchesIntoEpoch > 0 {
            text += ", resuming after epoch \(m.epochsCompleted) batch \(m.batchesIntoEpoch)"
        }
        return text
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(model: trainer.model, normalisationShift: normalisation.shift,
                   normalisationScale: normalisation.scale, metadata: metadata,
                   velocity: metadata.momentum > 0 ? trainer.velocity : nil)
    }

    /// The training loop: for each epoch, shuffle; for each batch, gather, step; then evaluate and report.
    mutating func run(train: LabeledImages, test: LabeledImages, threads: Int, report: EpochReporter,
                      checkpointEvery: Int?, out: String, dataOption: String?) throws(CLIError) {
        let batchSize = metadata.batchSize
        let x = UnsafeMutablePointer<Float>.allocate(capacity: batchSize * train.pixelsPerImage)
        let labels = UnsafeMutablePointer<Int32>.allocate(capacity: batchSize)
        defer { x.deallocate(); labels.deallocate() }
        let batches = batchRanges(count: train.count, batchSize: batchSize)

        while metadata.epochsCompleted < targetEpochs {
            var stats = EpochStats(epoch: metadata.epochsCompleted + 1)
            let started = Terminal.now()
            var rng = SplitMix64(seed: 0)
            rng.state = metadata.rngState
            let order = shuffledIndices(count: train.count, using: &rng)
            for (b, range) in batches.enumerated() where b >= metadata.batchesIntoEpoch {
                order.withUnsafeBufferPointer { order in
                    fillBatch(from: train, indices: UnsafeBufferPointer(rebasing: order[range]),
                              normalisation: normalisation, x: x, labels: labels)
                }
                let result = trainer.step(x: x, labels: labels, count: range.count)
                guard result.lossSum.isFinite else { throw diverged(epoch: stats.epoch, batch: b + 1) }
                stats.lossSum += result.lossSum
                stats.correct += result.correct
                stats.samples += range.count
                metadata.batchesIntoEpoch = b + 1
                report.progress(epoch: stats.epoch, batch: b + 1, of: batches.count, meanLoss: stats.meanLoss)
                if let signal = Interrupts.received { try saveInterrupted(by: signal, out: out, dataOption: dataOption, report: report) }
            }
            metadata.epochsCompleted += 1
            metadata.batchesIntoEpoch = 0
            metadata.rngState = rng.state
            guard trainer.model.parameters.allSatisfy(\.isFinite) else {
                throw diverged(epoch: stats.epoch, batch: batches.count)
            }
            stats.seconds = Terminal.now() - started
            let evaluation = evaluate(trainer.model, loss: metadata.loss, normalisation: normalisation,
                                      on: test, threads: threads)
            stats.testAccuracy = evaluation.confusion.accuracy
            metadata.trainLoss = Float(stats.meanLoss)
            metadata.testAccuracy = Float(stats.testAccuracy)
            report.epochDone(stats)
            if let every = checkpointEvery, metadata.epochsCompleted % every == 0, metadata.epochsCompleted < targetEpochs {
                try ModelFile.save(checkpoint(), to: out)
            }
            if let signal = Interrupts.received { try saveInterrupted(by: signal, out: out, dataOption: dataOption, report: report) }
        }
    }

    private func diverged(epoch: Int, batch: Int) -> CLIError {
        CLIError("training diverged: the loss or the weights became infinite or NaN at epoch \(epoch), batch \(batch); "
                 + "nothing was saved", hint: "try a smaller --lr than \(metadata.learningRate)")
    }

    private func saveInterrupted(by signal: Int32, out: String, dataOption: String?, report: EpochReporter) throws(CLIError) {
        try ModelFile.save(checkpoint(), to: out)
        let m = metadata
        let position = m.batchesIntoEpoch == 0 ? "after epoch \(m.epochsCompleted)"
            : "in epoch \(m.epochsCompleted + 1) after batch \(m.batchesIntoEpoch)"
        report.note("\(Interrupts.name(of: signal)): stopped \(position); saved a resumable checkpoint to \(out)")
        let data = dataOption.map { " --data \($0)" } ?? ""
        report.note("resume with: mnist-cli train --resume \(out) --epochs \(targetEpochs)\(data)")
        throw CLIError("training interrupted by \(Interrupts.name(of: signal))", status: Interrupts.exitStatus(for: signal))
    }
}
