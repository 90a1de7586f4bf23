/// A seeded Fisher–Yates permutation of 0..<count: for i from count-1 down to 1,
/// j = Int(rng.next() % UInt64(i + 1)), swap.
///
/// Written out rather than using the standard library's `shuffle(using:)`, whose algorithm may
/// change between releases: a seed must give the same order forever (checkpoints resume on it).
/// The modulo's slight bias (< count / 2^64) is irrelevant here.
func shuffledIndices<R: RandomNumberGenerator>(count: Int, using rng: inout R) -> [Int32] {
    precondition(count >= 0 && count <= Int(Int32.max), "shuffledIndices: count \(count) out of Int32 range")
    var order = (0..<Int32(count)).map { $0 }
    order.withUnsafeMutableBufferPointer { o in
        var i = count - 1
        while i >= 1 {
            let j = Int(rng.next() % UInt64(i + 1))
            o.swapAt(i, j)
            i -= 1
        }
    }
    return order
}

/// Batch boundaries: ranges of size batchSize over 0..<count, last partial batch kept.
public func batchRanges(count: Int, batchSize: Int) -> [Range<Int>] {
    precondition(batchSize > 0, "batchRanges: batchSize must be positive, got \(batchSize)")
    return stride(from: 0, to: count, by: batchSize).map { $0..<min($0 + batchSize, count) }
}
