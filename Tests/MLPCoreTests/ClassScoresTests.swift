import Testing
@testable import MLPCore

/// Precision, recall, F1 and their averages against a 3-class matrix worked out by hand:
/// rows actual, columns predicted: [[3, 1, 0], [1, 2, 1], [0, 0, 2]].
struct ClassScoresTests {
    func matrix() -> ConfusionMatrix {
        var m = ConfusionMatrix(classes: 3)
        for (actual, row) in [[3, 1, 0], [1, 2, 1], [0, 0, 2]].enumerated() {
            for (predicted, n) in row.enumerated() { for _ in 0..<n { m.add(actual: actual, predicted: predicted) } }
        }
        return m
    }

    func f1(_ p: Double, _ r: Double) -> Double { 2 * p * r / (p + r) }

    @Test func perClassScoresAreTheMatrixsRatios() {
        let scores = matrix().classScores
        // Class 0: 3 right of 4 predicted as 0 (column) and of 4 actual 0s (row).
        #expect(scores[0] == ClassScores(precision: 3.0 / 4, recall: 3.0 / 4, f1: f1(3.0 / 4, 3.0 / 4), support: 4))
        #expect(scores[1] == ClassScores(precision: 2.0 / 3, recall: 2.0 / 4, f1: f1(2.0 / 3, 2.0 / 4), support: 4))
        #expect(scores[2] == ClassScores(precision: 2.0 / 3, recall: 1, f1: f1(2.0 / 3, 1), support: 2))
        #expect(abs(scores[1].f1 - 4.0 / 7) < 1e-12)
    }

    @Test func macroAndWeightedAverages() {
        let (macro, weighted) = matrix().averageScores
        #expect(abs(macro.precision - (3.0 / 4 + 2.0 / 3 + 2.0 / 3) / 3) < 1e-12)
        #expect(abs(macro.recall - (3.0 / 4 + 2.0 / 4 + 1) / 3) < 1e-12)
        #expect(abs(macro.f1 - (3.0 / 4 + 4.0 / 7 + 4.0 / 5) / 3) < 1e-12)
        #expect(abs(weighted.recall - (4 * 3.0 / 4 + 4 * 2.0 / 4 + 2 * 1) / 10) < 1e-12, "weighted recall is accuracy")
        #expect(abs(weighted.recall - matrix().accuracy) < 1e-12)
        #expect(abs(weighted.precision - (4 * 3.0 / 4 + 4 * 2.0 / 3 + 2 * 2.0 / 3) / 10) < 1e-12)
        #expect(macro.support == 10 && weighted.support == 10)
    }

    @Test func aClassNeverPredictedHasNoPrecisionAndCountsZeroInTheMacroMean() {
        var m = ConfusionMatrix(classes: 2)
        m.add(actual: 0, predicted: 0)
        m.add(actual: 1, predicted: 0)
        let scores = m.classScores
        #expect(scores[1].precision.isNaN && scores[1].recall == 0 && scores[1].f1 == 0)
        #expect(abs(m.averageScores.macro.precision - 0.25) < 1e-12)
    }

    @Test func topKCountsClassesScoringStrictlyHigher() {
        let p: [Float] = [0.1, 0.5, 0.2, 0.2]
        p.withUnsafeBufferPointer { p in
            #expect(isInTopK(p, label: 1, k: 1))
            #expect(!isInTopK(p, label: 2, k: 1) && isInTopK(p, label: 2, k: 2) && isInTopK(p, label: 3, k: 2))
            #expect(!isInTopK(p, label: 0, k: 3) && isInTopK(p, label: 0, k: 4))
            #expect(!isInTopK(p, label: 7, k: 4))
        }
    }
}
