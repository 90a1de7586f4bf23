import MLPCore

/// One epoch's figures under the names `train --json` and `train --log` share, in one order:
/// the JSON line of both, and the log's CSV columns.
struct EpochFields {
    static let names = ["epoch", "loss", "train_accuracy", "validation_accuracy", "test_accuracy", "learning_rate",
                        "dead_units", "seconds", "samples_per_second"]

    let record: EpochRecord
    /// nil where not timed (a record read back from a model file).
    let samplesPerSecond: Double?

    /// The values after the epoch number, in `names`' order; nil where not measured (no validation
    /// split, sigmoid and tanh's dead units).
    var values: [Double?] {
        let r = record
        return [r.loss, r.trainAccuracy, r.validationAccuracy, r.testAccuracy, r.learningRate, r.deadUnitFraction, r.seconds,
                samplesPerSecond]
    }

    var json: JSON {
        JSON.object([("epoch", .integer(record.epoch))] + zip(Self.names.dropFirst(), values).map { ($0, $1.map(JSON.number) ?? .null) })
    }

    /// A CSV row: empty where not measured.
    var csv: String {
        ([String(record.epoch)] + values.map { $0.map { $0.isFinite ? "\($0)" : "" } ?? "" }).joined(separator: ",")
    }
}
