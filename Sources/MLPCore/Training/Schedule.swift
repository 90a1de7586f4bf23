#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the learning rate moves over a run, as a multiple of the base rate η: an optional linear
/// warm-up, then constant, stepped down, or a cosine from η to 0 over the steps that remain.
public struct LearningRateSchedule: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        case constant
        /// × `factor` every `epochs` epochs (counted from the start of the run, warm-up included).
        case step(epochs: Int, factor: Float)
        /// ½(1 + cos(π·t/T)) from the end of the warm-up (t = 0) to the last step (t = T).
        case cosine
    }

    public var shape: Shape
    /// Epochs over which the rate climbs linearly to η: step s of w warm-up steps runs at η·(s+1)/w.
    public var warmupEpochs: Int

    public init(_ shape: Shape = .constant, warmupEpochs: Int = 0) {
        self.shape = shape
        self.warmupEpochs = warmupEpochs
    }

    public static let constant = LearningRateSchedule()

    /// The rate for step `step` (0-based, counted over the whole run) of a run of `epochs` epochs
    /// of `stepsPerEpoch` steps, from base rate `base`. Computed in Double and rounded once, so
    /// the same step always gets the same Float.
    func rate(base: Float, step: Int, stepsPerEpoch: Int, epochs: Int) -> Float {
        let warmupSteps = warmupEpochs * stepsPerEpoch
        if step < warmupSteps { return Float(Double(base) * Double(step + 1) / Double(warmupSteps)) }
        switch shape {
        case .constant:
            return base
        case let .step(every, factor):
            let drops = every > 0 ? step / (every * max(stepsPerEpoch, 1)) : 0
            return Float(Double(base) * pow(Double(factor), Double(drops)))
        case .cosine:
            let span = max(epochs * stepsPerEpoch - warmupSteps - 1, 1)
            let t = Double(min(step - warmupSteps, span)) / Double(span)
            return Float(Double(base) * 0.5 * (1 + cos(Double.pi * t)))
        }
    }
}
