import MNISTData
import Testing

/// SplitMix64 (Steele, Lea & Flood), a local copy so these tests do not depend on MLPCore.
private struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Returns 0, 1, 2, ... so the Fisher–Yates steps can be followed by hand.
private struct CountingRNG: RandomNumberGenerator {
    var value: UInt64 = 0
    mutating func next() -> UInt64 {
        defer { value += 1 }
        return value
    }
}

@Suite struct BatchesTests {
    @Test(arguments: [0, 1, 2, 7, 1000])
    func shuffledIndicesIsAPermutation(count: Int) {
        var rng = TestRNG(state: 42)
        let order = shuffledIndices(count: count, using: &rng)
        #expect(order.sorted() == (0..<Int32(count)).map { $0 })
    }

    @Test func sameSeedSameOrderDifferentSeedDifferentOrder() {
        var a = TestRNG(state: 7), b = TestRNG(state: 7), c = TestRNG(state: 8)
        let first = shuffledIndices(count: 500, using: &a)
        #expect(first == shuffledIndices(count: 500, using: &b))
        #expect(first != shuffledIndices(count: 500, using: &c))
        #expect(first != (0..<500).map { Int32($0) })
        // The generator moves on: the next epoch's order differs from this one.
        #expect(shuffledIndices(count: 500, using: &a) != first)
    }

    /// The exact algorithm is part of the contract (a seed must give the same order forever):
    /// with draws 0, 1, 2: i=3 swaps 3<->0, i=2 swaps 2<->1, i=1 swaps 1<->0.
    @Test func followsTheWrittenOutFisherYates() {
        var rng = CountingRNG()
        #expect(shuffledIndices(count: 4, using: &rng) == [2, 3, 1, 0])
        #expect(rng.value == 3)  // count - 1 draws
    }

    @Test func batchRangesKeepTheLastPartialBatch() {
        #expect(batchRanges(count: 10, batchSize: 3) == [0..<3, 3..<6, 6..<9, 9..<10])
        #expect(batchRanges(count: 9, batchSize: 3) == [0..<3, 3..<6, 6..<9])
        #expect(batchRanges(count: 5, batchSize: 10) == [0..<5])
        #expect(batchRanges(count: 0, batchSize: 4).isEmpty)
        for (count, size) in [(1, 1), (100, 7), (60000, 64), (10000, 1000)] {
            let ranges = batchRanges(count: count, batchSize: size)
            #expect(ranges.count == (count + size - 1) / size)
            #expect(Array(ranges.joined()) == Array(0..<count))
            #expect(ranges.dropLast().allSatisfy { $0.count == size })
        }
    }

    /// Awkward widths exercise both the 16-wide path and the scalar tail.
    @Test(arguments: [1, 7, 16, 17, 33, 784])
    func fillBatchNormalisesTheChosenImages(features: Int) {
        let count = 11
        let data = LabeledImages(images: Fixtures.pixels(count: count, pixels: features),
                                 labels: (0..<count).map { UInt8($0 * 7 % 10) }, rows: 1, cols: features, classCount: 10)
        let normalisation = Normalisation(shift: (0..<features).map { Float($0 % 9) * 3.5 },
                                          scale: (0..<features).map { 1 / Float(1 + $0 % 5) })
        let indices: [Int32] = [10, 3, 3, 0, 7]
        var x = [Float](repeating: .nan, count: indices.count * features)
        var labels = [Int32](repeating: -1, count: indices.count)
        var xReference = x, labelsReference = labels
        indices.withUnsafeBufferPointer { idx in
            fillBatch(from: data, indices: idx, normalisation: normalisation, x: &x, labels: &labels)
            fillBatchReference(from: data, indices: idx, normalisation: normalisation, x: &xReference, labels: &labelsReference)
        }
        var wrong: [String] = []
        for (b, n) in indices.map(Int.init).enumerated() {
            #expect(labels[b] == Int32(n * 7 % 10))
            for i in 0..<features {
                let raw = Float(data.images[n * features + i])
                let expected = (raw - Float(i % 9) * 3.5) * (1 / Float(1 + i % 5))
                if x[b * features + i] != expected { wrong.append("row \(b) pixel \(i): \(x[b * features + i]) != \(expected)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong values, first: \(wrong.prefix(3))")
        #expect(zip(x, xReference).filter { $0 != $1 }.count == 0, "fillBatch and fillBatchReference differ")
        #expect(labels == labelsReference)
    }
}
