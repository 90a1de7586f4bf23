/// How a `train` run ended, in one object: the last line `train --json` prints.
struct TrainSummary {
    enum Reason: String {
        case last
        case bestValidation = "best validation"
        case earlyStop = "early stop"
        case interrupted
    }

    /// The epoch whose weights the model file holds.
    var keptEpoch: Int
    var reason: Reason
    var epochsCompleted: Int
    /// Of the kept weights; nil when not measured (a validation run interrupted before its end).
    var testAccuracy: Double?
    var model: String
    var seconds: Double

    var json: JSON {
        .object([("kept_epoch", .integer(keptEpoch)), ("kept_because", .string(reason.rawValue)),
                 ("epochs", .integer(epochsCompleted)), ("test_accuracy", testAccuracy.map(JSON.number) ?? .null),
                 ("model", .string(model)), ("seconds", .number(seconds))])
    }
}
