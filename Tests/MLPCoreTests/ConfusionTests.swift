import Testing
@testable import MLPCore

struct ConfusionTests {
    @Test func countsAndAccuracies() {
        var matrix = ConfusionMatrix(classes: 3)
        // actual 0: predicted 0,0,1; actual 1: 1; actual 2: 0,2,2,2; one out-of-range pair ignored.
        for (actual, predicted) in [(0, 0), (0, 0), (0, 1), (1, 1), (2, 0), (2, 2), (2, 2), (2, 2), (3, 0)] {
            matrix.add(actual: actual, predicted: predicted)
        }
        #expect(matrix.counts == [2, 1, 0, 0, 1, 0, 1, 0, 3])
        #expect(matrix.count(actual: 2, predicted: 0) == 1)
        #expect(matrix.total == 8 && matrix.correct == 6)
        #expect(matrix.accuracy == 0.75)
        #expect(matrix.perClassAccuracy == [2.0 / 3, 1, 0.75])
    }

    @Test func emptyMatrixHasNaNAccuracies() {
        let matrix = ConfusionMatrix(classes: 2)
        #expect(matrix.accuracy.isNaN)
        #expect(matrix.perClassAccuracy.allSatisfy { $0.isNaN })
    }

    @Test func argmaxTakesTheFirstOfTies() {
        func top(_ values: [Float]) -> Int { values.withUnsafeBufferPointer { argmax($0) } }
        #expect(top([0.1, 0.7, 0.2]) == 1)
        #expect(top([0.4, 0.1, 0.4]) == 0)
        #expect(top([0, 0.5, 0.5]) == 1)
        #expect(top([-3, -1, -2]) == 1)
        #expect(top([1]) == 0)
        #expect(top([]) == -1)
    }
}
