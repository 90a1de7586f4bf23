#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks the nesting of regions from the outside in, telling surfaces, frames and marks apart.
struct SurfaceSearch {
    let rs: Regions
    /// Mean level of the regions around everything (what roots are seen against).
    let outerLevel: Float

    init(_ rs: Regions) {
        self.rs = rs
        var sum = 0.0, count = 0
        for r in rs.regions where r.touchesBorder && r.isLight == rs.outerIsLight {
            sum += r.sumValue; count += r.area
        }
        outerLevel = count > 0 ? Float(sum / Double(count)) : 0
    }

    /// Every mark with the surface it sits on (-1: the regions around everything).
    func marksOnSurfaces() -> [(mark: Int, surface: Int)] {
        var surfaces: [Int] = [], marks: [(mark: Int, surface: Int)] = []
        for id in rs.regions.indices where rs[id].touchesBorder {
            if rs[id].isLight == rs.outerIsLight || isSurface(id) { surfaces.append(id) } else { marks.append((id, -1)) }
        }
        var next = 0
        while next < surfaces.count {
            let surface = surfaces[next]
            next += 1
            for child in rs[surface].children {
                if let inside = frameInterior(child) {
                    surfaces.append(inside)
                } else if isSurface(child) {
                    surfaces.append(child)
                } else {
                    marks.append((child, surface))
                }
            }
        }
        return marks
    }

    /// Which mark is the digit: the one that stands out most, area times contrast with what
    /// surrounds it (ink rather than a shadow or a smudge), halved when the picture's edge cuts it;
    /// horizontal rules and filled rectangles cut by the edge (a strip of desk) only when nothing
    /// else is there.
    func rank(_ id: Int) -> (Int, Float) {
        let r = rs[id], shape = Moments(r)
        let rule = shape.roundness < 0.25 && shape.degreesFromVertical > 60
        let backdrop = r.touchesBorder && 20 * r.area >= 17 * r.boxArea
        let around = r.parent >= 0 ? rs[r.parent].level : outerLevel
        let standsOut = Float(r.area) * max(abs(r.level - around), 1)
        return (rule || backdrop ? 0 : 1, r.touchesBorder ? standsOut / 2 : standsOut)
    }

    /// A surface holds marks: it is large (30% of the picture's width and height), filled and
    /// rectangular or nearly (a sheet, a canvas, a board: 85% of its box; a sheet lying askew or
    /// seen at an angle: a convex quadrilateral, see `isQuadrilateral`), and what it holds is more
    /// than a hole. Its largest hole decides: a hole is a plain convex blob (as thick as a sixth of its
    /// size) with nothing in it, nearer the level of what surrounds the region than the region's
    /// own (the paper showing through a thick 0 or 8, dimmed by blur when small). Digits on a sheet
    /// are strokes, thin or bent, however dark the desk around the sheet is.
    func isSurface(_ id: Int) -> Bool {
        let r = rs[id]
        guard let largest = r.children.max(by: { rs[$0].filledArea < rs[$1].filledArea }),
              10 * r.width >= 3 * rs.width, 10 * r.height >= 3 * rs.height,
              Double(r.filledArea) >= 0.85 * Double(r.boxArea) || isQuadrilateral(id) else { return false }
        let hole = rs[largest]
        let around = r.parent >= 0 ? rs[r.parent].level : outerLevel
        let isHole = hole.children.isEmpty && abs(hole.level - around) <= 0.5 * abs(r.level - around)
            && 6 * inscribedRadius(largest) >= hole.extent && Double(hole.area) >= 0.75 * hullArea(of: largest, rs)
        return !isHole
    }

    /// Whether a region is a convex quadrilateral that is no rectangle along the picture's axes (a
    /// sheet turned on a desk, or seen in perspective): 1000 pixels or more (a photographed sheet,
    /// not a digit in a small picture), filling half its box or more, 90% of its convex hull, and no
    /// more than 1.15 times the quadrilateral between its topmost, rightmost, bottommost and
    /// leftmost pixels (a turned rectangle fills exactly that; an ellipse, a thick 0, 1.57 times it).
    func isQuadrilateral(_ id: Int) -> Bool {
        let r = rs[id]
        guard r.filledArea >= 1000, 2 * r.filledArea >= r.boxArea, Double(r.filledArea) >= 0.9 * hullArea(of: id, rs) else { return false }
        let corners = extremeCorners(id)
        var twice = 0.0
        for i in corners.indices {
            let a = corners[i], b = corners[(i + 1) % 4]
            twice += a.x * b.y - b.x * a.y
        }
        // Pixel centres lie half a pixel inside the region's edge: half its perimeter more.
        return Double(r.filledArea) <= 1.15 * (abs(twice) / 2 + Double(r.width + r.height))
    }

