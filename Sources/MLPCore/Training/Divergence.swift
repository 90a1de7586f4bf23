#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a run is judged to have gone wrong rather than to be slow.
public enum Divergence: Error, Equatable, CustomStringConvertible {
    /// The loss or the weights stopped being finite numbers.
    case notFinite(epoch: Int)
    /// The epoch's mean loss is far above where training started.
    case exploded(epoch: Int, loss: Double, start: Double)
    /// Train accuracy no better than always answering the commonest class, and the loss not falling.
    case noProgress(epoch: Int, loss: Double, previous: Double, accuracy: Double, chance: Double)

    public var description: String {
        switch self {
        case let .notFinite(epoch):
            "the loss or the weights became infinite or NaN in epoch \(epoch)"
        case let .exploded(epoch, loss, start):
            "epoch \(epoch)'s loss \(fixed(loss, 4)) is far above the \(fixed(start, 4)) training started at"
        case let .noProgress(epoch, loss, previous, accuracy, chance):
            "in epoch \(epoch) train accuracy \(fixed(100 * accuracy, 2))% is no better than chance "
                + "(\(fixed(100 * chance, 2))%, always answering the commonest class) and the loss "
                + "\(fixed(loss, 4)) did not fall below \(fixed(previous, 4))"
        }
    }
}

/// Watches a run epoch by epoch, to stop one that learns nothing before it overwrites a good model.
///
/// A healthy run's loss falls from where it started, which with fresh weights is near the loss of
/// the uniform guess (ln C for cross-entropy). Two signs tell a run that has gone wrong from a slow
/// one: an epoch's mean loss above twice that start (a step size that overshoots, weights growing
/// without bound), or train accuracy no better than chance while the loss has not fallen since the
/// last look (dead units, or weights thrown where every input gets the same answer). A slow start
/// (a tiny learning rate, sigmoid with MSE) can sit near chance for an epoch, but its loss falls,
/// so it goes on.
public struct DivergenceWatch: Sendable {
    /// What always answering the commonest class of the training data scores.
    let chance: Double
    /// The loss of answering every class with probability 1/C.
    let uniformLoss: Double
    /// The first batch's mean loss in this run, before any step.
    private var start: Double?
    /// The loss to beat: the last epoch's, or the first batch's before the first epoch ends.
    private var reference: Double?

    /// `labelCounts[k]` is how many training samples have label k.
    public init(labelCounts: [Int], loss: LossFunction) {
        let total = labelCounts.reduce(0, +), classes = max(labelCounts.count, 1)
        chance = total == 0 ? 0 : Double(labelCounts.max() ?? 0) / Double(total)
        switch loss {
        case .crossEntropy: uniformLoss = log(Double(classes))
        case .mse: uniformLoss = (1 - 1 / Double(classes)) / 2
        }
    }

    /// The run so far, after each of its batches: the first one's loss is where it started.
    public mutating func observe(_ epoch: EpochStats) {
        guard start == nil, epoch.samples > 0 else { return }
        start = epoch.meanLoss
        reference = epoch.meanLoss
    }

    /// Judges a finished epoch; nil when it looks healthy.
    public mutating func check(_ epoch: EpochStats) -> Divergence? {
        let loss = epoch.meanLoss
        guard loss.isFinite else { return .notFinite(epoch: epoch.epoch) }
        defer { reference = loss }
        let ceiling = 2 * max(start ?? uniformLoss, uniformLoss)
        if loss > ceiling { return .exploded(epoch: epoch.epoch, loss: loss, start: ceiling / 2) }
        if let reference, epoch.trainAccuracy <= chance + 0.01, loss >= reference {
            return .noProgress(epoch: epoch.epoch, loss: loss, previous: reference, accuracy: epoch.trainAccuracy, chance: chance)
        }
        return nil
    }
}
