import ArgumentParser
import MLPCore

/// --schedule's value: `constant`, `cosine` (from --lr down to 0 over the run), or
/// `step:E:F` (× F every E epochs).
struct ScheduleOption: ExpressibleByArgument, Equatable {
    let shape: LearningRateSchedule.Shape

    init(shape: LearningRateSchedule.Shape) { self.shape = shape }

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.first {
        case "constant" where parts.count == 1: shape = .constant
        case "cosine" where parts.count == 1: shape = .cosine
        case "step" where parts.count == 3:
            guard let epochs = Int(parts[1]), epochs >= 1, let factor = Float(parts[2]), factor > 0, factor <= 1 else { return nil }
            shape = .step(epochs: epochs, factor: factor)
        default: return nil
        }
    }

    var defaultValueDescription: String { description }

    static let allValueStrings = ["constant", "cosine", "step:E:F"]

    /// As typed: "cosine", "step:30:0.1".
    var description: String {
        switch shape {
        case .constant: "constant"
        case .cosine: "cosine"
        case let .step(epochs, factor): "step:\(epochs):\(factor)"
        }
    }
}
