// Fitting a digit's ink into MNIST's box and field, as MNIST's own digits were: crop, area-resample
// into box x box keeping the aspect ratio, place by centre of mass in side x side.

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
