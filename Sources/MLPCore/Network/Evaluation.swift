/// What a pass over labelled samples measures.
public struct EvaluationResult: Sendable, Equatable {
    public var confusion: ConfusionMatrix
    var lossSum: Double

    init(confusion: ConfusionMatrix, lossSum: Double) {
        self.confusion = confusion
        self.lossSum = lossSum
    }

    public var meanLoss: Double { confusion.total == 0 ? .nan : lossSum / Double(confusion.total) }
}

/// Samples evaluated per forward pass: large enough to keep both threads busy, small enough that
/// the hidden activations (1000 x hidden floats) stay modest.
public let evaluationChunk = 1000

extension Inference {
    /// Every sample of `source`, in order, in chunks of `evaluationChunk`: the confusion matrix and
    /// the summed loss. `eachSample` sees every sample's index, label and probabilities as they
    /// go by (the probabilities are valid only during the call), for pictures of the mistakes.
    public func evaluate(_ source: some BatchSource, loss: LossFunction,
                         eachSample: (_ index: Int, _ label: Int, _ probabilities: UnsafeBufferPointer<Float>) -> Void
                             = { _, _, _ in }) -> EvaluationResult {
        let classes = shape.outputs
        var result = EvaluationResult(confusion: ConfusionMatrix(classes: classes), lossSum: 0)
        let samples = SampleBuffer(capacity: min(evaluationChunk, source.count), features: source.features)
        let order = (0..<Int32(source.count)).map { $0 }
        order.withUnsafeBufferPointer { order in
            for range in batchRanges(count: source.count, batchSize: samples.capacity) {
                samples.fill(from: source, UnsafeBufferPointer(rebasing: order[range]), epoch: 0, pool: pool)
                let p = probabilities(x: samples.x, count: range.count)
                for i in 0..<range.count {
                    let row = UnsafeBufferPointer(rebasing: p[(i * classes)..<((i + 1) * classes)])
                    let actual = Int(samples.labels[i])
                    result.confusion.add(actual: actual, predicted: argmax(row))
                    result.lossSum += lossValue(loss, probabilities: row.baseAddress!, label: actual, classes: classes)
                    eachSample(range.lowerBound + i, actual, row)
                }
            }
        }
        return result
    }
}
