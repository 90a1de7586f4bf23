/// A saved model ready to classify one picture at a time, the way `predict` does: raw pixels
/// through `normalise`, then the network's softmax.
///
/// `normalise` is the caller's: the input normalisation the model was trained with, done by the
/// code that filled its training batches (MNISTData's `Normalisation`, which this module does not
/// import), so a picture meets the network exactly as a training image did.
public final class Classifier {
    let checkpoint: Checkpoint
    private let inference: Inference
    private let normalise: ([UInt8]) -> [Float]

    public init(_ checkpoint: Checkpoint, normalise: @escaping ([UInt8]) -> [Float]) {
        self.checkpoint = checkpoint
        self.normalise = normalise
        inference = Inference(model: checkpoint.model, maxBatch: 1, threads: 1)
    }

    /// Softmax probabilities, one per class, for one picture's raw pixels.
    public func probabilities(_ pixels: [UInt8]) -> [Float] {
        precondition(pixels.count == checkpoint.model.shape.inputs,
                     "Classifier: \(pixels.count) pixels given, the model takes \(checkpoint.model.shape.inputs)")
        return inference.probabilities(of: normalise(pixels))
    }

    /// The most likely class for one picture's raw pixels.
    func classify(_ pixels: [UInt8]) -> Int {
        probabilities(pixels).withUnsafeBufferPointer(argmax)
    }
}
