@testable import MLPCore
import Testing

/// The Classifier `predict` uses: raw pixels through the normalisation it is given (MNISTData's
/// in `predict`; `BatchesTests` shows that one matches training's bit for bit), then the network.
@Suite struct ClassifierTests {
    let shape = MLPShape(inputs: 49, hidden: 5, outputs: 3)

    func checkpoint() -> Checkpoint {
        Checkpoint(model: MLP(shape: shape, activation: .relu, seed: 1), normalisationShift: [], normalisationScale: [],
                   state: .starting(TrainingSettings(seed: 1, batchSize: 4, sgd: SGDConfig(learningRate: 0.1), loss: .crossEntropy)))
    }

    /// Picture n's pixels: varied, derived from the index.
    func pixels(_ n: Int) -> [UInt8] {
        (0..<49).map { UInt8(($0 * 37 + n * 11) % 256) }
    }

    @Test func givesTheNetworksAnswerForTheNormalisedPixels() {
        let normalise = { (pixels: [UInt8]) in pixels.indices.map { (Float(pixels[$0]) - Float($0 % 7)) * 0.02 } }
        let checkpoint = checkpoint()
        let classifier = Classifier(checkpoint, normalise: normalise)
        let direct = Inference(model: checkpoint.model, maxBatch: 1, threads: 1)
        for n in 0..<12 {
            let expected = direct.probabilities(of: normalise(pixels(n)))
            #expect(classifier.probabilities(pixels(n)).map(\.bitPattern) == expected.map(\.bitPattern), "picture \(n)")
            #expect(classifier.classify(pixels(n)) == expected.withUnsafeBufferPointer(argmax))
        }
        #expect(abs(direct.probabilities(of: normalise(pixels(0))).reduce(0, +) - 1) < 1e-5)
    }

    @Test func readsThePixelsOnlyThroughTheNormalisation() {
        let checkpoint = checkpoint()
        let scaled = Classifier(checkpoint, normalise: { $0.map { Float($0) / 255 } })
        let constant = Classifier(checkpoint, normalise: { _ in [Float](repeating: 0.5, count: 49) })
        #expect(constant.probabilities(pixels(0)) == constant.probabilities(pixels(5)))
        #expect(scaled.probabilities(pixels(0)) != scaled.probabilities(pixels(5)))
    }
}
