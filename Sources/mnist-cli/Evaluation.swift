import MLPCore
import MNISTData

/// What a pass over a labelled split measures.
struct EvaluationResult {
    var confusion: ConfusionMatrix
    var lossSum: Double

    var meanLoss: Double { confusion.total == 0 ? .nan : lossSum / Double(confusion.total) }
}

/// Runs the model over every sample of `data`, in order, in fixed-size chunks.
func evaluate(_ model: MLP, loss: LossFunction, normalisation: Normalisation,
              on data: LabeledImages, threads: Int) -> EvaluationResult {
    let chunk = min(1000, max(1, data.count))
    let inference = Inference(model: model, maxBatch: chunk, threads: threads)
    let classes = model.shape.outputs
    var result = EvaluationResult(confusion: ConfusionMatrix(classes: classes), lossSum: 0)
    let x = UnsafeMutablePointer<Float>.allocate(capacity: chunk * data.pixelsPerImage)
    let labels = UnsafeMutablePointer<Int32>.allocate(capacity: chunk)
    defer { x.deallocate(); labels.deallocate() }
    let order = (0..<Int32(data.count)).map { $0 }
    order.withUnsafeBufferPointer { order in
        for range in batchRanges(count: data.count, batchSize: chunk) {
            let indices = UnsafeBufferPointer(rebasing: order[range])
            fillBatch(from: data, indices: indices, normalisation: normalisation, x: x, labels: labels)
            let p = inference.probabilities(x: x, count: range.count)
            for i in 0..<range.count {
                let row = UnsafeBufferPointer(rebasing: p[(i * classes)..<((i + 1) * classes)])
                let actual = Int(labels[i])
                result.confusion.add(actual: actual, predicted: argmax(row))
                result.lossSum += lossValue(loss, probabilities: row.baseAddress!, label: actual, classes: classes)
            }
        }
    }
    return result
}

/// The normalisation a checkpoint carries.
extension Checkpoint {
    var normalisation: Normalisation {
        Normalisation(shift: normalisationShift, scale: normalisationScale)
    }
}

/// Checks that a model and a dataset fit together before any work is done.
func checkCompatible(_ model: MLP, modelFile: String, with data: LabeledImages, dataFile: String) throws(CLIError) {
    guard model.shape.inputs == data.pixelsPerImage else {
        throw CLIError(file: dataFile, "images have \(data.pixelsPerImage) pixels (\(data.rows)x\(data.cols)) but \(modelFile) expects \(model.shape.inputs)")
    }
    guard data.classCount <= model.shape.outputs else {
        throw CLIError(file: dataFile, "labels go up to \(data.classCount - 1) but \(modelFile) knows only \(model.shape.outputs) classes")
    }
}
