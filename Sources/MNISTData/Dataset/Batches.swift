/// Gathers images[indices] into x (indices.count x features, normalised floats) and their labels.
///
/// x is (indices.count, pixelsPerImage); labels is (indices.count). On the training hot path:
/// a plain loop over raw pointers, which LLVM turns into 8-lane u8 -> Float conversions (the
/// generic SIMD16 conversions it replaced were not specialised and cost a call per vector). Same
/// arithmetic as `fillBatchReference` (subtract, then multiply), so both give identical bits.
func fillBatch(from data: LabeledImages, indices: UnsafeBufferPointer<Int32>,
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
                        normaliseRow(images.baseAddress! + n * features, shift, scale, x + b * features, features)
                        labels[b] = Int32(sourceLabels[n])
                    }
                }
            }
        }
    }
}

/// Scalar twin of `fillBatch`: the test oracle, so internal (tests use `@testable import`).
/// Same shapes and contract.
func fillBatchReference(from data: LabeledImages, indices: UnsafeBufferPointer<Int32>,
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

/// A dataset as model inputs: its images through a normalisation, with their labels.
///
/// It has the members of MLPCore's `BatchSource` (count, features, fill), the shape training and
/// evaluation read samples in, without this module depending on MLPCore.
public struct NormalisedImages: Sendable {
    let images: LabeledImages
    let normalisation: Normalisation

    public init(_ images: LabeledImages, _ normalisation: Normalisation) {
        precondition(normalisation.features == images.pixelsPerImage,
                     "NormalisedImages: normalisation has \(normalisation.features) features, images have \(images.pixelsPerImage)")
        self.images = images
        self.normalisation = normalisation
    }

    public var count: Int { images.count }
    public var features: Int { images.pixelsPerImage }

    /// x is (indices.count, features), labels is (indices.count): `fillBatch` of these images, the
    /// same in every epoch.
    public func fill(_ indices: UnsafeBufferPointer<Int32>, epoch: Int, x: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>) {
        fillBatch(from: images, indices: indices, normalisation: normalisation, x: x, labels: labels)
    }
}
