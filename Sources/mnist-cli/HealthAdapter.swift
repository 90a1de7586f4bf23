import MLPCore

// ADAPTER — until branch `health` (issue 12 parts 1 and 5) is merged. The checkpoint does not yet
// keep a per-epoch history or class names; these two functions are the only places the pictures
// and the report read them from. Once `Checkpoint.history: [EpochRecord]` and the checkpoint's
// class names exist, read them here (and EpochPoint becomes EpochRecord); nothing else changes.

/// One epoch of the training history, as the pictures use it.
struct EpochPoint {
    var epoch: Int
    var loss: Double
    var trainAccuracy: Double
    var validationAccuracy: Double?
    var testAccuracy: Double?
}

/// The per-epoch history a checkpoint carries: none yet (see above).
func trainingHistory(of checkpoint: Checkpoint) -> [EpochPoint] { [] }

/// The name of each output class: "0" ... "9" until checkpoints carry names (see above).
func classNames(of checkpoint: Checkpoint) -> [String] {
    (0..<checkpoint.model.shape.outputs).map(String.init)
}
