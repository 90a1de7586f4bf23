import Testing
@testable import MLPCore

/// Returns 0, 1, 2, ... so the Fisher–Yates steps can be followed by hand.
private struct CountingRNG: RandomNumberGenerator {
    var value: UInt64 = 0
    mutating func next() -> UInt64 {
        defer { value += 1 }
        return value
    }
}

@Suite struct BatchOrderTests {
    @Test(arguments: [0, 1, 2, 7, 1000])
    func shuffledIndicesIsAPermutation(count: Int) {
        var rng = SplitMix64(seed: 42)
        let order = shuffledIndices(count: count, using: &rng)
        #expect(order.sorted() == (0..<Int32(count)).map { $0 })
    }

    @Test func sameSeedSameOrderDifferentSeedDifferentOrder() {
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7), c = SplitMix64(seed: 8)
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
}
