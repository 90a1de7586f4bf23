/// The picture's pixel noise (sensor noise, paper grain), as a standard deviation on its own
/// scale: 1.4826 x the median absolute difference between horizontal and vertical neighbours,
/// divided by sqrt 2 (the difference of two noisy pixels has twice the variance). Edges of ink
/// and of surfaces are a small share of all neighbour pairs, so the median ignores them; a clean
/// drawing gives 0. At most ~2^14 pairs are looked at, from rows evenly spread.
func noiseLevel(_ grey: GreyImage) -> Float {
    let w = grey.width, h = grey.height
    guard w * h > 1 else { return 0 }
    let rowStep = max(1, 2 * w * h / (1 << 14))  // whole rows, evenly spread
    var differences: [Float] = []
    differences.reserveCapacity(2 * w * (h / rowStep + 1))
    grey.values.withUnsafeBufferPointer { v in
        for y in stride(from: 0, to: h, by: rowStep) {
            let row = y * w
            for x in 0..<(w - 1) { differences.append(abs(v[row + x + 1] - v[row + x])) }
            if y + 1 < h { for x in 0..<w { differences.append(abs(v[row + w + x] - v[row + x])) } }
        }
    }
    return 1.4826 * medianOf(differences) / Float(2).squareRoot()
}

/// A [1 2 1] x [1 2 1] / 16 blur (edge pixels repeat outwards): the noise's standard deviation
/// drops to 0.375 of itself, strokes wider than a pixel keep their level.
func smoothed(_ grey: GreyImage) -> GreyImage {
    let w = grey.width, h = grey.height
    var across = GreyImage(width: w, height: h), out = GreyImage(width: w, height: h)
    grey.values.withUnsafeBufferPointer { v in
        across.values.withUnsafeMutableBufferPointer { a in
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    a[i] = (v[y * w + max(0, x - 1)] + 2 * v[i] + v[y * w + min(w - 1, x + 1)]) / 4
                }
            }
        }
    }
    across.values.withUnsafeBufferPointer { a in
        out.values.withUnsafeMutableBufferPointer { o in
            for y in 0..<h {
                let up = max(0, y - 1) * w, down = min(h - 1, y + 1) * w
                for x in 0..<w { o[y * w + x] = (a[up + x] + 2 * a[y * w + x] + a[down + x]) / 4 }
            }
        }
    }
    return out
}

/// The picture with a plane of light removed: least squares over (a spread of up to ~2^14 of) its
/// pixels, refitted once without those more than 2.5 spreads off the first plane (the ink, mostly).
/// The centre keeps its level. For a page lit from one side, where no single threshold separates
/// ink from paper.
func planeFlattened(_ images: [GreyImage]) -> [GreyImage] {
    guard let first = images.first, first.values.count > 3 else { return images }
    let stride = max(1, first.values.count / (1 << 14))
    let samples = Swift.stride(from: 0, to: first.values.count, by: stride).map { (x: $0 % first.width, y: $0 / first.width) }
    let plane = SurfacePlane(fitting: samples, in: first, keepingWithin: 2.5)
    let cx = Float(first.width - 1) / 2, cy = Float(first.height - 1) / 2
    let centre = plane.level(0, 0) + plane.b * cx + plane.c * cy  // the plane at the picture's centre
    return images.map { image in
        var flat = image
        for y in 0..<image.height {
            for x in 0..<image.width { flat.values[y * image.width + x] += centre - plane.level(x, y) }
        }
        return flat
    }
}
