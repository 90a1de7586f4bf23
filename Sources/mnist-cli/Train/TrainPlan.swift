import MLPCore
import MNISTData

/// Every setting of a `train` run, resolved once where it enters: given on the command line, else
/// saved in the model being resumed, else the default. The resumed file is read and its sections
/// decoded here, once, and what may not change on resume is checked here.
struct TrainPlan {
    let command: TrainCommand
    /// Where the model goes.
    let out: String
    /// The checkpoint being resumed and its file.
    let resumed: (checkpoint: Checkpoint, file: String)?
    let settings: TrainingSettings
    let sections: RunSections
    let hidden: Int
    let activation: Activation
    let leak: Float
    /// Adam and dropout, when the run uses them.
    let optimiser: OptimiserChoice
    /// Settings a resumed run changed, as "lr 0.5 (was 0.1)", for the header.
    let changes: [String]

    init(_ c: TrainCommand) throws(CLIError) {
        command = c
        out = c.outputPath
        try checkWritableOutput(out)
        let resumed = try c.resume.map { file throws(CLIError) in (checkpoint: try ModelFile.load(file), file: file) }
        self.resumed = resumed
        let savedSections = try resumed.map { r throws(CLIError) in try RunSections(decoding: r.checkpoint, file: r.file) }
        let saved = resumed?.checkpoint.state.settings
        let seed = c.seed ?? saved?.seed ?? 1
        let savedSGD = saved?.sgd
        settings = TrainingSettings(
            seed: seed, batchSize: c.batchSize ?? saved?.batchSize ?? 64,
            sgd: SGDConfig(learningRate: c.learningRate ?? savedSGD?.learningRate ?? c.optimiserOptions.defaultLearningRate,
                           momentum: c.momentum ?? savedSGD?.momentum ?? 0,
                           weightDecay: c.weightDecay ?? savedSGD?.weightDecay ?? c.optimiserOptions.defaultWeightDecay,
                           nesterov: c.nesterov || savedSGD?.nesterov == true),
            loss: c.loss ?? saved?.loss ?? .crossEntropy,
            schedule: LearningRateSchedule(c.schedule?.shape ?? saved?.schedule.shape ?? .constant,
                                           warmupEpochs: c.warmup ?? saved?.schedule.warmupEpochs ?? 0),
            averageDecay: c.average ?? saved?.averageDecay ?? 0)
        sections = RunSections(
            augmentation: savedSections?.augmentation ?? c.augmentationOptions.settings(seed: seed),
            validation: c.validation ?? savedSections?.validation ?? 0,
            patience: c.patience ?? savedSections?.patience)
        let model = resumed?.checkpoint.model
        hidden = c.hidden ?? model?.shape.hidden ?? 128
        activation = c.activation ?? model?.activation ?? .relu
        leak = c.leak ?? model?.leak ?? Activation.defaultLeak
        var changes: [String] = []
        if let saved, let savedSGD, let savedSections {
            for (name, now, was) in [("lr", settings.sgd.learningRate, savedSGD.learningRate), ("momentum", settings.sgd.momentum, savedSGD.momentum),
                                     ("weight decay", settings.sgd.weightDecay, savedSGD.weightDecay)] where now != was {
                changes.append("\(name) \(now) (was \(was))")
            }
            if settings.sgd.nesterov && !saved.sgd.nesterov { changes.append("Nesterov momentum") }
            if sections.patience != savedSections.patience {
                changes.append("patience \(sections.patience.map(String.init) ?? "none") (was \(savedSections.patience.map(String.init) ?? "none"))")
            }
        }
        if let resumed {
            optimiser = try c.optimiserOptions.choice(resuming: resumed.checkpoint, file: resumed.file, momentum: c.momentum,
                                                      nesterov: c.nesterov, changes: &changes)
        } else {
            optimiser = c.optimiserOptions.choice
        }
        self.changes = changes
        if let savedSections { try checkUnchangeable(savedSections: savedSections) }
        if sections.patience != nil && sections.validation == 0 {
            throw CLIError("--patience needs --validation: it stops when the validation accuracy no longer improves",
                           hint: "add --validation 10000, say", status: .usage)
        }
    }

