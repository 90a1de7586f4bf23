/// Why a picture could not be brought into MNIST's form.
public enum DigitFormError: Error, Equatable, CustomStringConvertible {
    /// Nothing stands out from the background: the picture is blank (or the ink is as light as the paper).
    case noInk
    /// The image has no pixels, or its pixel buffer does not match its size.
    case malformedImage(width: Int, height: Int, bytes: Int)
    /// The grey and alpha planes do not both hold width x height samples.
    case malformedPlanes(width: Int, height: Int, grey: Int, alpha: Int)
    /// The requested output does not make sense: box must be at least 1 and at most side.
    case badGeometry(side: Int, box: Int)

    public var description: String {
        switch self {
        case .noInk:
            return "no ink found: nothing in the picture stands out from its background by more than its noise; use a picture of a digit that can be seen"
        case .malformedImage(let w, let h, let bytes):
            let expected = byteCount(width: w, height: h, channels: 4).map(String.init) ?? "more than memory holds"
            return "image of \(w)x\(h) pixels has \(bytes) bytes of RGBA, \(expected) expected"
        case .malformedPlanes(let w, let h, let grey, let alpha):
            let expected = byteCount(width: w, height: h, channels: 1).map(String.init) ?? "more than memory holds"
            return "image of \(w)x\(h) pixels has \(grey) grey and \(alpha) alpha samples, \(expected) of each expected"
        case .badGeometry(let side, let box):
            return "cannot fit a \(box)x\(box) digit box into a \(side)x\(side) image; use 1 <= box <= side"
        }
    }
}

/// The digits found in a picture, each brought into MNIST's form.
public struct DigitReading: Sendable {
    /// Every digit-sized mark, left to right.
    public var digits: [FoundDigit]
    /// Which of `digits` is the digit: the largest mark on the surface the marks are drawn on.
    public var main: Int

    /// The main digit in MNIST's form: side x side bytes, ink 255 on 0.
    var pixels: [UInt8] { digits[main].pixels }
}

/// One digit-sized mark of a picture.
public struct FoundDigit: Sendable {
    /// In MNIST's form: side x side bytes, ink 255 on 0.
    public var pixels: [UInt8]
    /// The box of its ink in the picture's own pixels.
    public var bounds: MarkBounds
    /// Strokes, or a dot or a line that is no digit at all.
    public var shape: MarkShape
    /// Its ink, when the mark is wide enough to be touching digits (see `touchingDigitsApart`).
    var wideInk: MarkInk? = nil
}

/// A box in a picture's pixels.
public struct MarkBounds: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int
}

/// Finds the digits in a picture the way a person would and brings each into MNIST's form.
///
/// MNIST's digits were size-normalised to fit a 20x20 box keeping their aspect ratio
/// (anti-aliased), then centred in 28x28 by centre of mass. Before doing the same, this looks for
/// the digit: the picture is composited over white; its noise is measured (and smoothed away for
/// the search only); it is split into dark and light regions, and the surface the marks are drawn
/// on is found among them, whatever surrounds it (a desk, UI chrome, a title bar, a board's
/// frame), which also decides the polarity. Frames, rules, specks and marks cut by the picture's
/// edge are dropped (see `findDigits`). Each digit's ink is measured against its own surface,
/// fitted by a plane, so uneven light does not count; a digit that does not stand out from the
/// surface's noise by 5 times it is no ink. If nothing shows over white but the alpha channel
/// varies, the alpha channel is the ink (white ink on a transparent canvas). Strokes far thicker or
/// thinner than MNIST's pen are brought towards it. A digit already in MNIST's form comes out
/// (nearly) unchanged, unless its pen is among MNIST's boldest or faintest (about 7% of them).
/// 16-bit sources keep their precision throughout.
public func readDigits(in picture: GreyAlphaImage, side: Int = 28, box: Int = 20) throws(DigitFormError) -> DigitReading {
    guard box >= 1, side >= box else { throw .badGeometry(side: side, box: box) }
    try requireWholePlanes(picture)
    let factor = digitShrinkFactor(width: picture.width, height: picture.height)
    return try readingInkView(of: picture, shrinkingBy: factor) { (view, quantum) throws(DigitFormError) in
        try readDigits(in: view, quantum: quantum, side: side, box: box, factor: factor)
    }
}

