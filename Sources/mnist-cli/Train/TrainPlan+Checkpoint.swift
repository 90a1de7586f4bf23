import MLPCore
import MNISTData

/// What a model file says beside the run's state: how inputs are normalised, what data the run
/// trains on, what its classes are called and how pictures become its input.
struct ModelFileContext {
    var normalisation: Normalisation
    var provenance: DataProvenance?
    var classNames: [String]?
    var inputForm: InputForm
    /// The published dataset the data was recognised as.
    var datasetName: String?
}

extension TrainPlan {
    /// The model file for the run as it stands: the weights evaluation uses (with validation, the
    /// best epoch's), and where those are not the weights training goes on from, those too.
    func checkpoint(of run: TrainingRun, _ file: ModelFileContext) -> Checkpoint {
        let settings = run.state.settings, trainer = run.trainer
        var checkpoint = Checkpoint(model: run.bestWeights ?? trainer.evaluationModel, normalisationShift: file.normalisation.shift,
                                    normalisationScale: file.normalisation.scale, state: run.state,
                                    velocity: settings.sgd.momentum > 0 ? trainer.velocity : nil, provenance: file.provenance)
        if settings.averageDecay > 0 || run.bestWeights != nil { checkpoint.trainingParameters = trainer.model.parameters }
        if settings.averageDecay > 0 && run.bestWeights != nil { checkpoint.averageParameters = trainer.evaluationModel.parameters }
        checkpoint.classNames = file.classNames
        checkpoint.inputForm = file.inputForm.rawValue
        checkpoint.datasetName = file.datasetName
        checkpoint.adam = trainer.adamState
        checkpoint.dropoutRate = trainer.dropout?.rate
        // Sections of the resumed file this version does not know pass on as they were.
        checkpoint.otherSections = sections.replacing(in: resumed?.checkpoint.otherSections ?? [])
        return checkpoint
    }

    /// "784-128-10 relu, cross-entropy, lr 0.1, batch 64, …" for the line that opens the run.
    func describe(_ run: TrainingRun, standardised: Bool) -> String {
        let model = run.trainer.model, s = run.state.settings, sgd = s.sgd
        var text = "\(model.shape) \(model.activationSummary), \(s.loss.rawValue), lr \(sgd.learningRate), batch \(s.batchSize)"
        if sgd.momentum > 0 { text += sgd.nesterov ? ", Nesterov momentum \(sgd.momentum)" : ", momentum \(sgd.momentum)" }
        if let adam = run.trainer.adamConfig { text += ", \(adam.summary)" }
        if let dropout = run.trainer.dropout { text += ", dropout \(dropout.rate)" }
        if s.schedule.shape != .constant { text += ", \(ScheduleOption(shape: s.schedule.shape).description) schedule" }
        if s.schedule.warmupEpochs > 0 { text += ", \(s.schedule.warmupEpochs)-epoch warm-up" }
        if s.averageDecay > 0 { text += ", weights averaged (β \(s.averageDecay))" }
        if !sections.augmentation.isIdentity { text += ", augmented (\(sections.augmentation.summary))" }
        if sections.validation > 0 { text += ", \(sections.validation) held out for validation" }
        if let patience = sections.patience { text += ", stopping after \(patience) epochs without a better validation accuracy" }
        if sgd.weightDecay > 0 { text += ", weight decay \(sgd.weightDecay)" }
        if standardised { text += ", standardised inputs" }
        let position = run.state.position
        if position.hasStarted {
            text += ", resuming after epoch \(position.epochsCompleted)"
            if position.batchesIntoEpoch > 0 { text += " batch \(position.batchesIntoEpoch)" }
        }
        if !changes.isEmpty { text += "; now " + changes.joined(separator: ", ") }
        return text
    }
}
