import MLPCore
import MNISTData

/// One training run as the command line sets it up: the trainer, the input normalisation, and the
/// state a resumable checkpoint carries (position, shuffle state, settings).
struct TrainingSession {
    let trainer: Trainer
    let normalisation: Normalisation
    var metadata: TrainingMetadata
    let targetEpochs: Int
    /// Settings a resumed run changed, as "lr 0.5 (was 0.1)", for the header.
    var changes: [String] = []
    /// The data this run trains on, recorded in every checkpoint it writes.
    var provenance: DataProvenance?
    /// How training images are distorted, afresh every epoch.
    var augmentation = AugmentationSettings.none
    /// Training samples held out to evaluate each epoch on (0: evaluate on the test split).
    var validation = 0
    /// With validation: the best epoch so far, whose weights the model file keeps.
    let best = BestEpoch()
    /// The hidden layer's activation.
    var activation: Activation { trainer.activation }
    /// The classes' names, when the data has them.
    var classNames: [String]?
    /// How pictures become the model's input, and the known dataset the data was recognised as.
    var inputForm = InputForm.digit
    var datasetName: String?
    /// Sections of the resumed file that this run passes on as they were.
    var otherSections: [CheckpointSection] = []

    static func starting(settings s: TrainCommand, data: LabeledImages) -> TrainingSession {
        let sgd = SGDConfig(learningRate: s.learningRate ?? s.optimiserOptions.defaultLearningRate, momentum: s.momentum ?? 0, weightDecay: s.weightDecay ?? s.optimiserOptions.defaultWeightDecay,
                            nesterov: s.nesterov)
        let loss = s.loss ?? .crossEntropy, seed = s.seed ?? 1, batchSize = s.batchSize ?? 64
        let schedule = LearningRateSchedule(s.schedule?.shape ?? .constant, warmupEpochs: s.warmup ?? 0)
        var model = MLP(shape: s.shape(for: data), activation: s.activation ?? .relu, seed: seed)
        model.leak = s.leak ?? Activation.defaultLeak
        let trainer = Trainer(model: model, loss: loss, sgd: sgd, maxBatch: batchSize, threads: s.threads)
        s.optimiserOptions.configure(trainer, seed: seed)
        let averageDecay = s.average ?? 0
        if averageDecay > 0 { trainer.startAveraging(decay: averageDecay) }
        var session = TrainingSession(
            trainer: trainer,
            normalisation: s.standardise ? .standardised(fitTo: data) : .unitRange(features: data.pixelsPerImage),
            metadata: .starting(seed: seed, batchSize: batchSize, sgd: sgd, loss: loss, schedule: schedule, averageDecay: averageDecay),
            targetEpochs: s.epochs)
        session.augmentation = s.augmentationOptions.settings(seed: seed)
        session.validation = s.validation ?? 0
        return session
    }

    /// Continues a checkpoint: its model, position and shuffle state, with the optimiser settings
    /// given now (the checkpoint's where none is given).
    static func resuming(_ saved: Checkpoint, from path: String, settings s: TrainCommand, data: LabeledImages) throws(CLIError) -> TrainingSession {
        var m = saved.metadata
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
        var changes: [String] = []
        func honour(_ given: Float?, _ name: String, _ field: WritableKeyPath<TrainingMetadata, Float>) {
            guard let given, given != m[keyPath: field] else { return }
            changes.append("\(name) \(given) (was \(m[keyPath: field]))")
            m[keyPath: field] = given
        }
        honour(s.learningRate, "lr", \.learningRate)
        honour(s.momentum, "momentum", \.momentum)
        honour(s.weightDecay, "weight decay", \.weightDecay)
        if s.nesterov && !m.nesterov {
            changes.append("Nesterov momentum")
            m.nesterov = true
        }
        // The file's model is what evaluation uses; training goes on from LIVE, averaging from AVRG,
        // where the file has them (the decoder checked their lengths).
        func weights(_ parameters: [Float]?) -> MLP {
            var model = saved.model
            model.parameters = parameters ?? saved.model.parameters
            return model
        }
        let trainer = Trainer(model: weights(saved.trainingParameters), loss: m.loss, sgd: m.sgd, maxBatch: m.batchSize, threads: s.threads)
        if m.averageDecay > 0 { trainer.startAveraging(decay: m.averageDecay, from: weights(saved.averageParameters)) }
        // Momentum switched on now starts from rest; a velocity kept while it is off would be stale.
        if m.momentum > 0, let velocity = saved.velocity { trainer.velocity = velocity }
        try s.optimiserOptions.configure(trainer, resuming: saved, file: path, momentum: s.momentum, nesterov: s.nesterov, changes: &changes)
        var session = TrainingSession(trainer: trainer, normalisation: saved.normalisation, metadata: m, targetEpochs: s.epochs,
                                      changes: changes, provenance: saved.provenance)
        session.augmentation = try RunSections.augmentation(in: saved, file: path)
        session.validation = try RunSections.validation(in: saved, file: path)
        session.otherSections = saved.otherSections
        if m.bestEpoch > 0 { session.best.keep(epoch: m.bestEpoch, accuracy: m.bestAccuracy, weights: saved.model) }
        return session
    }

