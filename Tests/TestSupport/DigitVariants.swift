import MNISTData

/// Ways of drawing an MNIST digit as a PNG file the way people's pictures look, to check that
/// `mnistDigit(from:)` (and the model after it) sees them as it sees the original 28x28 digit.
public enum DigitVariant: String, Sendable, CaseIterable {
    /// Dark ink on light paper with grain and uneven shading, 8-bit grey, drawn at 2x.
    case texturedPaper
    /// Blue ink on white, 8-bit RGB.
    case colouredInk
    /// Near-black ink whose alpha is the digit (ink opaque, background fully transparent), RGBA.
    case transparentBackground
    /// Dark red ink on cream paper, 8-bit palette.
    case palette
    /// Black on white, 1-bit grey: drawn at 4x then thresholded, so only the shape's edge remains.
    case oneBit
    /// Light ink on black, 4-bit grey (16 levels).
    case fourBit
    /// Dark ink on light grey, 16-bit grey.
    case sixteenBit
    /// Dark green ink on light grey, RGB, Adam7-interlaced, drawn at 3x.
    case interlaced
    /// The digit at 2x, off-centre on a 200x160 off-white canvas.
    case smallOnBigCanvas
}

/// PNG bytes of `digit` (side x side, ink 255 on 0, MNIST's form) drawn as `variant`.
/// Deterministic: the same digit always gives the same bytes.
public func renderVariant(_ variant: DigitVariant, digit: [UInt8], side: Int = 28) -> [UInt8] {
    precondition(side >= 1 && digit.count == side * side, "renderVariant: \(digit.count) bytes is not \(side)x\(side)")
    switch variant {
    case .texturedPaper:
        let n = side * 2, ink = upscaled(digit, side: side, factor: 2)
        let grey = (0..<(n * n)).map { i -> UInt8 in
            let x = i % n, y = i / n
            let shading = 28 * (Float(x + y) / Float(2 * n) - 0.5)  // light falling from one corner
            let paper = 205 + shading + 10 * hashNoise(x, y)
            return clampToByte(paper - (paper - 35) * ink[i])
        }
        return encodeGreyPNG(width: n, height: n, grey: grey)
    case .colouredInk:
        let image = paint(upscaled(digit, side: side, factor: 1), width: side, paper: [255, 255, 255], ink: [30, 60, 200])
        return encodePNG(image, options: PNGEncodeOptions(colourType: .rgb))
    case .transparentBackground:
        let ink = upscaled(digit, side: side, factor: 1)
        let pixels = ink.flatMap { a -> [UInt8] in [20, 20, 20, clampToByte(255 * a)] }
        return encodePNG(RGBAImage(width: side, height: side, pixels: pixels), options: PNGEncodeOptions(colourType: .rgba))
    case .palette:
        let image = paint(upscaled(digit, side: side, factor: 1), width: side, paper: [250, 240, 210], ink: [120, 20, 20])
        return encodePNG(image, options: PNGEncodeOptions(colourType: .palette, bitDepth: 8))
    case .oneBit:
        let ink = upscaled(digit, side: side, factor: 4).map { $0 >= 0.5 ? Float(1) : 0 }
        let image = paint(ink, width: side * 4, paper: [255, 255, 255], ink: [0, 0, 0])
        return encodePNG(image, options: PNGEncodeOptions(colourType: .grey, bitDepth: 1))
    case .fourBit:
        let image = paint(upscaled(digit, side: side, factor: 1), width: side, paper: [0, 0, 0], ink: [255, 255, 255])
        return encodePNG(image, options: PNGEncodeOptions(colourType: .grey, bitDepth: 4))
    case .sixteenBit:
        let image = paint(upscaled(digit, side: side, factor: 1), width: side, paper: [220, 220, 220], ink: [30, 30, 30])
        return encodePNG(image, options: PNGEncodeOptions(colourType: .grey, bitDepth: 16))
    case .interlaced:
        let image = paint(upscaled(digit, side: side, factor: 3), width: side * 3, paper: [230, 230, 225], ink: [10, 90, 40])
        return encodePNG(image, options: PNGEncodeOptions(colourType: .rgb, interlaced: true))
    case .smallOnBigCanvas:
        let n = side * 2, ink = upscaled(digit, side: side, factor: 2)
        let canvasWidth = 200, canvasHeight = 160, left = 120, top = 30
        var canvas = [Float](repeating: 0, count: canvasWidth * canvasHeight)
        for y in 0..<n where top + y < canvasHeight {
            for x in 0..<n where left + x < canvasWidth { canvas[(top + y) * canvasWidth + left + x] = ink[y * n + x] }
        }
        let image = paint(canvas, width: canvasWidth, paper: [245, 245, 240], ink: [25, 25, 25])
        return encodePNG(image, options: PNGEncodeOptions(colourType: .rgb))
    }
}

/// The digit's ink as 0...1, (side*factor, side*factor), bilinearly interpolated between pixel centres.
func upscaled(_ digit: [UInt8], side: Int, factor: Int) -> [Float] {
    let n = side * factor
    var out = [Float](repeating: 0, count: n * n)
    digit.withUnsafeBufferPointer { d in
        out.withUnsafeMutableBufferPointer { o in
            func at(_ x: Int, _ y: Int) -> Float {
                Float(d[min(max(y, 0), side - 1) * side + min(max(x, 0), side - 1)]) / 255
            }
            for i in 0..<(n * n) {
                let sx = (Float(i % n) + 0.5) / Float(factor) - 0.5, sy = (Float(i / n) + 0.5) / Float(factor) - 0.5
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let fx = sx - Float(x0), fy = sy - Float(y0)
                let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
                let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
                o[i] = top * (1 - fy) + bottom * fy
            }
        }
    }
    return out
}

/// An opaque RGBA image mixing paper and ink colours by the ink amount (0...1) of each pixel.
private func paint(_ ink: [Float], width: Int, paper: [Float], ink inkColour: [Float]) -> RGBAImage {
    var pixels = [UInt8](repeating: 255, count: ink.count * 4)
    pixels.withUnsafeMutableBufferPointer { p in
        ink.withUnsafeBufferPointer { a in
            for i in 0..<a.count {
                for c in 0..<3 { p[4 * i + c] = clampToByte(paper[c] + (inkColour[c] - paper[c]) * a[i]) }
            }
        }
    }
    return RGBAImage(width: width, height: ink.count / width, pixels: pixels)
}
