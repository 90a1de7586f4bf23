import MLPCore
import MNISTData

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
