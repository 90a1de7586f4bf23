import Foundation
import Synchronization
import Testing
@testable import MLPCore

/// Training while other threads keep both cores busy, so the scheduler moves chunks between the
/// pool's lanes at random: the bits must still be those of one quiet thread.
struct TrainerUnderLoadTests {
    /// Mostly-zero inputs (the sparse kernels, like MNIST's) or dense ones.
    static func batch(count: Int, inputs: Int, classes: Int, start: Int, sparse: Bool) -> (x: [Float], labels: [Int32]) {
        var (x, labels) = syntheticBatch(count: count, inputs: inputs, classes: classes, start: start)
        if sparse { for i in x.indices where (i * 7919) % 10 < 8 { x[i] = 0 } }
        return (x, labels)
    }

    func trained(threads: Int, sparse: Bool) -> [UInt32] {
        let shape = MLPShape(inputs: 784, hidden: 128, outputs: 10)
        let trainer = Trainer(model: MLP(shape: shape, activation: .relu, seed: 3), loss: .crossEntropy,
                              sgd: SGDConfig(learningRate: 0.1), maxBatch: 64, threads: threads)
        for s in 0..<8 {
            let (x, labels) = Self.batch(count: 64, inputs: 784, classes: 10, start: s * 64, sparse: sparse)
            trainer.step(x: x, labels: labels, count: 64)
        }
        return trainer.model.parameters.bitPatterns
    }

    @Test(arguments: [true, false])
    func sameBitsOnBusyCores(sparse: Bool) {
        let quiet = trained(threads: 1, sparse: sparse)
        let stop = Atomic<Bool>(false)
        let spinners = (0..<2).map { _ in
            Thread {
                var x = 0.0
                while !stop.load(ordering: .relaxed) { x += 1 }
                if x < 0 { print(x) }
            }
        }
        spinners.forEach { $0.start() }
        let loaded = [2, 3].map { trained(threads: $0, sparse: sparse) }
        stop.store(true, ordering: .relaxed)
        for (threads, bits) in zip([2, 3], loaded) {
            #expect(bits == quiet, "\(threads) threads on busy cores, sparse \(sparse)")
        }
        #expect(quiet != MLP(shape: MLPShape(inputs: 784, hidden: 128, outputs: 10), activation: .relu, seed: 3).parameters.bitPatterns)
    }
}
