/// Counts of (actual, predicted) class pairs.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classes: Int
    /// classes x classes, row = actual, column = predicted.
    public private(set) var counts: [Int]

    init(classes: Int) {
        self.classes = max(classes, 0)
        counts = [Int](repeating: 0, count: self.classes * self.classes)
    }

    /// Pairs outside 0..<classes are not counted (so `total` shows they were left out).
    mutating func add(actual: Int, predicted: Int) {
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

/// Precision, recall and F1 of one class, or of an average over classes. NaN where a ratio has
/// nothing to divide by (a class never predicted has no precision).
public struct ClassScores: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Samples whose actual class this is (the weight of the weighted average).
    public var support: Int

    public static func == (l: Self, r: Self) -> Bool {
        l.support == r.support && [l.precision, l.recall, l.f1].map(\.bitPattern) == [r.precision, r.recall, r.f1].map(\.bitPattern)
    }
}

extension ConfusionMatrix {
    /// Per class: precision = right / predicted as it (column), recall = right / actually it (row),
    /// F1 their harmonic mean (0 when either is undefined or both are 0).
    public var classScores: [ClassScores] {
        (0..<classes).map { k in
            let right = Double(count(actual: k, predicted: k))
            let row = (0..<classes).reduce(0) { $0 + count(actual: k, predicted: $1) }
            let column = (0..<classes).reduce(0) { $0 + count(actual: $1, predicted: k) }
            let precision = column == 0 ? .nan : right / Double(column), recall = row == 0 ? .nan : right / Double(row)
            let f1 = precision.isNaN || recall.isNaN || precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassScores(precision: precision, recall: recall, f1: f1, support: row)
        }
    }

    /// The unweighted mean over the classes that have samples or predictions (a NaN score, from a
    /// class never predicted, counts as 0, as scikit-learn's default does), and the mean weighted
    /// by each class's samples.
    public var averageScores: (macro: ClassScores, weighted: ClassScores) {
        let scores = classScores.filter { $0.support > 0 || !$0.precision.isNaN }
        let total = scores.reduce(0) { $0 + $1.support }
        func mean(_ value: (ClassScores) -> Double, weighted: Bool) -> Double {
            let weights = scores.map { weighted ? Double($0.support) : 1 }, sum = weights.reduce(0, +)
            guard sum > 0 else { return .nan }
            return zip(scores, weights).reduce(0) { $0 + (value($1.0).isNaN ? 0 : value($1.0)) * $1.1 } / sum
        }
        func average(weighted: Bool) -> ClassScores {
            ClassScores(precision: mean(\.precision, weighted: weighted), recall: mean(\.recall, weighted: weighted),
                        f1: mean(\.f1, weighted: weighted), support: total)
        }
        return (average(weighted: false), average(weighted: true))
    }
}

/// Whether `label` is among the `k` most probable classes of `probabilities`: fewer than `k`
/// classes score strictly higher (a tie counts in the label's favour).
public func isInTopK(_ probabilities: UnsafeBufferPointer<Float>, label: Int, k: Int) -> Bool {
    guard probabilities.indices.contains(label) else { return false }
    let own = probabilities[label]
    var higher = 0
    for p in probabilities where p > own { higher += 1 }
    return higher < k
}
