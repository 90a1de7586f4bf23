/// Why a picture could not be brought into MNIST's form.
public enum DigitFormError: Error, Equatable, CustomStringConvertible {
    /// Nothing stands out from the background: the picture is blank (or the ink is as light as the paper).
    case noInk
    /// The image has no pixels, or its pixel buffer does not match its size.
    case malformedImage(width: Int, height: Int, bytes: Int)
    /// The requested output does not make sense: box must be at least 1 and at most side.
    case badGeometry(side: Int, box: Int)

    public var description: String {
        switch self {
        case .noInk:
            return "no ink found: the image is blank or the digit does not stand out from the background; use a picture of one dark or light digit on a plain background"
        case .malformedImage(let w, let h, let bytes):
            let expected = rgbaByteCount(width: w, height: h).map(String.init) ?? "more than memory holds"
            return "image of \(w)x\(h) pixels has \(bytes) bytes of RGBA, \(expected) expected"
        case .badGeometry(let side, let box):
            return "cannot fit a \(box)x\(box) digit box into a \(side)x\(side) image; use 1 <= box <= side"
        }
    }
}

/// Brings any picture of one digit into MNIST's form: side x side bytes (28x28), ink 255 on 0.
///
/// MNIST's digits were size-normalised to fit a 20x20 box keeping their aspect ratio
/// (anti-aliased), then centred in 28x28 by centre of mass. This does the same to a picture:
/// composite over white, take the luma, flatten uneven lighting, make the ink the bright side,
/// remove the paper's level and noise, crop to the ink, area-resample it into box x box and
/// place it by centre of mass. A digit already in MNIST's form comes out (nearly) unchanged
/// (measured on 500 test digits: 0.16 levels per pixel on average, centre of mass unmoved).
public func mnistDigit(from image: RGBAImage, side: Int = 28, box: Int = 20) throws(DigitFormError) -> [UInt8] {
    guard box >= 1, side >= box else { throw .badGeometry(side: side, box: box) }
    guard image.width > 0, image.height > 0,
          image.pixels.count == rgbaByteCount(width: image.width, height: image.height) else {
        throw .malformedImage(width: image.width, height: image.height, bytes: image.pixels.count)
    }
    var grey = flattenedLighting(lumaOverWhite(image, shrinkingBy: digitShrinkFactor(width: image.width, height: image.height)))
    var background = borderLevel(grey)
    if inkIsDarker(grey, backgroundMedian: background.median) {
        grey = inverted(grey)
        background.median = 255 - background.median
    }
    var ink = separateInk(grey, background: background)
    dropSpecks(&ink)
    guard let extent = inkBounds(ink) else { throw .noInk }
    let solid = inkBounds(ink, above: 64) ?? extent
    let fitted = resampledIntoBox(ink, solid: solid, extent: extent, box: box, margin: (side - box) / 2)
    return placedAtCentreOfMass(fitted, side: side)
}

// MARK: - Steps

/// A single-channel picture, (height, width) row-major, values in 0...255.
struct GreyImage: Equatable {
    var width: Int
    var height: Int
    var values: [Float]

    subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }
}

/// width * height * 4, or nil when that does not fit in an Int.
private func rgbaByteCount(width: Int, height: Int) -> Int? {
    let (pixels, o1) = width.multipliedReportingOverflow(by: height)
    let (bytes, o2) = pixels.multipliedReportingOverflow(by: 4)
    return o1 || o2 ? nil : bytes
}

/// Most pixels `mnistDigit` works on. Each step keeps a Float per pixel, and a few steps keep
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

/// Composites each pixel over white (what a viewer shows for a transparent background), then
/// takes its luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as most image tools do).
/// With `factor` k > 1, output pixel (x, y) is the mean luma of input block [kx, kx+k) x [ky, ky+k)
/// (clipped at the edges), computed in one pass so no full-size grey copy is ever made.
func lumaOverWhite(_ image: RGBAImage, shrinkingBy factor: Int = 1) -> GreyImage {
    if factor > 1 { return blockAveragedLuma(image, factor: factor) }
    let p = image.pixels
    var values = [Float](repeating: 0, count: image.width * image.height)
    for i in values.indices {
        let alpha = Float(p[4 * i + 3]) / 255
        let paper = 255 * (1 - alpha)
        let r = Float(p[4 * i]) * alpha + paper, g = Float(p[4 * i + 1]) * alpha + paper
        let b = Float(p[4 * i + 2]) * alpha + paper
        values[i] = 0.299 * r + 0.587 * g + 0.114 * b
    }
    return GreyImage(width: image.width, height: image.height, values: values)
}