/// Reads the picture's lightness (composited over white) with `read`; when nothing stands out
/// there yet the opacity varies, reads the alpha channel instead (white ink on a transparent
/// canvas). `read` gets the view at working resolution and one step of the source's levels on
/// the 0...255 scale.
func readingInkView<T>(of picture: GreyAlphaImage, shrinkingBy factor: Int,
                       _ read: (GreyImage, Float) throws(DigitFormError) -> T) throws(DigitFormError) -> T {
    let views = pictureViews(picture, shrinkingBy: factor)
    let quantum = quantisationFloor(bitDepth: picture.bitDepth) / 2
    do {
        return try read(views.lightness, quantum)
    } catch {
        guard let low = views.alpha.values.min(), let high = views.alpha.values.max(), high - low >= 2 * quantum else { throw error }
        return try read(views.alpha, quantum)
    }
}

/// The main digit of a picture in MNIST's form (see `readDigits`): side x side bytes, ink 255 on 0.
func mnistDigit(from picture: GreyAlphaImage, side: Int = 28, box: Int = 20) throws(DigitFormError) -> [UInt8] {
    try readDigits(in: picture, side: side, box: box).pixels
}

/// The main digit of an 8-bit RGBA picture in MNIST's form (see `readDigits`).
func mnistDigit(from image: RGBAImage, side: Int = 28, box: Int = 20) throws(DigitFormError) -> [UInt8] {
    guard box >= 1, side >= box else { throw .badGeometry(side: side, box: box) }
    guard image.width > 0, image.height > 0,
          image.pixels.count == byteCount(width: image.width, height: image.height, channels: 4) else {
        throw .malformedImage(width: image.width, height: image.height, bytes: image.pixels.count)
    }
    return try mnistDigit(from: GreyAlphaImage(image), side: side, box: box)
}

/// The digits of one view of the picture (lightness or alpha, 0...255 at working resolution).
/// `quantum` is one step of the source's levels on that scale; `factor` how much it was shrunk.
private func readDigits(in grey: GreyImage, quantum: Float, side: Int, box: Int, factor: Int) throws(DigitFormError)
    -> DigitReading {
    let (grey, smooth, smoothNoise, rs) = try splitIntoRegions(grey, quantum: quantum, removingRuledLines: true)
    guard let found = findDigits(rs, smooth: smooth, noise: smoothNoise, quantum: quantum) else { throw .noInk }
    var digits: [FoundDigit] = [], main: Int?
    for (k, marks) in found.digits.enumerated() {
        let cut = extractInk(marks, on: found.surface, raw: grey, smooth: smooth, regions: rs, quantum: quantum)
        guard cut.contrast >= max(4 * quantum, 5 * cut.noise) else { continue }
        if k == found.main { main = digits.count }
        let b = marks.bounds
        // Written on a sheet lying askew, the digit is as askew as the sheet: turned back upright.
        let ink = abs(found.tilt) >= 2 ? turned(cut.ink, byDegrees: -found.tilt) : cut.ink
        digits.append(FoundDigit(
            pixels: fittedIntoField(ink, side: side, box: box),
            bounds: MarkBounds(x: b.x * factor, y: b.y * factor, width: b.width * factor, height: b.height * factor),
            shape: marks.shape,
            wideInk: marks.shape == .digit && found.tilt == 0
                ? MarkInk.ifWide(ink, origin: cut.origin, factor: factor, side: side, box: box) : nil))
    }
    guard let main else { throw .noInk }
    return DigitReading(digits: digits, main: main)
}

