import MLPCore
import MNISTData

extension TrainingSession {
    /// Trains to `targetEpochs` through the library's loop; the command line's part is the hooks:
    /// progress and epoch lines, the divergence watch, checkpoints every N epochs, and stopping at
    /// the first batch boundary after SIGINT or SIGTERM (then saving where it stopped).
    mutating func run(train: LabeledImages, held: LabeledImages, report: EpochReporter, log: EpochLog?,
                      checkpointEvery: Int?, out: String, resumeCommand: String) throws(CLIError) {
        let session = self
        var watch = DivergenceWatch(labelCounts: train.labelCounts, loss: metadata.loss)
        var lastSaved: Int?
        var warnedOfDeadUnits = false
        let hooks = TrainingHooks(
            afterBatch: { epoch, batch, batches in
                guard epoch.lossSum.isFinite else { throw session.diverged(.notFinite(epoch: epoch.epoch), out: out, lastSaved: lastSaved) }
                watch.observe(epoch)
                Interrupts.raiseIfTestTrigger(epoch: epoch.epoch, batch: batch)
                report.progress(epoch: epoch.epoch, batch: batch, of: batches, meanLoss: epoch.meanLoss)
                return Interrupts.received == nil ? .carryOn : .stop
            },
            afterEpoch: { epoch, state in
                if session.validation > 0 { session.best.consider(epoch: epoch.epoch, accuracy: epoch.evaluationAccuracy, of: session.trainer) }
                report.epochDone(epoch)
                if let record = state.history.last { try log?.append(record) }
                if let dead = epoch.deadUnitFraction, dead > deadUnitWarning, !warnedOfDeadUnits {
                    warnedOfDeadUnits = true
                    report.alert("warning: \(percent(dead)) of the hidden units never fired in epoch \(epoch.epoch) "
                                 + (session.activation == .leakyRelu
                                    ? "(below 0 on every sample, they learn only through the leak); try a smaller --lr or a larger --leak"
                                    : "(dead ReLUs: they pass no gradient and will not recover); try a smaller --lr or --activation leaky-relu"))
                }
                let verdict = session.trainer.parametersAreFinite ? watch.check(epoch) : .notFinite(epoch: epoch.epoch)
                if let verdict { throw session.diverged(verdict, out: out, lastSaved: lastSaved) }
                if let every = checkpointEvery, state.epochsCompleted % every == 0, state.epochsCompleted < session.targetEpochs {
                    try ModelFile.save(session.checkpoint(at: state), to: out)
                    lastSaved = state.epochsCompleted
                }
                return Interrupts.received == nil ? .carryOn : .stop
            })
        let outcome: TrainingOutcome
        do {
            let samples: any BatchSource = augmentation.isIdentity
                ? NormalisedImages(train, normalisation) : try AugmentedImages(train, normalisation, settings: augmentation)
            outcome = try MLPCore.train(trainer, &metadata, epochs: targetEpochs, on: samples,
                                        evaluatingOn: NormalisedImages(held, normalisation), heldIsValidation: validation > 0,
                                        hooks: hooks)
        } catch {
            throw CLIError(error)
        }
        if outcome == .stopped, let signal = Interrupts.received {
            try saveInterrupted(by: signal, out: out, resumeCommand: resumeCommand, report: report)
        }
    }

    private func diverged(_ why: Divergence, out: String, lastSaved: Int?) -> CLIError {
        let kept = lastSaved.map { "\(out) holds the checkpoint of epoch \($0)" } ?? "\(out) was left as it was"
        let smaller = metadata.learningRate / 10
        return CLIError("training diverged: \(why); \(kept)", hint: "try a smaller --lr, such as \(smaller)")
    }

    private func saveInterrupted(by signal: Int32, out: String, resumeCommand: String, report: EpochReporter) throws(CLIError) {
        try ModelFile.save(checkpoint(at: metadata), to: out)
        let m = metadata
        let position = m.batchesIntoEpoch == 0 ? "after epoch \(m.epochsCompleted)"
            : "in epoch \(m.epochsCompleted + 1) after batch \(m.batchesIntoEpoch)"
        report.alert("\(Interrupts.name(of: signal)): stopped \(position); saved a resumable checkpoint to \(out)")
        report.alert("resume with: \(resumeCommand)")
        throw CLIError("training interrupted by \(Interrupts.name(of: signal))", status: Interrupts.exitStatus(for: signal))
    }
}

/// Above this fraction of dead hidden units a run is warned. A healthy ReLU net on MNIST has a
/// few percent; half the layer dead is capacity visibly thrown away, and it happens in practice
/// only from a too-large learning rate (the lectures' dying-ReLU example), so it is worth a line.
let deadUnitWarning = 0.5

/// The training and evaluation data as the library's loop reads them.
extension NormalisedImages: BatchSource {}
extension AugmentedImages: BatchSource {}
