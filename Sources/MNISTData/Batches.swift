/// A seeded Fisher–Yates permutation of 0..<count: for i from count-1 down to 1,
/// j = Int(rng.next() % UInt64(i + 1)), swap.
///
/// Written out rather than using the standard library's `shuffle(using:)`, whose algorithm may
/// change between releases: a seed must give the same order forever (checkpoints resume on it).
/// The modulo's slight bias (< count / 2^64) is irrelevant here.
public func shuffledIndices<R: RandomNumberGenerator>(count: Int, using rng: inout R) -> [Int32] {
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

/// Gathers images[indices] into x (indices.count x features, normalised floats) and their labels.
///
/// x is (indices.count, pixelsPerImage); labels is (indices.count). On the training hot path:
/// a plain loop over raw pointers, which LLVM turns into 8-lane u8 -> Float conversions (the
/// generic SIMD16 conversions it replaced were not specialised and cost a call per vector). Same
/// arithmetic as `fillBatchReference` (subtract, then multiply), so both give identical bits.
public func fillBatch(from data: LabeledImages, indices: UnsafeBufferPointer<Int32>,
                      normalisation: Normalisation,
                      x: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>) {
    let features = data.pixelsPerImage
    precondition(normalisation.shift.count == features && normalisation.scale.count == features,
                 "fillBatch: normalisation has \(normalisation.shift.count) features, images have \(features)")
    data.images.withUnsafeBufferPointer { images in
        data.labels.withUnsafeBufferPointer { sourceLabels in
            normalisation.shift.withUnsafeBufferPointer { shift in
                normalisation.scale.withUnsafeBufferPointer { scale in
                    let shift = shift.baseAddress!, scale = scale.baseAddress!
                    for (b, index) in indices.enumerated() {
                        let n = Int(index)
                        precondition(n >= 0 && n < data.count, "fillBatch: index \(n) outside 0..<\(data.count)")
                        convertRow(images.baseAddress! + n * features, shift, scale, x + b * features, features)
                        labels[b] = Int32(sourceLabels[n])
                    }
                }
            }
        }
    }
}

/// row[i] = (Float(pixels[i]) − shift[i]) · scale[i] for i in 0..<count.
@inline(__always)
private func convertRow(_ pixels: UnsafePointer<UInt8>, _ shift: UnsafePointer<Float>, _ scale: UnsafePointer<Float>,
                        _ row: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count {
        row[i] = (Float(pixels[i]) - shift[i]) * scale[i]
    }
}

/// Scalar twin of `fillBatch`: the test oracle. Same shapes and contract.
public func fillBatchReference(from data: LabeledImages, indices: UnsafeBufferPointer<Int32>,
                               normalisation: Normalisation,
                               x: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>) {
    let features = data.pixelsPerImage
    for (b, index) in indices.enumerated() {
        let n = Int(index)
        for i in 0..<features {
            let raw = Float(data.images[n * features + i])
            x[b * features + i] = (raw - normalisation.shift[i]) * normalisation.scale[i]
        }
        labels[b] = Int32(data.labels[n])
    }
}
