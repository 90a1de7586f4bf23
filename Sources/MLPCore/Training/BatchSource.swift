/// Numbered samples that training and evaluation read in batches: sample i is `features` model
/// inputs, already normalised, and a class label.
///
/// Declared here, where it is consumed, so MLPCore never learns where samples come from. MNISTData's
/// `NormalisedImages` has exactly these members without knowing this protocol; a program that uses
/// both modules states the conformance in one line:
/// `extension NormalisedImages: BatchSource {}`.
///
/// `fill` may be called from several threads at once, for different parts of a batch.
public protocol BatchSource {
    var count: Int { get }
    var features: Int { get }
    /// x is (indices.count, features), labels is (indices.count): samples `indices`, in that order.
    /// `epoch` is the 1-based training epoch the batch belongs to (0 outside training). A source
    /// that varies its samples (augmentation) draws from it and each sample's index, so a sample
    /// comes out the same however a batch is split between threads, and after a resume.
    func fill(_ indices: UnsafeBufferPointer<Int32>, epoch: Int, x: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>)
}

/// Room for one batch of inputs and labels.
final class SampleBuffer {
    let capacity: Int
    let x: UnsafeMutablePointer<Float>
    let labels: UnsafeMutablePointer<Int32>

    init(capacity: Int, features: Int) {
        self.capacity = max(capacity, 1)
        x = allocateFloats(self.capacity * features)
        labels = .allocate(capacity: self.capacity)
    }

    deinit {
        x.deallocate()
        labels.deallocate()
    }

    /// Fills the buffer with samples `indices` (at most `capacity` of them) of `source`, split
    /// in chunks between the pool's lanes: the same bits as one call, as each sample is filled whole.
    func fill(from source: some BatchSource, _ indices: UnsafeBufferPointer<Int32>, epoch: Int, pool: WorkerPool) {
        let x = x, labels = labels, features = source.features, count = indices.count
        pool.run(chunks: chunkCount(count, size: rowsPerChunk)) { chunk, _ in
            let part = chunkRange(chunk, size: rowsPerChunk, count: count)
            source.fill(UnsafeBufferPointer(rebasing: indices[part]), epoch: epoch,
                        x: x + part.lowerBound * features, labels: labels + part.lowerBound)
        }
    }
}
