import MLPCore
import MNISTData

/// How a run's training ended.
enum RunEnd: Equatable {
    case finished
    /// --patience epochs went by without a better validation accuracy.
    case earlyStop
    /// SIGINT or SIGTERM: stopped at a batch boundary.
    case interrupted(signal: Int32)
}

extension TrainPlan {
    /// Trains `run` to --epochs through the library's loop; the command line's part is the hooks:
    /// progress and epoch lines, the divergence watch, early stopping, checkpoints every N epochs,
    /// and stopping at the first batch boundary after SIGINT or SIGTERM.
    func train(_ run: TrainingRun, describedBy file: ModelFileContext, on train: LabeledImages, evaluatingOn held: LabeledImages,
               report: EpochReporter, log: EpochLog?) throws(CLIError) -> RunEnd {
        var watch = DivergenceWatch(labelCounts: train.labelCounts, loss: settings.loss)
        var lastSaved: Int?
        var warnedOfDeadUnits = false
        var stoppedEarly = false
        let hooks = TrainingHooks(
            afterBatch: { epoch, batch, batches in
                guard epoch.lossSum.isFinite else { throw diverged(.notFinite(epoch: epoch.epoch), run: run, lastSaved: lastSaved) }
                watch.observe(epoch)
                Interrupts.raiseIfTestTrigger(epoch: epoch.epoch, batch: batch)
                report.progress(epoch: epoch.epoch, batch: batch, of: batches, meanLoss: epoch.meanLoss)
                return Interrupts.received == nil ? .carryOn : .stop
            },
            afterEpoch: { epoch, state in
                let fields = EpochFields(record: state.history.last!, samplesPerSecond: epoch.samplesPerSecond)
                report.epochDone(epoch, fields)
                try log?.append(fields)
                if let dead = epoch.deadUnitFraction, dead > deadUnitWarning, !warnedOfDeadUnits {
                    warnedOfDeadUnits = true
                    report.alert("warning: \(percent(dead)) of the hidden units never fired in epoch \(epoch.epoch) "
                                 + (run.trainer.activation == .leakyRelu
                                    ? "(below 0 on every sample, they learn only through the leak); try a smaller --lr or a larger --leak"
                                    : "(dead ReLUs: they pass no gradient and will not recover); try a smaller --lr or --activation leaky-relu"))
                }
                let verdict = run.trainer.parametersAreFinite ? watch.check(epoch) : .notFinite(epoch: epoch.epoch)
                if let verdict { throw diverged(verdict, run: run, lastSaved: lastSaved) }
                if let patience = sections.patience, let since = run.epochsSinceBest, since >= patience,
                   state.position.epochsCompleted < command.epochs {
                    stoppedEarly = true
                    return .stop
                }
                if let every = command.checkpointEvery, state.position.epochsCompleted % every == 0,
                   state.position.epochsCompleted < command.epochs {
                    try ModelFile.save(checkpoint(of: run, file), to: out)
                    lastSaved = state.position.epochsCompleted
                }
                return Interrupts.received == nil ? .carryOn : .stop
            })
        let outcome: TrainingOutcome
        do {
            let samples: any BatchSource = sections.augmentation.isIdentity
                ? NormalisedImages(train, file.normalisation) : try AugmentedImages(train, file.normalisation, settings: sections.augmentation)
            outcome = try run.train(epochs: command.epochs, on: samples, evaluatingOn: NormalisedImages(held, file.normalisation), hooks: hooks)
        } catch {
            throw CLIError(error)
        }
        if outcome == .stopped, let signal = Interrupts.received { return .interrupted(signal: signal) }
        return stoppedEarly ? .earlyStop : .finished
    }

    private func diverged(_ why: Divergence, run: TrainingRun, lastSaved: Int?) -> CLIError {
        let kept = lastSaved.map { "\(out) holds the checkpoint of epoch \($0)" } ?? "\(out) was left as it was"
        return CLIError("training diverged: \(why); \(kept)", hint: "try a smaller --lr, such as \(run.learningRate / 10)")
    }

    /// After SIGINT or SIGTERM: saves where the run stopped and says how to go on.
    func saveInterrupted(_ run: TrainingRun, _ file: ModelFileContext, by signal: Int32, report: EpochReporter) throws(CLIError) {
        try ModelFile.save(checkpoint(of: run, file), to: out)
        let position = run.state.position
        let at = position.batchesIntoEpoch == 0 ? "after epoch \(position.epochsCompleted)"
            : "in epoch \(position.epochsCompleted + 1) after batch \(position.batchesIntoEpoch)"
        report.alert("\(Interrupts.name(of: signal)): stopped \(at); saved a resumable checkpoint to \(out)")
        report.alert("resume with: \(command.resumeCommand(out: out))")
    }
}

/// Above this fraction of dead hidden units a run is warned. A healthy ReLU net on MNIST has a
/// few percent; half the layer dead is capacity visibly thrown away, and it happens in practice
/// only from a too-large learning rate (the lectures' dying-ReLU example), so it is worth a line.
let deadUnitWarning = 0.5

/// The training and evaluation data as the library's loop reads them.
extension NormalisedImages: BatchSource {}
extension AugmentedImages: BatchSource {}
