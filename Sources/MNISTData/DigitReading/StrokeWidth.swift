/// The mean width of a digit's strokes in pixels: twice the ink's area over its outline's length
/// (a stroke of width w and length L has area w L and an outline of about 2 L). Grey ink counts
/// by its amount and the outline by the size of the change at each step, so anti-aliasing is
/// measured, not thresholded. 0 for an image without ink.
func strokeWidth(_ ink: GreyImage) -> Float {
    var area: Float = 0, outline: Float = 0
    let w = ink.width, h = ink.height
    ink.values.withUnsafeBufferPointer { v in
        for y in 0..<h {
            for x in 0..<w {
                let here = v[y * w + x]
                area += here
                let right = x + 1 < w ? v[y * w + x + 1] : 0, below = y + 1 < h ? v[(y + 1) * w + x] : 0
                let dx = right - here, dy = below - here
                outline += (dx * dx + dy * dy).squareRoot()
                if x == 0 { outline += here }  // the step from the outside into the first column and row
                if y == 0 { outline += here }
            }
        }
    }
    return outline > 0 ? 2 * area / outline : 0
}

/// MNIST's pen at its own scale (stroke width in pixels of the 28x28 field, as `strokeWidth`
/// measures it on the test set): 1.67 at the 5th percentile, 2.40 at the median, 3.68 at the 95th.
/// Digits outside `mnistStrokeWidths` (about 7% of MNIST's own, mostly bold ones) are brought to
/// `mnistStrokeTarget`; the ones inside are left as drawn. The upper end is where a thick marker's
/// strokes, or chalk's, begin to cost the model more than re-stroking costs MNIST's bold digits.
let mnistStrokeWidths: ClosedRange<Float> = 1.4...3.5
let mnistStrokeTarget: Float = 2.6

/// The ink with every edge moved inwards by `distance` pixels (outwards when negative): strokes
/// become 2 x distance thinner (thicker) and keep their ends and joins. The ink is cut at half
/// strength into a shape, each pixel's signed distance to the shape's edge is measured (chamfer
/// 5-7-11, within 2% of Euclidean), and the moved edge is anti-aliased over one pixel; no pixel
/// gains ink when thinning, or loses any when thickening.
func strokesOffset(_ ink: GreyImage, by distance: Float) -> GreyImage {
    let grow = Int(max(0, -distance).rounded(.up)) + 1  // room for thicker strokes
    let w = ink.width + 2 * grow, h = ink.height + 2 * grow
    var inside = [Bool](repeating: false, count: w * h)
    for y in 0..<ink.height {
        for x in 0..<ink.width where ink[x, y] >= 127.5 { inside[(y + grow) * w + x + grow] = true }
    }
    let toOutside = chamferDistance(inside, width: w, height: h, from: false)
    let toInside = chamferDistance(inside, width: w, height: h, from: true)
    var out = GreyImage(width: w, height: h)
    for y in 0..<h {
        for x in 0..<w {
            let i = y * w + x
            // Signed distance from the pixel's centre to the shape's edge, positive inside.
            let signed = inside[i] ? toOutside[i] - 0.5 : 0.5 - toInside[i]
            let moved = 255 * min(1, max(0, 0.5 + signed - distance))
            let original = x >= grow && y >= grow && x < w - grow && y < h - grow ? ink[x - grow, y - grow] : 0
            // Thinning only takes ink away and thickening only adds it: grey inside the strokes
            // (a loop half closed by a bold pen) stays as it was.
            out.values[i] = distance > 0 ? min(original, moved) : max(original, moved)
        }
    }
    return out
}

/// Chamfer distance (Borgefors' 5-7-11 mask, in pixels) from each pixel to the nearest pixel whose
/// `inside` is `from`; pixels beyond the picture's edge count as outside. Two raster passes.
func chamferDistance(_ inside: [Bool], width w: Int, height h: Int, from target: Bool) -> [Float] {
    let far = Int32.max / 4
    var d = [Int32](repeating: far, count: w * h)
    for i in d.indices where inside[i] == target { d[i] = 0 }
    if !target {  // the outside beyond the edge: one step away from the edge pixels
        for y in 0..<h { for x in 0..<w where x == 0 || y == 0 || x == w - 1 || y == h - 1 { d[y * w + x] = min(d[y * w + x], 5) } }
    }
    let forward: [(dx: Int, dy: Int, cost: Int32)] = [(-1, 0, 5), (0, -1, 5), (-1, -1, 7), (1, -1, 7),
                                                       (-2, -1, 11), (2, -1, 11), (-1, -2, 11), (1, -2, 11)]
    d.withUnsafeMutableBufferPointer { d in
        for y in 0..<h {
            for x in 0..<w where d[y * w + x] > 0 {
                var best = d[y * w + x]
                for (dx, dy, cost) in forward {
                    let nx = x + dx, ny = y + dy
                    if nx >= 0 && nx < w && ny >= 0 { best = min(best, d[ny * w + nx] + cost) }
                }
                d[y * w + x] = best
            }
        }
        for y in (0..<h).reversed() {
            for x in (0..<w).reversed() where d[y * w + x] > 0 {
                var best = d[y * w + x]
                for (dx, dy, cost) in forward {
                    let nx = x - dx, ny = y - dy
                    if nx >= 0 && nx < w && ny < h { best = min(best, d[ny * w + nx] + cost) }
                }
                d[y * w + x] = best
            }
        }
    }
    return d.map { Float($0) / 5 }
}
