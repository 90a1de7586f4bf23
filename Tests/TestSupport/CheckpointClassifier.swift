import MLPCore
import MNISTData

extension Classifier {
    /// `checkpoint` behind the normalisation it was trained with, as `predict` builds it.
    public convenience init(trained checkpoint: Checkpoint) {
        let normalisation = Normalisation(shift: checkpoint.normalisationShift, scale: checkpoint.normalisationScale)
        self.init(checkpoint, normalise: normalisation.apply)
    }
}