    /// The topmost, rightmost, bottommost and leftmost pixel centres of a region: for a turned
    /// rectangle, its corners in order.
    func extremeCorners(_ id: Int) -> [(x: Double, y: Double)] {
        let r = rs[id]
        var top = (x: 0, y: Int.max), bottom = (x: 0, y: -1), left = (x: Int.max, y: 0), right = (x: -1, y: 0)
        for y in r.minY...r.maxY {
            for x in r.minX...r.maxX where rs.label[y * rs.width + x] == Int32(id) {
                if y < top.y { top = (x, y) }
                if y > bottom.y { bottom = (x, y) }
                if x < left.x { left = (x, y) }
                if x > right.x { right = (x, y) }
            }
        }
        return [top, right, bottom, left].map { (x: Double($0.x) + 0.5, y: Double($0.y) + 0.5) }
    }

    /// How far a surface is turned, clockwise as displayed, in degrees (-45...45): the mean
    /// direction of its four sides, each taken modulo a right angle, when they agree within 6
    /// degrees (a sheet seen in perspective is a little narrower at the far edge). 0 for the regions
    /// around everything, a surface cut by the picture's edge (its corners are not the sheet's), one
    /// that is no quadrilateral, or an upright rectangle (whose extreme pixels are no corners).
    func tilt(of id: Int) -> Double {
        guard id >= 0, !rs[id].touchesBorder, isQuadrilateral(id) else { return 0 }
        let corners = extremeCorners(id)
        let sides = corners.indices.map { i in
            let a = corners[i], b = corners[(i + 1) % 4]
            var degrees = atan2(b.y - a.y, b.x - a.x) * 180 / .pi
            while degrees > 45 { degrees -= 90 }
            while degrees <= -45 { degrees += 90 }
            return degrees
        }
        guard let low = sides.min(), let high = sides.max(), high - low <= 6 else { return 0 }
        return sides.reduce(0, +) / 4
    }

    /// How far the innermost pixel of a region is from its edge (chessboard distance, in pixels):
    /// half the width of its thickest part.
    func inscribedRadius(_ id: Int) -> Int {
        let r = rs[id], w = r.width + 2, h = r.height + 2  // with a ring of outside around the box
        var distance = [Int32](repeating: 0, count: w * h)
        for y in 0..<r.height {
            for x in 0..<r.width where rs.label[(r.minY + y) * rs.width + r.minX + x] == Int32(id) {
                distance[(y + 1) * w + x + 1] = Int32.max / 2
            }
        }
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) where distance[y * w + x] > 0 {
                let i = y * w + x
                distance[i] = min(distance[i], 1 + min(distance[i - 1], distance[i - w - 1], distance[i - w], distance[i - w + 1]))
            }
        }
        var deepest: Int32 = 0
        for y in (1..<(h - 1)).reversed() {
            for x in (1..<(w - 1)).reversed() where distance[y * w + x] > 0 {
                let i = y * w + x
                distance[i] = min(distance[i], 1 + min(distance[i + 1], distance[i + w - 1], distance[i + w], distance[i + w + 1]))
                deepest = max(deepest, distance[i])
            }
        }
        return Int(deepest)
    }

    /// The paper inside a frame or form box, or nil when `id` is not one: a thin rectangular ring
    /// (under 40% of what it encloses) whose inside spans most of it and holds a real mark.
    func frameInterior(_ id: Int) -> Int? {
        let r = rs[id]
        guard let inside = r.children.max(by: { rs[$0].filledArea < rs[$1].filledArea }),
              Double(r.filledArea) >= 0.85 * Double(r.boxArea), Double(r.area) <= 0.4 * Double(r.filledArea) else { return nil }
        let paper = rs[inside]
        guard 10 * paper.width >= 7 * r.width, 10 * paper.height >= 7 * r.height,
              let mark = paper.children.max(by: { rs[$0].filledArea < rs[$1].filledArea }),
              100 * rs[mark].extent >= 15 * paper.extent else { return nil }
        return inside
    }
}

/// The surface a digit is drawn on, as masks over the picture's pixels.
struct Surface {
    /// Every pixel of the surface's region(s), the marks' faint edges included.
    var all: [Bool]
    /// Its pixels whose 8 neighbours are on it too: no anti-aliased fringe.
    var inner: [Bool]
    /// When the surface holds two distinct levels (a white canvas in light-grey chrome, a sheet
    /// on a light desk): its inner pixels in the connected part at the level around the digit.
    var part: [Bool]?

    init(all: [Bool], width w: Int, height h: Int) {
        self.all = all
        // Separably: a pixel's column of three, then a row of three such columns.
        var column = all, inner = all
        all.withUnsafeBufferPointer { all in
            column.withUnsafeMutableBufferPointer { column in
                for y in 0..<h {
                    for x in 0..<w where all[y * w + x] {
                        column[y * w + x] = (y == 0 || all[(y - 1) * w + x]) && (y == h - 1 || all[(y + 1) * w + x])
                    }
                }
                inner.withUnsafeMutableBufferPointer { inner in
                    for y in 0..<h {
                        for x in 0..<w {
                            let i = y * w + x
                            inner[i] = column[i] && (x == 0 || column[i - 1]) && (x == w - 1 || column[i + 1])
                        }
                    }
                }
            }
        }
        self.inner = inner
    }