    /// A resumed run cannot change what fixes the model or the order of the data; naming such an
    /// option with another value than the checkpoint's is a usage error (exit 64).
    private func checkUnchangeable(savedSections: RunSections) throws(CLIError) {
        guard let resumed else { return }
        let (saved, file) = resumed
        let s = command, settings = saved.state.settings, model = saved.model
        let fixed: [(option: String, given: String?, saved: String)] = [
            ("--hidden", s.hidden.map(String.init), String(model.shape.hidden)),
            ("--activation", s.activation?.rawValue, model.activation.rawValue),
            ("--leak", s.leak.map { "\($0)" }, model.activation == .leakyRelu ? "\(model.leak)" : "(none: the activation is \(model.activation.rawValue))"),
            ("--loss", s.loss?.rawValue, settings.loss.rawValue),
            ("--batch-size", s.batchSize.map(String.init), String(settings.batchSize)),
            ("--seed", s.seed.map(String.init), String(settings.seed)),
            ("--standardise", s.standardise ? "on" : nil, saved.normalisation.isUnitRange ? "off" : "on"),
            ("--schedule", s.schedule?.description, ScheduleOption(shape: settings.schedule.shape).description),
            ("--warmup", s.warmup.map(String.init), String(settings.schedule.warmupEpochs)),
            ("--average", s.average.map { "\($0)" }, "\(settings.averageDecay)"),
            ("--validation", s.validation.map(String.init), String(savedSections.validation)),
            ("--augment", s.augmentationOptions.isGiven ? s.augmentationOptions.settings(seed: settings.seed).summary : nil,
             savedSections.augmentation.summary),
        ]
        for setting in fixed {
            guard let given = setting.given, given != setting.saved else { continue }
            let how = setting.option == "--standardise" ? "without --standardise" : "\(setting.option) \(setting.saved)"
            throw CLIError("\(setting.option) cannot change when resuming: \(file) was trained with \(how)",
                           hint: "drop \(setting.option), or train anew without --resume", status: .usage)
        }
    }

    /// The run on `data` (the training split): fresh weights, or the resumed file's model,
    /// position and shuffle state with the settings resolved above.
    func makeRun(on data: LabeledImages) throws(CLIError) -> (run: TrainingRun, normalisation: Normalisation) {
        let validation = sections.validation > 0
        guard let resumed else {
            var model = MLP(shape: MLPShape(inputs: data.pixelsPerImage, hidden: hidden, outputs: data.classCount),
                            activation: activation, seed: settings.seed)
            model.leak = leak
            let trainer = Trainer(model: model, loss: settings.loss, sgd: settings.sgd, maxBatch: settings.batchSize, threads: command.threads)
            if settings.averageDecay > 0 { trainer.startAveraging(decay: settings.averageDecay) }
            optimiser.configure(trainer, seed: settings.seed)
            let normalisation: Normalisation = command.standardise ? .standardised(fitTo: data) : .unitRange(features: data.pixelsPerImage)
            return (TrainingRun(trainer: trainer, state: .starting(settings), evaluatesOnValidation: validation), normalisation)
        }
        let (saved, path) = resumed
        try checkCompatible(saved.model, modelFile: path, with: data, dataFile: "the training data")
        let was = saved.state
        let batches = was.settings.batchSize > 0 ? (data.count + was.settings.batchSize - 1) / was.settings.batchSize : 0
        let sgd = was.settings.sgd
        guard (1...65_536).contains(was.settings.batchSize), sgd.learningRate.isFinite, sgd.learningRate > 0,
              (0..<1).contains(sgd.momentum), sgd.weightDecay.isFinite, sgd.weightDecay >= 0,
              was.position.batchesIntoEpoch < batches else {
            throw CLIError(file: path, "cannot resume: its training settings (batch size \(was.settings.batchSize), lr \(sgd.learningRate), "
                           + "position \(was.position.batchesIntoEpoch) of \(batches) batches) do not fit this training data",
                           hint: "train anew without --resume")
        }
        guard was.position.epochsCompleted < command.epochs else {
            throw CLIError(file: path, "already trained for \(was.position.epochsCompleted) epochs", hint: "pass a larger --epochs to train further")
        }
        if let patience = sections.patience, let best = was.best, was.position.epochsCompleted - best.epoch >= patience {
            throw CLIError(file: path, "stopped early after epoch \(was.position.epochsCompleted): no better validation accuracy "
                           + "than epoch \(best.epoch)'s for \(patience) epochs", hint: "pass a larger --patience to train further")
        }
        var state = was
        state.settings = settings
        // The file's model is what evaluation uses; training goes on from LIVE, averaging from AVRG,
        // where the file has them (the decoder checked their lengths).
        func weights(_ parameters: [Float]?) -> MLP {
            var model = saved.model
            model.parameters = parameters ?? saved.model.parameters
            return model
        }
        let trainer = Trainer(model: weights(saved.trainingParameters), loss: settings.loss, sgd: settings.sgd,
                              maxBatch: settings.batchSize, threads: command.threads)
        if settings.averageDecay > 0 { trainer.startAveraging(decay: settings.averageDecay, from: weights(saved.averageParameters)) }
        // Momentum switched on now starts from rest; a velocity kept while it is off would be stale.
        if settings.sgd.momentum > 0, let velocity = saved.velocity { trainer.velocity = velocity }
        optimiser.configure(trainer, seed: settings.seed)
        return (TrainingRun(trainer: trainer, state: state, evaluatesOnValidation: validation, bestWeights: saved.model), saved.normalisation)
    }
}
