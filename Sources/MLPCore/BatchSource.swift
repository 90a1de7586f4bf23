/// Numbered samples that training and evaluation read in batches: sample i is `features` model
/// inputs, already normalised, and a class label.
///
/// Declared here, where it is consumed, so MLPCore never learns where samples come from. MNISTData's
/// `NormalisedImages` has exactly these members without knowing this protocol; a program that uses
/// both modules states the conformance in one line:
/// `extension NormalisedImages: BatchSource {}`.
public protocol BatchSource {
    var count: Int { get }
    var features: Int { get }
    /// x is (indices.count, features), labels is (indices.count): samples `indices`, in that order.
    func fill(_ indices: UnsafeBufferPointer<Int32>, x: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>)
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

    /// Fills the buffer with samples `indices` (at most `capacity` of them) of `source`.
    func fill(from source: some BatchSource, _ indices: UnsafeBufferPointer<Int32>) {
        source.fill(indices, x: x, labels: labels)
    }
}