    /// A resumed run cannot change what fixes the model or the order of the data; naming such an
    /// option with another value than the checkpoint's is a usage error (exit 64).
    static func checkUnchangeable(settings s: TrainCommand, against saved: Checkpoint, file: String) throws(CLIError) {
        let m = saved.metadata, model = saved.model
        let fixed: [(option: String, given: String?, saved: String)] = [
            ("--hidden", s.hidden.map(String.init), String(model.shape.hidden)),
            ("--activation", s.activation?.rawValue, model.activation.rawValue),
            ("--leak", s.leak.map { "\($0)" }, model.activation == .leakyRelu ? "\(model.leak)" : "(none: the activation is \(model.activation.rawValue))"),
            ("--loss", s.loss?.rawValue, m.loss.rawValue),
            ("--batch-size", s.batchSize.map(String.init), String(m.batchSize)),
            ("--seed", s.seed.map(String.init), String(m.seed)),
            ("--standardise", s.standardise ? "on" : nil, saved.normalisation.isUnitRange ? "off" : "on"),
            ("--schedule", s.schedule?.description, ScheduleOption(shape: m.schedule.shape).description),
            ("--warmup", s.warmup.map(String.init), String(m.schedule.warmupEpochs)),
            ("--average", s.average.map { "\($0)" }, "\(m.averageDecay)"),
            ("--validation", s.validation.map(String.init), String(try RunSections.validation(in: saved, file: file))),
            ("--augment", s.augmentationOptions.isGiven ? s.augmentationOptions.settings(seed: m.seed).summary : nil,
             try RunSections.augmentation(in: saved, file: file).summary),
        ]
        for setting in fixed {
            guard let given = setting.given, given != setting.saved else { continue }
            let how = setting.option == "--standardise" ? "without --standardise" : "\(setting.option) \(setting.saved)"
            throw CLIError("\(setting.option) cannot change when resuming: \(file) was trained with \(how)",
                           hint: "drop \(setting.option), or train anew without --resume", status: .usage)
        }
    }

    func describe() -> String {
        let shape = trainer.model.shape
        let m = metadata
        var text = "\(shape) \(trainer.model.activationSummary), \(m.loss.rawValue), lr \(m.learningRate), batch \(m.batchSize)"
        if m.momentum > 0 { text += m.nesterov ? ", Nesterov momentum \(m.momentum)" : ", momentum \(m.momentum)" }
        if let adam = trainer.adamConfig { text += ", \(adam.summary)" }
        if let dropout = trainer.dropout { text += ", dropout \(dropout.rate)" }
        if m.schedule.shape != .constant { text += ", \(ScheduleOption(shape: m.schedule.shape).description) schedule" }
        if m.schedule.warmupEpochs > 0 { text += ", \(m.schedule.warmupEpochs)-epoch warm-up" }
        if m.averageDecay > 0 { text += ", weights averaged (β \(m.averageDecay))" }
        if !augmentation.isIdentity { text += ", augmented (\(augmentation.summary))" }
        if validation > 0 { text += ", \(validation) held out for validation" }
        if m.weightDecay > 0 { text += ", weight decay \(m.weightDecay)" }
        if !normalisation.isUnitRange { text += ", standardised inputs" }
        if m.hasStarted {
            text += ", resuming after epoch \(m.epochsCompleted)"
            if m.batchesIntoEpoch > 0 { text += " batch \(m.batchesIntoEpoch)" }
        }
        if !changes.isEmpty { text += "; now " + changes.joined(separator: ", ") }
        return text
    }

    /// The model file for the run at `state`: the weights evaluation uses (with validation, the
    /// best epoch's), and where those are not the weights training goes on from, those too.
    func checkpoint(at state: TrainingMetadata) -> Checkpoint {
        var metadata = state
        let bestWeights = validation > 0 ? best.weights : nil
        if bestWeights != nil {
            metadata.bestEpoch = best.epoch
            metadata.bestAccuracy = best.accuracy
        }
        var checkpoint = Checkpoint(model: bestWeights ?? trainer.evaluationModel, normalisationShift: normalisation.shift,
                                    normalisationScale: normalisation.scale, metadata: metadata,
                                    velocity: state.momentum > 0 ? trainer.velocity : nil, provenance: provenance)
        if state.averageDecay > 0 || bestWeights != nil { checkpoint.trainingParameters = trainer.model.parameters }
        if state.averageDecay > 0 && bestWeights != nil { checkpoint.averageParameters = trainer.evaluationModel.parameters }
        checkpoint.classNames = classNames
        checkpoint.inputForm = inputForm.rawValue
        checkpoint.datasetName = datasetName
        checkpoint.adam = trainer.adamState
        checkpoint.dropoutRate = trainer.dropout?.rate
        checkpoint.otherSections = RunSections.replacing(in: otherSections, augmentation: augmentation, validation: validation)
        return checkpoint
    }
}