/// `lumaOverWhite` averaged over factor x factor blocks: ((height + factor - 1) / factor) rows of
/// ((width + factor - 1) / factor) values. Sums in Double per output row (a block of a 64-megapixel
/// picture can hold thousands of pixels).
private func blockAveragedLuma(_ image: RGBAImage, factor: Int) -> GreyImage {
    let width = (image.width + factor - 1) / factor, height = (image.height + factor - 1) / factor
    var values = [Float](repeating: 0, count: width * height)
    var sums = [Double](repeating: 0, count: width)
    image.pixels.withUnsafeBufferPointer { p in
        for y in 0..<height {
            for i in sums.indices { sums[i] = 0 }
            let rows = min(factor, image.height - y * factor)
            for row in (y * factor)..<(y * factor + rows) {
                for x in 0..<image.width {
                    let q = 4 * (row * image.width + x)
                    let alpha = Float(p[q + 3]) / 255, paper = 255 * (1 - alpha)
                    let r = Float(p[q]) * alpha + paper, g = Float(p[q + 1]) * alpha + paper
                    let b = Float(p[q + 2]) * alpha + paper
                    sums[x / factor] += Double(0.299 * r + 0.587 * g + 0.114 * b)
                }
            }
            for x in 0..<width {
                let columns = min(factor, image.width - x * factor)
                values[y * width + x] = Float(sums[x] / Double(rows * columns))
            }
        }
    }
    return GreyImage(width: width, height: height, values: values)
}

/// Width of the outer ring that stands for the paper: 1/14 of the shorter side, at least one
/// pixel (2 pixels of MNIST's empty 4-pixel margin).
func borderWidth(_ grey: GreyImage) -> Int { max(1, min(grey.width, grey.height) / 14) }

/// Removes light falling unevenly across the paper: subtracts the plane whose slopes are the
/// differences between the medians of opposite border strips (medians, so ink reaching the edge
/// does not tilt it). The image centre keeps its level. A flat background is left unchanged.
func flattenedLighting(_ grey: GreyImage) -> GreyImage {
    let ring = borderWidth(grey)
    func strip(_ xs: Range<Int>, _ ys: Range<Int>) -> Float {
        medianOf(ys.flatMap { y in xs.map { x in grey[x, y] } })
    }
    let w = grey.width, h = grey.height
    let slopeX = w > ring ? (strip((w - ring)..<w, 0..<h) - strip(0..<ring, 0..<h)) / Float(w - ring) : 0
    let slopeY = h > ring ? (strip(0..<w, (h - ring)..<h) - strip(0..<w, 0..<ring)) / Float(h - ring) : 0
    guard slopeX != 0 || slopeY != 0 else { return grey }
    var flat = grey
    for y in 0..<h {
        for x in 0..<w {
            flat[x, y] -= slopeX * (Float(x) - Float(w - 1) / 2) + slopeY * (Float(y) - Float(h - 1) / 2)
        }
    }
    return flat
}

/// The paper's level and its noise, estimated from the outer ring of the picture: the median, and
/// the spread as 1.4826 x the median absolute deviation (the standard deviation for Gaussian
/// noise, unmoved by ink that touches the border).
func borderLevel(_ grey: GreyImage) -> (median: Float, spread: Float) {
    let ring = borderWidth(grey)
    var border: [Float] = []
    for y in 0..<grey.height {
        for x in 0..<grey.width
        where x < ring || y < ring || x >= grey.width - ring || y >= grey.height - ring {
            border.append(grey[x, y])
        }
    }
    let median = medianOf(border)
    return (median, 1.4826 * medianOf(border.map { abs($0 - median) }))
}

/// Dark ink on light paper pulls the picture's mean below the paper's (border) level;
/// light ink on dark paper (MNIST's own form) pushes it above. (Summed in Double: a Float sum
/// of millions of pixels drifts by more than the ink moves the mean.)
func inkIsDarker(_ grey: GreyImage, backgroundMedian: Float) -> Bool {
    grey.values.reduce(0.0) { $0 + Double($1) } / Double(grey.values.count) < Double(backgroundMedian)
}

func inverted(_ grey: GreyImage) -> GreyImage {
    GreyImage(width: grey.width, height: grey.height, values: grey.values.map { 255 - $0 })
}

