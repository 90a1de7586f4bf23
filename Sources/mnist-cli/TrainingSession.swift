import MLPCore
import MNISTData

/// One training run as the command line sets it up: the trainer, the input normalisation, and the
/// state a resumable checkpoint carries (position, shuffle state, settings).
struct TrainingSession {
    let trainer: Trainer
    let normalisation: Normalisation
    var metadata: TrainingMetadata
    let targetEpochs: Int

    static func starting(settings s: TrainCommand, data: LabeledImages) -> TrainingSession {
        let shape = MLPShape(inputs: data.pixelsPerImage, hidden: s.hidden, outputs: data.classCount)
        let sgd = SGDConfig(learningRate: s.learningRate, momentum: s.momentum, weightDecay: s.weightDecay)
        return TrainingSession(
            trainer: Trainer(model: MLP(shape: shape, activation: s.activation, seed: s.seed), loss: s.loss, sgd: sgd,
                             maxBatch: s.batchSize, threads: s.threads),
            normalisation: s.standardise ? .standardised(fitTo: data) : .unitRange(features: data.pixelsPerImage),
            metadata: .starting(seed: s.seed, batchSize: s.batchSize, sgd: sgd, loss: s.loss),
            targetEpochs: s.epochs)
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
        let trainer = Trainer(model: saved.model, loss: m.loss, sgd: m.sgd, maxBatch: m.batchSize, threads: s.threads)
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
        if m.hasStarted {
            text += ", resuming after epoch \(m.epochsCompleted) batch \(m.batchesIntoEpoch)"
        }
        return text
    }

    /// The model file for the run at `state`.
    func checkpoint(at state: TrainingMetadata) -> Checkpoint {
        Checkpoint(model: trainer.model, normalisationShift: normalisation.shift,
                   normalisationScale: normalisation.scale, metadata: state,
                   velocity: state.momentum > 0 ? trainer.velocity : nil)
    }

    /// Trains to `targetEpochs` through the library's loop; the command line's part is the hooks:
    /// progress and epoch lines, divergence checks, checkpoints every N epochs, and stopping at
    /// the first batch boundary after SIGINT or SIGTERM (then saving where it stopped).
    mutating func run(train: LabeledImages, test: LabeledImages, report: EpochReporter,
                      checkpointEvery: Int?, out: String, dataOption: String?) throws(CLIError) {
        let session = self
        let hooks = TrainingHooks(
            afterBatch: { epoch, batch, batches in
                guard epoch.lossSum.isFinite else { throw session.diverged(epoch: epoch.epoch, batch: batch) }
                report.progress(epoch: epoch.epoch, batch: batch, of: batches, meanLoss: epoch.meanLoss)
                return Interrupts.received == nil ? .carryOn : .stop
            },
            afterEpoch: { epoch, state in
                guard session.trainer.parametersAreFinite else { throw session.diverged(epoch: epoch.epoch, batch: nil) }
                report.epochDone(epoch)
                if let every = checkpointEvery, state.epochsCompleted % every == 0, state.epochsCompleted < session.targetEpochs {
                    try ModelFile.save(session.checkpoint(at: state), to: out)
                }
                return Interrupts.received == nil ? .carryOn : .stop
            })
        let outcome: TrainingOutcome
        do {
            outcome = try MLPCore.train(trainer, &metadata, epochs: targetEpochs,
                                        on: NormalisedImages(train, normalisation), testingOn: NormalisedImages(test, normalisation),
                                        hooks: hooks)
        } catch {
            throw CLIError(error)
        }
        if outcome == .stopped, let signal = Interrupts.received {
            try saveInterrupted(by: signal, out: out, dataOption: dataOption, report: report)
        }
    }

    private func diverged(epoch: Int, batch: Int?) -> CLIError {
        let place = batch.map { "epoch \(epoch), batch \($0)" } ?? "the end of epoch \(epoch)"
        return CLIError("training diverged: the loss or the weights became infinite or NaN at \(place); "
                        + "nothing was saved", hint: "try a smaller --lr than \(metadata.learningRate)")
    }

    private func saveInterrupted(by signal: Int32, out: String, dataOption: String?, report: EpochReporter) throws(CLIError) {
        try ModelFile.save(checkpoint(at: metadata), to: out)
        let m = metadata
        let position = m.batchesIntoEpoch == 0 ? "after epoch \(m.epochsCompleted)"
            : "in epoch \(m.epochsCompleted + 1) after batch \(m.batchesIntoEpoch)"
        report.note("\(Interrupts.name(of: signal)): stopped \(position); saved a resumable checkpoint to \(out)")
        let data = dataOption.map { " --data \($0)" } ?? ""
        report.note("resume with: mnist-cli train --resume \(out) --epochs \(targetEpochs)\(data)")
        throw CLIError("training interrupted by \(Interrupts.name(of: signal))", status: Interrupts.exitStatus(for: signal))
    }
}

/// The training and test data as the library's loop reads them.
extension NormalisedImages: BatchSource {}
