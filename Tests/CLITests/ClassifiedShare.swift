import Foundation
@testable import MLPCore
import TestSupport

/// The share of `items` that `checkpoint`'s Classifier gives their label, where `pixels` makes
/// each item's input as predict would (nil when predict could not read it: a miss, like any
/// wrong answer). Two halves on two threads, each with its own Classifier (its buffers are not
/// shared): the in-process checks classify tens of thousands of pictures.
func shareClassifiedRight(_ items: [Int], by checkpoint: Checkpoint, labels: [UInt8],
                          pixels: @Sendable (Int) throws -> [UInt8]?) throws -> Double {
    let halves = [items[..<(items.count / 2)], items[(items.count / 2)...]]
    nonisolated(unsafe) var correct = [0, 0]
    nonisolated(unsafe) var failure: (any Error)?
    DispatchQueue.concurrentPerform(iterations: 2) { part in
        let classifier = Classifier(trained: checkpoint)
        var hits = 0
        do {
            for i in halves[part] {
                if let input = try pixels(i), classifier.classify(input) == Int(labels[i]) { hits += 1 }
            }
        } catch {
            failure = error
        }
        correct[part] = hits
    }
    if let failure { throw failure }
    return Double(correct[0] + correct[1]) / Double(items.count)
}
