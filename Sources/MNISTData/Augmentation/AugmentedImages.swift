/// A training set as model inputs, distorted afresh for every sample in every epoch: its images
/// warped by a random affine map and elastic field (`AugmentationSettings`), then normalised
/// exactly as `NormalisedImages` does.
///
/// It has the members of MLPCore's `BatchSource` (count, features, fill), without this module
/// depending on MLPCore: a program that uses both states `extension AugmentedImages: BatchSource {}`.
public struct AugmentedImages: Sendable {
    let images: LabeledImages
    let normalisation: Normalisation
    let settings: AugmentationSettings
    /// nil when the settings have no elastic part.
    let field: ElasticField?
    let warper: BilinearWarper

    /// The largest picture side augmentation takes: tap indices into the padded picture are Int32,
    /// and sampling points become integers through Float's 23-bit mantissa.
    static let maxSide = 4096

    /// Throws when a setting is out of range (`AugmentationSettings.validate`) or the samples are
    /// not pictures of 2...`maxSide` pixels a side.
    public init(_ images: LabeledImages, _ normalisation: Normalisation,
                settings: AugmentationSettings) throws(AugmentationError) {
        precondition(normalisation.features == images.pixelsPerImage,
                     "AugmentedImages: normalisation has \(normalisation.features) features, images have \(images.pixelsPerImage)")
        try settings.validate()
        guard (2...Self.maxSide).contains(images.rows) && (2...Self.maxSide).contains(images.cols) else {
            throw .unsupportedSize(rows: images.rows, cols: images.cols)
        }
        self.images = images
        self.normalisation = normalisation
        self.settings = settings
        field = settings.elasticAlpha > 0
            ? ElasticField(rows: images.rows, cols: images.cols, alpha: settings.elasticAlpha, sigma: settings.elasticSigma)
            : nil
        warper = BilinearWarper(rows: images.rows, cols: images.cols)
    }

    public var count: Int { images.count }
    public var features: Int { images.pixelsPerImage }

    /// x is (indices.count, features), labels is (indices.count): samples `indices`, each distorted
    /// by `settings.distortion(epoch:index:)`, resampled in raw pixel units and then normalised as
    /// (v − shift[i]) · scale[i], like `fillBatch`.
    ///
    /// A sample's bits depend on (seed, epoch, index) only, so any split of a batch between threads
    /// gives the same bits; safe to call from several threads at once. Every epoch is distorted, 0
    /// (outside training) too: evaluate on `NormalisedImages`. With `AugmentationSettings.none` the
    /// output is `NormalisedImages.fill`'s, bit for bit.
    public func fill(_ indices: UnsafeBufferPointer<Int32>, epoch: Int, x: UnsafeMutablePointer<Float>,
                     labels: UnsafeMutablePointer<Int32>) {
        guard !indices.isEmpty else { return }
        withScratch { scratch, dx, dy, fieldScratch in
            images.images.withUnsafeBufferPointer { pictures in
                images.labels.withUnsafeBufferPointer { sourceLabels in
                    normalisation.shift.withUnsafeBufferPointer { shift in
                        normalisation.scale.withUnsafeBufferPointer { scale in
                            let features = self.features, shift = shift.baseAddress!, scale = scale.baseAddress!
                            for (b, index) in indices.enumerated() {
                                let n = Int(index)
                                precondition(n >= 0 && n < count, "AugmentedImages.fill: index \(n) outside 0..<\(count)")
                                let row = x + b * features
                                distort(n, epoch: epoch, picture: pictures.baseAddress! + n * features,
                                        scratch: scratch, dx: dx, dy: dy, fieldScratch: fieldScratch, out: row)
                                for i in 0..<features { row[i] = (row[i] - shift[i]) * scale[i] }
                                labels[b] = Int32(sourceLabels[n])
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sample `index` as `fill` distorts it in `epoch`, before normalisation: rows x cols values in
    /// raw pixel units (0...255, fractional where resampled). For looking at, and for tests.
    func distortedPicture(index: Int, epoch: Int) -> [Float] {
        precondition(index >= 0 && index < count, "AugmentedImages.distortedPicture: index \(index) outside 0..<\(count)")
        var out = [Float](repeating: 0, count: features)
        withScratch { scratch, dx, dy, fieldScratch in
            images.images.withUnsafeBufferPointer { pictures in
                out.withUnsafeMutableBufferPointer {
                    distort(index, epoch: epoch, picture: pictures.baseAddress! + index * features,
                            scratch: scratch, dx: dx, dy: dy, fieldScratch: fieldScratch, out: $0.baseAddress!)
                }
            }
        }
        return out
    }

    /// out is (rows, cols): sample n's picture, distorted for `epoch`, in raw pixel units.
    @inline(__always)
    private func distort(_ n: Int, epoch: Int, picture: UnsafePointer<UInt8>, scratch: UnsafeMutablePointer<Float>,
                         dx: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
                         fieldScratch: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let distortion = settings.distortion(epoch: epoch, index: n)
        warper.setPicture(scratch, from: picture)
        var displacement: (UnsafePointer<Float>, UnsafePointer<Float>)?
        if let field {
            field.fill(noiseKey: distortion.noiseKey, dx: dx, dy: dy, scratch: fieldScratch)
            displacement = (UnsafePointer(dx), UnsafePointer(dy))
        }
        warper.resample(scratch, map: distortion.warp.samplingMap(rows: images.rows, cols: images.cols),
                        field: displacement, out: out)
    }

    /// One heap block per call (not per sample): the warper's scratch, the two field planes and the
    /// field's own scratch.
    private func withScratch(_ body: (_ scratch: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                      _ dy: UnsafeMutablePointer<Float>, _ fieldScratch: UnsafeMutablePointer<Float>) -> Void) {
        let plane = field == nil ? 0 : images.rows * warper.stride
        let total = warper.scratchCount + 2 * plane + (field?.scratchCount ?? 0)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: total * MemoryLayout<Float>.stride, alignment: 64)
        defer { raw.deallocate() }
        let scratch = raw.bindMemory(to: Float.self, capacity: total)
        warper.clearBorder(scratch)
        let dx = scratch + warper.scratchCount, dy = dx + plane
        body(scratch, dx, dy, dy + plane)
    }
}
