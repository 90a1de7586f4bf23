/// One digit's ink, cut out of the picture: 0 where there is none, 255 for solid ink.
struct DigitInk {
    /// The ink in a window around the digit (the rest of the picture holds none of it).
    var ink: GreyImage
    /// Where the window's top-left pixel is in the picture.
    var origin: (x: Int, y: Int)
    /// How far solid ink stands from the surface around it, on the 0...255 scale.
    var contrast: Float
    /// The surface's own spread (noise, grain) around its level, on the same scale, as seen in the
    /// smoothed picture the marks were found in.
    var noise: Float
}

/// Cuts out the ink of `digit`: the surface around it is fitted by a plane (so light falling
/// unevenly across a page, or a shadow, does not read as ink), the marks' side of that plane is
/// ink, and solid ink is the 95th percentile of how far the marks stand from it. From the marks
/// the ink grows into touching pixels of the surface that stand out by more than its noise
/// (3 standard deviations, at least half a level of the source), which keeps anti-aliased and
/// faint edges; other marks (specks, rules, frames) are never entered. Ink is mapped linearly.
func extractInk(_ digit: DigitMarks, on surface: Surface, raw: GreyImage, smooth: GreyImage, regions rs: Regions,
                quantum: Float) -> DigitInk {
    let window = around(digit.bounds, in: rs)
    let x0 = window.x, y0 = window.y, x1 = x0 + window.width, y1 = y0 + window.height
    let w = window.width, h = window.height
    // Lookup tables by region: the digit's marks, and their holes (and all inside them), which ink
    // may grow into (the inner edge of a 0's loop) as it grows over the surface.
    var isMark = [Bool](repeating: false, count: rs.regions.count), isHole = isMark
    for id in digit.marks { isMark[id] = true }
    var pending = digit.marks
    while let id = pending.popLast() {
        for child in rs[id].children where !isHole[child] { isHole[child] = true; pending.append(child) }
    }
    let marks = isMark
    func label(_ x: Int, _ y: Int) -> Int { Int(rs.label[y * raw.width + x]) }
    func onSurface(_ x: Int, _ y: Int) -> Bool { surface.all[y * raw.width + x] || isHole[label(x, y)] }

    // The paper's pixels in the window (inner ones: an anti-aliased fringe is not paper).
    var samples: [(x: Int, y: Int)] = []
    for y in y0..<y1 {
        for x in x0..<x1 where surface.isPaper(y * raw.width + x) { samples.append((x, y)) }
    }
    if samples.count < 8 {  // a digit filling its picture: whatever is not ink is paper
        samples = (y0..<y1).flatMap { y in (x0..<x1).compactMap { x in marks[label(x, y)] ? nil : (x, y) } }
    }
    let plane = SurfacePlane(fitting: samples, in: raw)
    let noiseRaw = plane.spread(of: samples, in: raw), noiseSmooth = plane.spread(of: samples, in: smooth)
    let inkIsLight = digit.marks.first.map { rs[$0].isLight } ?? true
    let sign: Float = inkIsLight ? 1 : -1

    var markDeviations: [Float] = []
    for y in y0..<y1 {
        for x in x0..<x1 where marks[label(x, y)] {
            markDeviations.append(sign * (raw[x, y] - plane.level(x, y)))
        }
    }
    let contrast = max(percentileOf(markDeviations, 0.95), quantum)

    // Grow from the marks, layer by layer, into touching pixels of the surface that stand out from
    // it (or into their holes): the marks' faint edges, at most a tenth of the digit's size deep
    // (two pixels at least), never into another mark (an underline whose edge nearly touches).
    let weak = max(3 * noiseRaw, quantum / 2), depth = max(2, digit.extent / 10)
    var ink = GreyImage(width: w, height: h)
    var reached = [Bool](repeating: false, count: w * h)
    var layer: [Int] = []
    for y in y0..<y1 {
        for x in x0..<x1 where marks[label(x, y)] {
            reached[(y - y0) * w + x - x0] = true
            layer.append((y - y0) * w + x - x0)
        }
    }
    for step in 0...depth {
        var next: [Int] = []
        for i in layer {
            let x = i % w + x0, y = i / w + y0
            ink.values[i] = min(255, max(0, 255 * sign * (raw[x, y] - plane.level(x, y)) / contrast))
            guard step < depth else { continue }
            for ny in max(y0, y - 1)...min(y1 - 1, y + 1) {
                for nx in max(x0, x - 1)...min(x1 - 1, x + 1) {
                    let j = (ny - y0) * w + nx - x0
                    if !reached[j] && onSurface(nx, ny) && sign * (raw[nx, ny] - plane.level(nx, ny)) > weak {
                        reached[j] = true
                        next.append(j)
                    }
                }
            }
        }
        layer = next
    }
    return DigitInk(ink: ink, origin: (x0, y0), contrast: contrast, noise: noiseSmooth)
}

/// The level of a surface as a plane a + b (x - cx) + c (y - cy), fitted by least squares to
/// sample pixels, then once more without the samples more than 3 spreads (and half a level) off
/// it: a speck, a crease, a halo. Flat when the samples do not span both directions.
struct SurfacePlane {
    var a: Float = 0, b: Float = 0, c: Float = 0
    var cx: Float = 0, cy: Float = 0

    init(fitting samples: [(x: Int, y: Int)], in grey: GreyImage, keepingWithin spreads: Float = 3) {
        guard !samples.isEmpty else { return }
        self = SurfacePlane.leastSquares(samples, grey)
        // Half a level at least: on clean paper the spread is 0 and a few odd pixels would stay in.
        let tolerance = max(spreads * self.spread(of: samples, in: grey), 0.5)
        let kept = samples.filter { abs(grey[$0.x, $0.y] - level($0.x, $0.y)) <= tolerance }
        if !kept.isEmpty && kept.count < samples.count { self = SurfacePlane.leastSquares(kept, grey) }
    }

    func level(_ x: Int, _ y: Int) -> Float { a + b * (Float(x) - cx) + c * (Float(y) - cy) }

    /// 1.4826 x the median absolute deviation of the samples from the plane.
    func spread(of samples: [(x: Int, y: Int)], in grey: GreyImage) -> Float {
        1.4826 * medianOf(samples.map { abs(grey[$0.x, $0.y] - level($0.x, $0.y)) })
    }

    private init() {}

    private static func leastSquares(_ samples: [(x: Int, y: Int)], _ grey: GreyImage) -> SurfacePlane {
        var p = SurfacePlane()
        let n = Double(samples.count)
        var mx = 0.0, my = 0.0, mz = 0.0
        for s in samples { mx += Double(s.x); my += Double(s.y); mz += Double(grey[s.x, s.y]) }
        mx /= n; my /= n; mz /= n
        var sxx = 0.0, syy = 0.0, sxy = 0.0, sxz = 0.0, syz = 0.0
        for s in samples {
            let dx = Double(s.x) - mx, dy = Double(s.y) - my, dz = Double(grey[s.x, s.y]) - mz
            sxx += dx * dx; syy += dy * dy; sxy += dx * dy; sxz += dx * dz; syz += dy * dz
        }
        let det = sxx * syy - sxy * sxy
        p.cx = Float(mx); p.cy = Float(my); p.a = Float(mz)
        if det > 1e-9 * max(1, sxx * syy) {
            p.b = Float((sxz * syy - syz * sxy) / det)
            p.c = Float((syz * sxx - sxz * sxy) / det)
        }
        return p
    }
}
