/// A training set split in two: a validation part held out to choose settings on (never the test
/// set), and the rest to train on.
///
/// The held-out samples are a seeded random choice, not the last N: a file keeps the order its
/// makers gave it (MNIST's training set is grouped by writer), so its last N samples need not look
/// like the rest, and a score on them could mislead. The same data,
/// size and seed always give the same split; keep the seed fixed while comparing settings (not
/// tied to the training seed), or each run is scored on different samples.
public struct ValidationSplit: Sendable {
    /// The samples to train on, in their original order.
    public let training: LabeledImages
    /// The held-out samples, in their original order.
    public let validation: LabeledImages
    /// Where each training sample sits in the original set (ascending).
    let trainingIndices: [Int]
    /// Where each validation sample sits in the original set (ascending).
    let validationIndices: [Int]

    /// Holds `validation` samples of `data` out, chosen by a partial Fisher–Yates shuffle drawn
    /// from `seed`. Both parts keep `data`'s rows, cols and classCount. `validation` 0 gives all of
    /// `data` to train on and an empty validation part; otherwise it must leave at least one
    /// sample to train on.
    public init(_ data: LabeledImages, validation: Int, seed: UInt64) throws(ValidationSplitError) {
        guard validation >= 0 else { throw .negative(requested: validation) }
        guard validation == 0 || validation < data.count else {
            throw .tooLarge(requested: validation, available: data.count)
        }
        // A stream of its own, so reusing a seed elsewhere (say, for augmentation) draws other numbers.
        let key = SplitMix.mix64(seed ^ 0x5641_4C49_4441_5445)  // "VALIDATE"
        var order = Array(0..<data.count)
        for i in 0..<validation {
            let j = i + SplitMix.below(data.count - i, SplitMix.number(i, of: key))
            order.swapAt(i, j)
        }
        var heldOut = [Bool](repeating: false, count: data.count)
        for i in order[..<validation] { heldOut[i] = true }
        validationIndices = (0..<data.count).filter { heldOut[$0] }
        trainingIndices = (0..<data.count).filter { !heldOut[$0] }
        training = data.selecting(trainingIndices)
        self.validation = data.selecting(validationIndices)
    }
}

/// Why a validation split cannot be made.
public enum ValidationSplitError: Error, Equatable, CustomStringConvertible {
    case negative(requested: Int)
    /// Holding out `requested` samples of `available` would leave none to train on.
    case tooLarge(requested: Int, available: Int)

    public var description: String {
        switch self {
        case .negative(let requested):
            return "a validation split of \(requested) samples: the size must be 0 or more"
        case .tooLarge(let requested, let available):
            return "a validation split of \(requested) samples leaves nothing to train on: the training set has "
                + "\(available); hold out fewer than \(available)"
        }
    }
}

extension LabeledImages {
    /// Samples `indices` of this set, in that order, with the same rows, cols and classCount.
    func selecting(_ indices: [Int]) -> LabeledImages {
        let pixels = pixelsPerImage
        var selectedImages = [UInt8]()
        selectedImages.reserveCapacity(indices.count * pixels)
        for n in indices {
            precondition(n >= 0 && n < count, "LabeledImages.selecting: index \(n) outside 0..<\(count)")
            selectedImages.append(contentsOf: images[(n * pixels)..<((n + 1) * pixels)])
        }
        return LabeledImages(images: selectedImages, labels: indices.map { labels[$0] },
                             rows: rows, cols: cols, classCount: classCount)
    }
}
