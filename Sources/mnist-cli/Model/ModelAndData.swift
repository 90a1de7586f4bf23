import MLPCore
import MNISTData

/// The normalisation a checkpoint carries.
extension Checkpoint {
    var normalisation: Normalisation {
        Normalisation(shift: normalisationShift, scale: normalisationScale)
    }
}

/// A model file and one split of a dataset, checked to fit, for the commands that measure a model
/// on data (eval, draw, report). A split that is not the data the model file says it was trained
/// on is said at once, on stderr, and kept in `warnings` for --json and the report.
struct ModelOnSplit {
    let checkpoint: Checkpoint
    let data: LabeledImages
    let warnings: [String]

    /// The data folder used: see `DataFolder.resolve`.
    let directory: String

    init(model: String, split: Split, dataOptions: DataOptions) throws(CLIError) {
        checkpoint = try ModelFile.load(model)
        directory = try DataFolder.resolve(dataOptions, for: checkpoint, model: model)
        data = try loadData(split, from: directory, classCount: checkpoint.model.shape.outputs)
        try checkCompatible(checkpoint.model, modelFile: model, with: data, dataFile: directory)
        warnings = [checkpoint.provenance?.mismatch(data, split: split, folder: directory, model: model)].compactMap { $0 }
        for warning in warnings { Terminal.errorLine("warning: \(warning)") }
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

extension LabeledImages {
    /// This split in brief, as a model file records it.
    var digest: SplitDigest { SplitDigest(images: count, labels: count, checksum: checksum) }
}

extension DataProvenance {
    init(folder: String, train: LabeledImages, test: LabeledImages) {
        self.init(folder: folder, absoluteFolder: DataFolder.absolute(folder), train: train.digest, test: test.digest)
    }

    /// "data/mnist (60000 training and 10000 test images)".
    var summary: String { "\(folder) (\(train.images) training and \(test.images) test images)" }

    /// A warning when `data`, read from `folder` as the `split` split, is not what the model saw
    /// as that split; nil when it is.
    func mismatch(_ data: LabeledImages, split: Split, folder: String, model: String) -> String? {
        let recorded = split == .train ? train : test, found = data.digest
        guard recorded != found else { return nil }
        return "\(model) was trained on \(summary), but the \(split.rawValue) split of \(folder) is other data "
            + "(\(found.images) images, CRC-32 \(hex(found.checksum)); the model's had \(recorded.images), CRC-32 \(hex(recorded.checksum)))"
    }
}