/// A view of a picture split into its dark and light regions: `grey` the picture the ink is taken
/// from, `smooth` the one the regions were split from (smoothed when noisy, and both flattened by a
/// plane when light falling across the page hides two levels), `noise` the smooth one's noise.
/// No ink when the two levels are not 4 noises (and 4 level steps) apart.
func splitIntoRegions(_ grey: GreyImage, quantum: Float, removingRuledLines: Bool = false) throws(DigitFormError)
    -> (grey: GreyImage, smooth: GreyImage, noise: Float, regions: Regions) {
    let noise = noiseLevel(grey)
    // Smoothing finds marks in noise; the ink itself is always taken from the unsmoothed picture.
    let passes = noise > 2.5 ? 2 : (noise > 0.6 ? 1 : 0)
    // Lines from edge to edge are paper for a digit; an object (a dress, a shoe) may span the picture.
    var grey = removingRuledLines ? withoutRuledLines(grey, noise: noise, quantum: quantum) : grey, smooth = grey
    for _ in 0..<passes { smooth = smoothed(smooth) }
    let smoothNoise = noise * [1, 0.375, 0.273][passes]
    guard var split = otsuSplit(evenlySpread(smooth.values)) else { throw .noInk }
    if split.separation < 0.75 {  // no two levels: maybe light falling across the page hides them
        let flat = planeFlattened([smooth, grey])
        if let flatSplit = otsuSplit(evenlySpread(flat[0].values)), flatSplit.separation > split.separation {
            (smooth, grey, split) = (flat[0], flat[1], flatSplit)
        }
    }
    guard split.lightMean - split.darkMean >= max(4 * quantum, 4 * smoothNoise) else { throw .noInk }
    return (grey, smooth, smoothNoise, regions(of: smooth, splitAt: split.threshold))
}

/// Fits a digit's ink into MNIST's field: strokes far thicker or thinner than MNIST's pen (outside
/// `mnistStrokeWidths` once scaled to the box) are brought to `mnistStrokeTarget`, then the ink is
/// cropped, area-resampled into box x box and placed by centre of mass in side x side (see
/// `resampledIntoBox`).
func fittedIntoField(_ ink: GreyImage, side: Int, box: Int) -> [UInt8] {
    var ink = ink
    if let solid = inkBounds(ink, above: 64) {
        // Picture pixels per pixel of MNIST's own 20-pixel box, whatever box this field uses.
        let perMNISTPixel = Float(max(solid.width, solid.height)) / 20
        let width = strokeWidth(ink) / perMNISTPixel
        if !mnistStrokeWidths.contains(width) && width > 0 {
            ink = strokesOffset(ink, by: (width - mnistStrokeTarget) / 2 * perMNISTPixel)
        }
    }
    let extent = inkBounds(ink) ?? (0, 0, ink.width, ink.height)
    let solid = inkBounds(ink, above: 64) ?? extent
    return placedAtCentreOfMass(resampledIntoBox(ink, solid: solid, extent: extent, box: box, margin: (side - box) / 2), side: side)
}

/// Throws unless the picture has pixels and its grey and alpha planes both hold width x height samples.
func requireWholePlanes(_ picture: GreyAlphaImage) throws(DigitFormError) {
    guard picture.width > 0, picture.height > 0,
          let count = byteCount(width: picture.width, height: picture.height, channels: 1),
          picture.grey.count == count, picture.alpha.count == count else {
        throw .malformedPlanes(width: picture.width, height: picture.height, grey: picture.grey.count, alpha: picture.alpha.count)
    }
}

/// The ink turned about its window's centre (clockwise as displayed for positive degrees), in a
/// square window large enough to hold all of it; bilinear (see `warpImage`).
func turned(_ ink: GreyImage, byDegrees degrees: Double) -> GreyImage {
    let side = Int((Double(max(ink.width, ink.height)) * 1.45).rounded(.up))
    var square = GreyImage(width: side, height: side)
    let left = (side - ink.width) / 2, top = (side - ink.height) / 2
    for y in 0..<ink.height {
        for x in 0..<ink.width { square[left + x, top + y] = ink[x, y] }
    }
    square.values = warpImage(square.values, rows: side, cols: side, warp: AffineWarp(rotationDegrees: Float(degrees)))
    return square
}

/// width * height * channels, or nil when that does not fit in an Int.
private func byteCount(width: Int, height: Int, channels: Int) -> Int? {
    let (pixels, o1) = width.multipliedReportingOverflow(by: height)
    let (bytes, o2) = pixels.multipliedReportingOverflow(by: channels)
    return o1 || o2 ? nil : bytes
}