/// Maps the paper to 0 and solid ink to 255, linearly, so anti-aliased edges keep their
/// proportions. Pixels within the paper's noise (background + 3 x spread) become 0; specks of
/// noise that pass are left to `dropSpecks`. "Solid ink" is the 95th percentile of the pixels in
/// the upper half of the range above that threshold, so a few brighter specks do not dim the
/// whole digit. Ink must stand out by at least 8 x spread and 24 levels, or there is none (noise
/// alone reaches about 5 x spread even on a large picture). Expects ink brighter than paper.
func separateInk(_ grey: GreyImage, background: (median: Float, spread: Float)) -> GreyImage {
    let none = GreyImage(width: grey.width, height: grey.height, values: [Float](repeating: 0, count: grey.values.count))
    let threshold = background.median + 3 * background.spread
    let brightest = grey.values.max() ?? 0
    guard brightest > threshold else { return none }
    let solid = grey.values.filter { $0 >= (threshold + brightest) / 2 }.sorted()
    let inkLevel = solid[min(solid.count - 1, Int(Float(solid.count) * 0.95))]
    let contrast = inkLevel - background.median
    guard contrast >= max(8 * background.spread, 24) else { return none }
    let values = grey.values.map { v -> Float in
        v <= threshold ? 0 : min(255, 255 * (v - background.median) / contrast)
    }
    return GreyImage(width: grey.width, height: grey.height, values: values)
}

/// Zeroes connected specks of ink (8-connected) holding less than 2% of the ink of the largest
/// piece: paper grain and dust that survived the threshold, which would otherwise stretch the
/// crop. Real pieces of a broken stroke are far heavier.
func dropSpecks(_ ink: inout GreyImage) {
    var label = [Int32](repeating: -1, count: ink.values.count)  // component of each pixel, -1: none
    var masses: [Double] = []
    var stack: [Int] = []
    for start in ink.values.indices where ink.values[start] > 0 && label[start] < 0 {
        let id = Int32(masses.count)
        var mass = 0.0
        label[start] = id
        stack.append(start)
        while let i = stack.popLast() {
            mass += Double(ink.values[i])
            let x = i % ink.width, y = i / ink.width
            for ny in max(0, y - 1)...min(ink.height - 1, y + 1) {
                for nx in max(0, x - 1)...min(ink.width - 1, x + 1) {
                    let j = ny * ink.width + nx
                    if ink.values[j] > 0 && label[j] < 0 { label[j] = id; stack.append(j) }
                }
            }
        }
        masses.append(mass)
    }
    guard let largest = masses.max() else { return }
    for i in ink.values.indices where label[i] >= 0 && masses[Int(label[i])] < 0.02 * largest {
        ink.values[i] = 0
    }
}

/// A rectangle of pixels: origin and size.
typealias PixelRect = (x: Int, y: Int, width: Int, height: Int)

/// The smallest rectangle holding every pixel brighter than `level`, or nil when there is none.
func inkBounds(_ ink: GreyImage, above level: Float = 0) -> PixelRect? {
    var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
    for y in 0..<ink.height {
        for x in 0..<ink.width where ink[x, y] > level {
            minX = min(minX, x); maxX = max(maxX, x)
            minY = min(minY, y); maxY = max(maxY, y)
        }
    }
    guard maxX >= 0 else { return nil }
    return (minX, minY, maxX - minX + 1, maxY - minY + 1)
}

/// Box-filter resampling with fractional coverage: output pixel (i, j) is the area-weighted
/// mean of the input square [origin.x + i*footprint, +footprint) x [origin.y + j*footprint, ...);
/// input outside the image counts as 0 (no ink).
func areaResample(_ grey: GreyImage, origin: (x: Double, y: Double), footprint: Double,
                  width: Int, height: Int) -> GreyImage {
    separableResample(grey, columns: coverage(start: origin.x, footprint: footprint, count: width, limit: grey.width),
                      rows: coverage(start: origin.y, footprint: footprint, count: height, limit: grey.height))
}

/// The whole image squeezed or stretched to width x height (each axis by its own factor).
/// Exact copy when the size is unchanged.
func areaResample(_ grey: GreyImage, width: Int, height: Int) -> GreyImage {
    separableResample(grey, columns: coverage(from: grey.width, to: width), rows: coverage(from: grey.height, to: height))
}

