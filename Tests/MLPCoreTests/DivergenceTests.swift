import Foundation
import Testing
@testable import MLPCore

/// The divergence watch on epochs made up to sit on either side of each rule.
@Suite struct DivergenceTests {
    /// Ten classes, the commonest a fifth of the samples: chance is 20%.
    let labelCounts = [20, 10, 10, 10, 10, 10, 10, 10, 5, 5]

    func epoch(_ n: Int, loss: Double, accuracy: Double, samples: Int = 1000) -> EpochStats {
        var stats = EpochStats(epoch: n)
        stats.samples = samples
        stats.lossSum = loss * Double(samples)
        stats.correct = Int((accuracy * Double(samples)).rounded())
        return stats
    }

    /// A watch that has seen the run's first batch at `start`.
    func watch(start: Double, loss: LossFunction = .crossEntropy) -> DivergenceWatch {
        var watch = DivergenceWatch(labelCounts: labelCounts, loss: loss)
        watch.observe(epoch(1, loss: start, accuracy: 0.1, samples: 64))
        watch.observe(epoch(1, loss: 99, accuracy: 0.1, samples: 128))  // only the first batch counts
        return watch
    }

    @Test func chanceAndTheUniformLossComeFromTheLabels() {
        let crossEntropy = DivergenceWatch(labelCounts: labelCounts, loss: .crossEntropy)
        #expect(crossEntropy.chance == 0.2)
        #expect(abs(crossEntropy.uniformLoss - log(10)) < 1e-12)
        // ½((1 − 1/C)² + (C − 1)/C²) for p = 1/C everywhere.
        #expect(abs(DivergenceWatch(labelCounts: labelCounts, loss: .mse).uniformLoss - 0.45) < 1e-12)
    }

    @Test func aLossFarAboveItsStartIsDivergence() {
        var w = watch(start: 2.4)
        #expect(w.check(epoch(1, loss: 78, accuracy: 0.1)) == .exploded(epoch: 1, loss: 78, start: 2.4))
        var justBelow = watch(start: 2.4)
        #expect(justBelow.check(epoch(1, loss: 4.79, accuracy: 0.5)) == nil)
        // A resumed run's first batch can be tiny; the ceiling never drops below twice ln C.
        var resumed = watch(start: 0.01)
        #expect(resumed.check(epoch(7, loss: 0.08, accuracy: 0.98)) == nil)
    }

    @Test func chanceAccuracyWithALossThatDoesNotFallIsDivergence() {
        var w = watch(start: 2.4)
        #expect(w.check(epoch(1, loss: 2.87, accuracy: 0.205)) ==
                .noProgress(epoch: 1, loss: 2.87, previous: 2.4, accuracy: 0.205, chance: 0.2))
        // Stuck later: the loss flat from one epoch to the next, accuracy at chance.
        var later = watch(start: 2.4)
        #expect(later.check(epoch(1, loss: 2.2, accuracy: 0.35)) == nil)
        #expect(later.check(epoch(2, loss: 2.31, accuracy: 0.2)) ==
                .noProgress(epoch: 2, loss: 2.31, previous: 2.2, accuracy: 0.2, chance: 0.2))
    }

    /// A slow start (a tiny step, sigmoid with MSE) sits near chance, but its loss falls.
    @Test func slowStartsGoOn() {
        var sigmoid = watch(start: 0.4812, loss: .mse)
        #expect(sigmoid.check(epoch(1, loss: 0.4798, accuracy: 0.118)) == nil)
        #expect(sigmoid.check(epoch(2, loss: 0.4620, accuracy: 0.1365)) == nil)
        var tiny = watch(start: 2.65)
        #expect(tiny.check(epoch(1, loss: 2.59, accuracy: 0.0982)) == nil)
        #expect(tiny.check(epoch(2, loss: 2.43, accuracy: 0.1112)) == nil)
    }

    @Test func aNonFiniteLossIsDivergence() {
        var w = watch(start: 2.3)
        #expect(w.check(epoch(3, loss: .nan, accuracy: 0.5)) == .notFinite(epoch: 3))
        #expect(w.check(epoch(3, loss: .infinity, accuracy: 0.5)) == .notFinite(epoch: 3))
    }

    @Test func messagesGiveTheFigures() {
        let message = Divergence.noProgress(epoch: 1, loss: 2.8686, previous: 2.4091, accuracy: 0.105, chance: 0.112367).description
        for figure in ["epoch 1", "10.50%", "11.24%", "2.8686", "2.4091"] { #expect(message.contains(figure), "\(message)") }
        #expect(Divergence.exploded(epoch: 2, loss: 78.13, start: 2.3).description.contains("78.1300"))
    }
}