    /// Where the paper's level is measured: inner pixels, of the part around the digit if any.
    func isPaper(_ i: Int) -> Bool { part.map { $0[i] } ?? inner[i] }

    /// Inner pixels at the surface's other level.
    func isElsewhere(_ i: Int) -> Bool { part.map { !$0[i] && inner[i] } ?? false }
}

/// The surface under a mark (region `surfaceID`, or for -1 the regions around everything). It
/// holds two distinct levels when Otsu's split of its inner pixels (up to ~2^13 of them, evenly
/// spread) gives two classes whose medians differ by 6 times the noise, each holding a tenth of
/// the pixels, with 90% of all within 3 noises (or 15% of the difference) of one median: two flat
/// areas, not a ramp of light; then the part around the mark is the connected part at the
/// level most inner pixels near it have (within a quarter of its size).
func surfaceUnder(_ markID: Int, on surfaceID: Int, _ rs: Regions, smooth: GreyImage, noise: Float,
                          quantum: Float) -> Surface {
    let ids = surfaceID >= 0 ? [surfaceID] : rs.regions.indices.filter {
        rs[$0].touchesBorder && rs[$0].isLight == rs.outerIsLight
    }
    var isSurface = [Bool](repeating: false, count: rs.regions.count)
    for id in ids { isSurface[id] = true }
    let w = rs.width, h = rs.height
    var surface = Surface(all: rs.label.map { isSurface[Int($0)] }, width: w, height: h)
    let stride = max(1, w * h / (1 << 13))
    let values = Swift.stride(from: 0, to: w * h, by: stride).compactMap { surface.inner[$0] ? smooth.values[$0] : nil }
    guard let split = otsuSplit(values) else { return surface }
    let dark = values.filter { $0 < split.threshold }, light = values.filter { $0 >= split.threshold }
    let darkLevel = medianOf(dark), lightLevel = medianOf(light), gap = lightLevel - darkLevel
    let tolerance = max(3 * noise, 2 * quantum, 0.15 * gap)
    let nearLevels = values.filter { abs($0 - darkLevel) <= tolerance || abs($0 - lightLevel) <= tolerance }.count
    guard gap >= max(4 * quantum, 6 * noise), 10 * nearLevels >= 9 * values.count,
          10 * light.count >= values.count, 10 * dark.count >= values.count else { return surface }
    let window = around(rs[markID].bounds, in: rs)
    var seeds: [Int] = [], lightSeeds = 0
    for y in window.y..<(window.y + window.height) {
        for x in window.x..<(window.x + window.width) where surface.inner[y * w + x] {
            seeds.append(y * w + x)
            if smooth.values[y * w + x] >= split.threshold { lightSeeds += 1 }
        }
    }
    guard !seeds.isEmpty else { return surface }
    let side = 2 * lightSeeds >= seeds.count
    var part = [Bool](repeating: false, count: w * h)
    var stack = seeds.filter { (smooth.values[$0] >= split.threshold) == side }.map { (x: $0 % w, y: $0 / w) }
    part.withUnsafeMutableBufferPointer { part in
        smooth.values.withUnsafeBufferPointer { v in
            surface.inner.withUnsafeBufferPointer { inner in
                for p in stack { part[p.y * w + p.x] = true }
                while let (x, y) = stack.popLast() {
                    for ny in (y > 0 ? y - 1 : y)...(y < h - 1 ? y + 1 : y) {
                        for nx in (x > 0 ? x - 1 : x)...(x < w - 1 ? x + 1 : x) {
                            let j = ny * w + nx
                            if !part[j] && inner[j] && (v[j] >= split.threshold) == side { part[j] = true; stack.append((nx, ny)) }
                        }
                    }
                }
            }
        }
    }
    surface.part = part
    return surface
}

/// A mark's box grown by a quarter of its size (2 pixels at least) on each side, within the picture.
func around(_ box: PixelRect, in rs: Regions) -> PixelRect {
    let margin = max(2, max(box.width, box.height) / 4)
    let x0 = max(0, box.x - margin), y0 = max(0, box.y - margin)
    return (x0, y0, min(rs.width, box.x + box.width + margin) - x0, min(rs.height, box.y + box.height + margin) - y0)
}

/// Whether a mark sits on the part of the surface around the digit: most inner surface pixels
/// near it are.
func isOnPaper(_ markID: Int, _ surface: Surface, _ rs: Regions) -> Bool {
    let window = around(rs[markID].bounds, in: rs), w = rs.width
    var paper = 0, elsewhere = 0
    guard surface.part != nil else { return true }
    for y in window.y..<(window.y + window.height) {
        for x in window.x..<(window.x + window.width) {
            if surface.isPaper(y * w + x) { paper += 1 } else if surface.isElsewhere(y * w + x) { elsewhere += 1 }
        }
    }
    return paper >= elsewhere
}
