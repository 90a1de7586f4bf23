/// Most pixels `mnistDigit` works on. Each step keeps a Float or two per pixel, and a few keep
/// several, so working memory is about 40 bytes per pixel: 40 MB here, against 2.5 GB for the
/// 64-megapixel PNGs the decoder accepts. A larger picture is first block-averaged down (see
/// `digitShrinkFactor`); at 1024x1024 a digit is still ~50 times the 20-pixel box it ends in.
public let maxDigitWorkingPixels = 1 << 20

/// The smallest whole factor k that brings a width x height picture, shrunk to k x k blocks
/// (partial blocks at the right and bottom edges), within `maxDigitWorkingPixels`; 1 if it fits.
func digitShrinkFactor(width: Int, height: Int) -> Int {
    var k = 1
    while ((width + k - 1) / k) * ((height + k - 1) / k) > maxDigitWorkingPixels { k += 1 }
    return k
}

/// The two views of a picture that a digit can be in, at working resolution, 0...255:
/// `lightness` is the picture composited over white (what a viewer shows), and `alpha` its opacity
/// (where drawing apps with a transparent canvas put the digit).
struct PictureViews {
    var lightness: GreyImage
    var alpha: GreyImage
}

/// Composites each pixel over white, l = a * grey + (1 - a) * white, and keeps the alpha, both
/// scaled to 0...255 from the 16-bit samples. With `factor` k > 1, output pixel (x, y) is the mean
/// of input block [kx, kx+k) x [ky, ky+k) (clipped at the edges), computed in one pass so no
/// full-size copy is ever made; sums are Double per output row (a block can hold thousands).
func pictureViews(_ picture: GreyAlphaImage, shrinkingBy factor: Int = 1) -> PictureViews {
    let width = (picture.width + factor - 1) / factor, height = (picture.height + factor - 1) / factor
    var lightness = GreyImage(width: width, height: height), alpha = GreyImage(width: width, height: height)
    let scale = 255 / (65535 * 65535 as Double)
    if factor == 1 {
        picture.grey.withUnsafeBufferPointer { g in
            picture.alpha.withUnsafeBufferPointer { a in
                lightness.values.withUnsafeMutableBufferPointer { l in
                    alpha.values.withUnsafeMutableBufferPointer { o in
                        for i in 0..<(width * height) {
                            let opacity = Float(a[i]) * (1 / 65535)
                            l[i] = 255 - opacity * (65535 - Float(g[i])) * (255 / 65535)  // 255 - a (255 - g)
                            o[i] = opacity * 255
                        }
                    }
                }
            }
        }
        return PictureViews(lightness: lightness, alpha: alpha)
    }
    var lightSums = [Double](repeating: 0, count: width), alphaSums = [Double](repeating: 0, count: width)
    picture.grey.withUnsafeBufferPointer { g in
        picture.alpha.withUnsafeBufferPointer { a in
            for y in 0..<height {
                for i in 0..<width { lightSums[i] = 0; alphaSums[i] = 0 }
                let rows = min(factor, picture.height - y * factor)
                for row in (y * factor)..<(y * factor + rows) {
                    for x in 0..<picture.width {
                        let i = row * picture.width + x
                        let opacity = Double(a[i])
                        // a * g + (1 - a) * 65535, all in units of 65535^2
                        lightSums[x / factor] += opacity * Double(g[i]) + (65535 - opacity) * 65535
                        alphaSums[x / factor] += opacity
                    }
                }
                for x in 0..<width {
                    let n = Double(rows * min(factor, picture.width - x * factor))
                    lightness.values[y * width + x] = Float(lightSums[x] * scale / n)
                    alpha.values[y * width + x] = Float(alphaSums[x] * (255 / 65535) / n)
                }
            }
        }
    }
    return PictureViews(lightness: lightness, alpha: alpha)
}

/// The smallest contrast that counts as a mark even where there is no noise at all: two steps of
/// the source's levels (2 of 255 for 8-bit and below, 2 of 65535 for 16-bit), on the 0...255 scale.
/// One step is what rounding alone makes.
func quantisationFloor(bitDepth: Int) -> Float {
    let levels = Float((1 << min(16, max(8, bitDepth))) - 1)
    return 2 * 255 / levels
}