private func separableResample(_ grey: GreyImage, columns: [[(index: Int, weight: Float)]],
                               rows: [[(index: Int, weight: Float)]]) -> GreyImage {
    let width = columns.count, height = rows.count
    var horizontal = [Float](repeating: 0, count: width * grey.height)
    for y in 0..<grey.height {
        for (x, taps) in columns.enumerated() {
            horizontal[y * width + x] = taps.reduce(0) { $0 + $1.weight * grey[$1.index, y] }
        }
    }
    var values = [Float](repeating: 0, count: width * height)
    for (y, taps) in rows.enumerated() {
        for x in 0..<width {
            values[y * width + x] = taps.reduce(0) { $0 + $1.weight * horizontal[$1.index * width + x] }
        }
    }
    return GreyImage(width: width, height: height, values: values)
}

/// For each of `m` output cells spread evenly over `n` input cells: which inputs it overlaps and
/// by what fraction of its own footprint (weights sum to 1).
func coverage(from n: Int, to m: Int) -> [[(index: Int, weight: Float)]] {
    coverage(start: 0, footprint: Double(n) / Double(m), count: m, limit: n)
}

/// For each of `count` output cells, cell i covering input [start + i*footprint, +footprint):
/// the input cells (within 0..<limit) it overlaps and by what fraction of its footprint.
func coverage(start: Double, footprint: Double, count: Int, limit: Int) -> [[(index: Int, weight: Float)]] {
    (0..<count).map { i in
        let begin = start + Double(i) * footprint, end = begin + footprint
        let first = max(0, Int(begin.rounded(.down))), last = min(limit, Int(end.rounded(.up)))
        guard first < last else { return [] }
        return (first..<last).compactMap { j in
            let overlap = min(end, Double(j + 1)) - max(begin, Double(j))
            return overlap > 1e-9 ? (j, Float(overlap / footprint)) : nil
        }
    }
}

/// Crops and area-resamples the ink so that `solid` (the box of ink above a quarter of full
/// strength) becomes box pixels on its longer side, keeping the aspect ratio. MNIST's 20x20 box
/// held the pen strokes with their anti-aliasing, so a blurred fringe must not shrink the digit:
/// the rest of `extent` (all ink) is kept in up to `margin` extra output pixels on each side.
/// For a digit already in MNIST's form (solid == extent, longer side == box) this is an exact copy.
func resampledIntoBox(_ ink: GreyImage, solid: PixelRect, extent: PixelRect, box: Int, margin: Int) -> GreyImage {
    let footprint = Double(max(solid.width, solid.height)) / Double(box)  // input pixels per output pixel
    func fringe(_ inputPixels: Int) -> Int { min(margin, Int((Double(inputPixels) / footprint).rounded(.up))) }
    let left = fringe(solid.x - extent.x), right = fringe(extent.x + extent.width - solid.x - solid.width)
    let top = fringe(solid.y - extent.y), bottom = fringe(extent.y + extent.height - solid.y - solid.height)
    return areaResample(
        ink, origin: (Double(solid.x) - Double(left) * footprint, Double(solid.y) - Double(top) * footprint),
        footprint: footprint,
        width: left + max(1, Int((Double(solid.width) / footprint).rounded())) + right,
        height: top + max(1, Int((Double(solid.height) / footprint).rounded())) + bottom)
}

/// Places the digit in a side x side field so its centre of mass (pixel-index coordinates) lands
/// as near as a whole-pixel shift allows to (side/2, side/2), which is where MNIST's lie
/// (mean 14.0 in the test set); the shift is clipped so the digit stays inside. Rounds to bytes.
func placedAtCentreOfMass(_ digit: GreyImage, side: Int) -> [UInt8] {
    var mass = 0.0, sumX = 0.0, sumY = 0.0
    for y in 0..<digit.height {
        for x in 0..<digit.width {
            let v = Double(digit[x, y])
            mass += v; sumX += v * Double(x); sumY += v * Double(y)
        }
    }
    let centre = Double(side) / 2
    func offset(_ sum: Double, _ size: Int) -> Int {
        let wanted = mass > 0 ? Int((centre - sum / mass).rounded()) : (side - size) / 2
        return min(max(wanted, 0), side - size)
    }
    let left = offset(sumX, digit.width), top = offset(sumY, digit.height)
    var out = [UInt8](repeating: 0, count: side * side)
    for y in 0..<digit.height {
        for x in 0..<digit.width {
            out[(top + y) * side + left + x] = UInt8(min(255, max(0, digit[x, y].rounded())))
        }
    }
    return out
}

/// Median of a non-empty array (upper median for an even count); 0 for an empty one.
func medianOf(_ values: [Float]) -> Float {
    guard !values.isEmpty else { return 0 }
    return values.sorted()[values.count / 2]
}
