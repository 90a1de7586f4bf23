/// Counts of (actual, predicted) class pairs.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classes: Int
    /// classes x classes, row = actual, column = predicted.
    public private(set) var counts: [Int]

    public init(classes: Int) {
        self.classes = max(classes, 0)
        counts = [Int](repeating: 0, count: self.classes * self.classes)
    }

    /// Pairs outside 0..<classes are not counted (so `total` shows they were left out).
    public mutating func add(actual: Int, predicted: Int) {
        guard (0..<classes).contains(actual), (0..<classes).contains(predicted) else { return }
        counts[actual * classes + predicted] += 1
    }

    /// 0 for a pair outside 0..<classes.
    public func count(actual: Int, predicted: Int) -> Int {
        guard (0..<classes).contains(actual), (0..<classes).contains(predicted) else { return 0 }
        return counts[actual * classes + predicted]
    }

    public var total: Int { counts.reduce(0, +) }
    public var correct: Int { (0..<classes).reduce(0) { $0 + counts[$1 * classes + $1] } }
    /// NaN when nothing has been counted.
    public var accuracy: Double { total == 0 ? .nan : Double(correct) / Double(total) }

    /// For each actual class, the fraction predicted correctly (recall); NaN for a class never seen.
    public var perClassAccuracy: [Double] {
        (0..<classes).map { actual in
            let row = counts[(actual * classes)..<((actual + 1) * classes)].reduce(0, +)
            return row == 0 ? .nan : Double(counts[actual * classes + actual]) / Double(row)
        }
    }
}
