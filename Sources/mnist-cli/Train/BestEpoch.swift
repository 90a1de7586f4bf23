import MLPCore

/// The best epoch by validation accuracy, and a copy of the weights evaluation used then.
final class BestEpoch {
    private(set) var epoch = 0
    private(set) var accuracy = Float.nan
    private(set) var weights: MLP?

    func keep(epoch: Int, accuracy: Float, weights: MLP) {
        self.epoch = epoch
        self.accuracy = accuracy
        self.weights = weights
    }

    /// Keeps this epoch if it beats every earlier one (the earliest wins a tie).
    func consider(epoch: Int, accuracy: Double, of trainer: Trainer) {
        guard weights == nil || Float(accuracy) > self.accuracy else { return }
        keep(epoch: epoch, accuracy: Float(accuracy), weights: trainer.evaluationModel)
    }
}
