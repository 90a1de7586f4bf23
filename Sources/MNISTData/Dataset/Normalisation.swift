/// x = (raw - shift[i]) * scale[i] per input feature i.
///
/// Stored with a model so that training, evaluation and prediction feed it identical inputs.
public struct Normalisation: Sendable, Equatable {
    /// One value per input feature, in raw pixel units (0...255).
    public var shift: [Float]
    /// One value per input feature.
    public var scale: [Float]

    public init(shift: [Float], scale: [Float]) {
        self.shift = shift
        self.scale = scale
    }

    var features: Int { shift.count }

    /// One image's raw pixels (`features` of them) as normalised model inputs: the arithmetic
    /// `fillBatch` fills training batches with, so a picture `predict` reads meets the network
    /// exactly as a training image did.
    public func apply(to pixels: [UInt8]) -> [Float] {
        precondition(pixels.count == features, "Normalisation: \(pixels.count) pixels given, it has \(features) features")
        return [Float](unsafeUninitializedCapacity: features) { row, initialised in
            pixels.withUnsafeBufferPointer { pixels in
                shift.withUnsafeBufferPointer { shift in
                    scale.withUnsafeBufferPointer { scale in
                        guard features > 0 else { return }
                        normaliseRow(pixels.baseAddress!, shift.baseAddress!, scale.baseAddress!, row.baseAddress!, features)
                    }
                }
            }
            initialised = features
        }
    }

    /// Pixels mapped to 0...1: shift 0, scale 1/255.
    public static func unitRange(features: Int) -> Normalisation {
        Normalisation(shift: [Float](repeating: 0, count: features),
                      scale: [Float](repeating: 1 / 255, count: features))
    }

    /// Whether this is `unitRange`: x/255, what a model trained without --standardise uses.
    public var isUnitRange: Bool {
        self == .unitRange(features: features)
    }

    /// Per-pixel mean and standard deviation of `data` (population, computed in Double):
    /// shift = mean, scale = 1 / max(std, 1).
    ///
    /// The floor of 1 (one grey level) keeps pixels that are nearly constant over the data, such as
    /// MNIST's black border, from being blown up into large inputs by a tiny deviation.
    public static func standardised(fitTo data: LabeledImages) -> Normalisation {
        let features = data.pixelsPerImage
        var sum = [Double](repeating: 0, count: features)
        var sumOfSquares = [Double](repeating: 0, count: features)
        data.images.withUnsafeBufferPointer { images in
            sum.withUnsafeMutableBufferPointer { s in
                sumOfSquares.withUnsafeMutableBufferPointer { q in
                    for n in 0..<data.count {
                        let image = images.baseAddress! + n * features
                        for i in 0..<features {
                            let v = Double(image[i])
                            s[i] += v
                            q[i] += v * v
                        }
                    }
                }
            }
        }
        let n = Double(max(data.count, 1))
        var shift = [Float](repeating: 0, count: features)
        var scale = [Float](repeating: 1, count: features)
        for i in 0..<features {
            let mean = sum[i] / n
            // Sums of squares of integers <= 255 are exact in Double for any realistic count.
            let variance = max(sumOfSquares[i] / n - mean * mean, 0)
            shift[i] = Float(mean)
            scale[i] = Float(1 / max(variance.squareRoot(), 1))
        }
        return Normalisation(shift: shift, scale: scale)
    }
}

/// row[i] = (Float(pixels[i]) − shift[i]) · scale[i] for i in 0..<count.
@inline(__always)
func normaliseRow(_ pixels: UnsafePointer<UInt8>, _ shift: UnsafePointer<Float>, _ scale: UnsafePointer<Float>,
                  _ row: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count {
        row[i] = (Float(pixels[i]) - shift[i]) * scale[i]
    }
}
