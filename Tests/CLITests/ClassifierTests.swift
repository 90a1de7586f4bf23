import MLPCore
import MNISTData
import Testing

/// The library's Classifier, which `predict` and the rendered-digit checks both use, feeds the
/// network exactly what training fed it: its inputs are MNISTData's normalisation bit for bit.
@Suite struct ClassifierTests {
    @Test(arguments: [false, true])
    func inputsMatchTheTrainingNormalisation(standardised: Bool) throws {
        let pixels: [UInt8] = (0..<(12 * 49)).map { (i: Int) -> UInt8 in UInt8((i * 37 + i / 49 * 11) % 256) }
        let data = LabeledImages(images: pixels, labels: (0..<12).map { UInt8($0 % 3) }, rows: 7, cols: 7, classCount: 3)
        let normalisation = standardised ? Normalisation.standardised(fitTo: data) : .unitRange(features: 49)
        let shape = MLPShape(inputs: 49, hidden: 5, outputs: 3)
        let checkpoint = Checkpoint(model: MLP(shape: shape, activation: .relu, seed: 1), normalisationShift: normalisation.shift,
                                    normalisationScale: normalisation.scale,
                                    state: .starting(TrainingSettings(seed: 1, batchSize: 4, sgd: SGDConfig(learningRate: 0.1), loss: .crossEntropy)))
        let classifier = Classifier(checkpoint)
        for n in 0..<12 {
            let image = Array(pixels[(n * 49)..<((n + 1) * 49)])
            var x = [Float](repeating: 0, count: 49), label: [Int32] = [0]
            [Int32(n)].withUnsafeBufferPointer { fillBatch(from: data, indices: $0, normalisation: normalisation, x: &x, labels: &label) }
            #expect(classifier.inputs(image).map(\Float.bitPattern) == x.map(\Float.bitPattern))
            let direct = Inference(model: checkpoint.model, maxBatch: 1, threads: 1).probabilities(of: x)
            #expect(classifier.probabilities(image) == direct)
            #expect(classifier.classify(image) == direct.withUnsafeBufferPointer(argmax))
        }
    }
}
