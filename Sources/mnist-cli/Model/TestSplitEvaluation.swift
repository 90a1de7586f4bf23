import MLPCore
import MNISTData

/// The model and its test split, checked to fit, evaluated with every mistake kept.
struct EvaluatedOnTestSplit {
    let checkpoint: Checkpoint
    let data: LabeledImages
    let evaluation: EvaluationWithMistakes
    /// Said on stderr as the data loads (`ModelOnSplit`), shown in the report.
    let warnings: [String]

    /// The data folder used: see `DataFolder.resolve`.
    let directory: String

    init(model: String, dataOptions: DataOptions, threads: Int) throws(CLIError) {
        let loaded = try ModelOnSplit(model: model, split: .test, dataOptions: dataOptions)
        (checkpoint, data, warnings, directory) = (loaded.checkpoint, loaded.data, loaded.warnings, loaded.directory)
        evaluation = EvaluationWithMistakes(checkpoint, on: data, threads: threads)
    }
}

/// A model file's network on `data`, normalised as it was trained; `eachSample` sees every
/// sample's probabilities. What eval, report and train's final test reading all measure.
func evaluate(_ checkpoint: Checkpoint, on data: LabeledImages, threads: Int,
              eachSample: (_ index: Int, _ label: Int, _ probabilities: UnsafeBufferPointer<Float>) -> Void = { _, _, _ in }) -> EvaluationResult {
    Inference(model: checkpoint.model, maxBatch: evaluationChunk, threads: threads)
        .evaluate(NormalisedImages(data, checkpoint.normalisation), loss: checkpoint.state.settings.loss, eachSample: eachSample)
}

/// A test sample the model got wrong.
struct Mistake {
    var index: Int
    var label: Int
    var predicted: Int
    /// The probability the model gave its (wrong) answer.
    var confidence: Float
}

/// A model's evaluation on a split, with every mistake kept.
struct EvaluationWithMistakes {
    var result: EvaluationResult
    /// Most confident first: the ones most worth a look.
    var mistakes: [Mistake]

    init(_ checkpoint: Checkpoint, on data: LabeledImages, threads: Int) {
        var found: [Mistake] = []
        result = evaluate(checkpoint, on: data, threads: threads) { index, label, p in
                let predicted = argmax(p)
                if predicted != label { found.append(Mistake(index: index, label: label, predicted: predicted, confidence: p[predicted])) }
            }
        mistakes = found.sorted { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.index < $1.index }
    }
}
