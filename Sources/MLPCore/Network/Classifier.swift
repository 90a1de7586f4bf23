/// A saved model ready to classify one picture at a time, the way `predict` does: raw pixels
/// through the input normalisation the model was trained with, then the network's softmax.
public final class Classifier {
    public let checkpoint: Checkpoint
    private let inference: Inference
    /// The normalisation, `inputs` long (a short one padded as the file format pads it).
    private let shift: [Float], scale: [Float]

    public init(_ checkpoint: Checkpoint) {
        self.checkpoint = checkpoint
        inference = Inference(model: checkpoint.model, maxBatch: 1, threads: 1)
        let n = checkpoint.model.shape.inputs
        shift = (0..<n).map { $0 < checkpoint.normalisationShift.count ? checkpoint.normalisationShift[$0] : 0 }
        scale = (0..<n).map { $0 < checkpoint.normalisationScale.count ? checkpoint.normalisationScale[$0] : 1 }
    }

    /// The model inputs for raw pixels (0...255, `inputs` of them): (p − shift) · scale per input,
    /// the arithmetic MNISTData's `Normalisation` fills training batches with (tested bit for bit).
    public func inputs(_ pixels: [UInt8]) -> [Float] {
        pixels.indices.map { (Float(pixels[$0]) - shift[$0]) * scale[$0] }
    }

    /// Softmax probabilities, one per class, for one picture's raw pixels.
    public func probabilities(_ pixels: [UInt8]) -> [Float] {
        precondition(pixels.count == checkpoint.model.shape.inputs,
                     "Classifier: \(pixels.count) pixels given, the model takes \(checkpoint.model.shape.inputs)")
        return inference.probabilities(of: inputs(pixels))
    }

    /// The most likely class for one picture's raw pixels.
    public func classify(_ pixels: [UInt8]) -> Int {
        probabilities(pixels).withUnsafeBufferPointer(argmax)
    }
}
