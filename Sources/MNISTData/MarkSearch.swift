/// The marks that make up one digit.
struct DigitMarks {
    /// Regions of ink.
    var marks: [Int]
    var bounds: PixelRect
    var moments: Moments
    var inkArea: Int
    var hasHole: Bool
    /// One piece that fills 85% of its convex hull or more.
    var isConvex: Bool

    var extent: Int { max(bounds.width, bounds.height) }

    var shape: MarkShape {
        markShape(moments, boxArea: bounds.width * bounds.height, hasHole: hasHole, convex: isConvex)
    }
}

/// The digits found in a picture and the surface they are drawn on.
struct FoundMarks {
    /// Left to right.
    var digits: [DigitMarks]
    /// Which of `digits` holds the largest mark.
    var main: Int
    /// What they are drawn on (paper, canvas, board): their background.
    var surface: Surface
}

/// Finds the digits in a picture split into regions, the way a person would look for them.
///
/// Surfaces are what things are drawn on: the regions around everything (of the class holding
/// most of the picture's edge), and inside them any filled, rectangular region that holds more
/// than a hole (a sheet on a desk, a canvas in a UI, a board in its frame). A thin rectangular
/// ring around marks is a frame or form box, and the paper inside it is a surface. Everything else
/// on a surface is a mark; holes in marks are left alone.
///
/// The digit is the mark that stands out most (see `SurfaceSearch.rank`).
/// Its surface is narrowed to the part at the level around it, when the surface holds two
/// distinct levels (a white canvas in light-grey chrome, a sheet on a light desk). Then the marks
/// on that surface are sorted out: ones cut by the edge, rules below the digit (underlines),
/// sparse marks much larger than it (form lines, the shadow of a sheet's edge) and
/// specks far smaller than it are dropped; the rest are grouped into digits (pieces that touch or
/// stack), and groups nearly as big as the digit's, and shaped like one (not a dot or a dash), are
/// digits too. nil when there is no mark.
/// `smooth` is the picture the regions were split from; `noise` its noise, `quantum` a level step.
func findDigits(_ rs: Regions, smooth: GreyImage, noise: Float, quantum: Float) -> FoundMarks? {
    let search = SurfaceSearch(rs)
    let candidates = search.marksOnSurfaces()
    guard let main = candidates.max(by: { search.rank($0.mark) < search.rank($1.mark) }) else { return nil }
    let m = rs[main.mark]
    let surface = surfaceUnder(main.mark, on: main.surface, rs, smooth: smooth, noise: noise, quantum: quantum)
    var siblings = candidates.filter { c in
        c.surface == main.surface && c.mark != main.mark && isOnPaper(c.mark, surface, rs)
    }.map(\.mark).filter { id in
        let s = rs[id]
        if s.touchesBorder { return false }
        let shape = Moments(s)
        let centreY = shape.sumY / shape.count
        // An underline: a horizontal rule below the digit, sticking out on both sides or much
        // wider (a 2's detached base stays within the digit's width).
        let isRule = shape.roundness < 0.25 && shape.degreesFromVertical > 60
        let wider = 20 * (m.minX - s.minX) >= m.width && 20 * (s.maxX - m.maxX) >= m.width || 10 * s.width >= 13 * m.width
        if isRule && wider && centreY > Double(m.maxY) { return false }
        if 2 * s.extent > 3 * m.extent && 5 * s.area < s.boxArea { return false }  // form lines, edges, shadows
        return 100 * s.extent >= 15 * m.extent || overlaps(s.bounds, m.bounds)  // far smaller and apart: a speck
    }
    siblings.insert(main.mark, at: 0)
    let groups = groupedIntoDigits(siblings, rs)
    let digits = groups.map { digitMarks($0, rs) }
    let first = digits[groups.firstIndex { $0.contains(main.mark) }!]
    let kept = digits.filter { d in
        d.marks.contains(main.mark)
            || (Double(d.extent) >= 0.4 * Double(first.extent) && Double(d.inkArea) >= 0.15 * Double(first.inkArea)
                && d.shape == .digit)
    }.sorted { $0.bounds.x < $1.bounds.x }
    return FoundMarks(digits: kept, main: kept.firstIndex { $0.marks.contains(main.mark) }!, surface: surface)
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
        var column = all
        for y in 0..<h {
            for x in 0..<w where all[y * w + x] {
                column[y * w + x] = (y == 0 || all[(y - 1) * w + x]) && (y == h - 1 || all[(y + 1) * w + x])
            }
        }
        inner = column
        for y in 0..<h {
            for x in 0..<w where column[y * w + x] {
                inner[y * w + x] = (x == 0 || column[y * w + x - 1]) && (x == w - 1 || column[y * w + x + 1])
            }
        }
    }

    /// Where the paper's level is measured: inner pixels, of the part around the digit if any.
    func isPaper(_ i: Int) -> Bool { part.map { $0[i] } ?? inner[i] }

    /// Inner pixels at the surface's other level.
    func isElsewhere(_ i: Int) -> Bool { part.map { !$0[i] && inner[i] } ?? false }
}

/// The surface under a mark (region `surfaceID`, or for -1 the regions around everything). It
/// holds two distinct levels when Otsu's split of its inner pixels (up to ~2^15 of them, evenly
/// spread) gives two classes whose medians differ by 6 times the noise, each holding a tenth of
/// the pixels, with 90% of all within 3 noises (or 15% of the difference) of one median: two flat
/// areas, not a ramp of light; then the part around the mark is the connected part at the
/// level most inner pixels near it have (within a quarter of its size).
private func surfaceUnder(_ markID: Int, on surfaceID: Int, _ rs: Regions, smooth: GreyImage, noise: Float,
                          quantum: Float) -> Surface {
    let ids = surfaceID >= 0 ? [surfaceID] : rs.regions.indices.filter {
        rs[$0].touchesBorder && rs[$0].isLight == rs.outerIsLight
    }
    var isSurface = [Bool](repeating: false, count: rs.regions.count)
    for id in ids { isSurface[id] = true }
    let w = rs.width, h = rs.height
    var surface = Surface(all: rs.label.map { isSurface[Int($0)] }, width: w, height: h)
    let stride = max(1, w * h / (1 << 15))
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
    var stack = seeds.filter { (smooth.values[$0] >= split.threshold) == side }
    for i in stack { part[i] = true }
    while let i = stack.popLast() {
        let x = i % w, y = i / w
        for ny in (y > 0 ? y - 1 : y)...(y < h - 1 ? y + 1 : y) {
            for nx in (x > 0 ? x - 1 : x)...(x < w - 1 ? x + 1 : x) {
                let j = ny * w + nx
                if !part[j] && (smooth.values[j] >= split.threshold) == side && surface.inner[j] { part[j] = true; stack.append(j) }
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
private func isOnPaper(_ markID: Int, _ surface: Surface, _ rs: Regions) -> Bool {
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

/// Pieces of one digit, the largest first: a mark joins a group when their boxes overlap, or when
/// it is a quarter of the group's size or more (an eighth for a bar) and either nearly touches it
/// (within a tenth of the group's height) or is close (a fifth of the taller one's height aside, a
/// quarter above or below; a third either way for a bar), not beside it at full height, with the
/// two together not much wider than tall: a 5's detached bar, the pieces of a broken 3. Specks
/// and icons stay apart unless inside the box; two tall marks side by side stay apart ("11", "42").
private func groupedIntoDigits(_ marks: [Int], _ rs: Regions) -> [[Int]] {
    var groups: [(marks: [Int], box: PixelRect)] = []
    for id in marks.sorted(by: { rs[$0].area > rs[$1].area }) {
        let q = rs[id]
        let home = groups.indices.first { k in
            let g = groups[k].box
            if overlaps(g, q.bounds) { return true }
            let bar = Moments(q).roundness < 0.4  // a stroke's piece, not a speck
            guard (bar ? 8 : 4) * q.extent >= max(g.width, g.height) else { return false }
            let pad = max(1, g.height / 10)
            if overlaps((g.x - pad, g.y - pad, g.width + 2 * pad, g.height + 2 * pad), q.bounds) { return true }
            let h = max(g.height, q.height)
            let xGap = max(g.x - q.maxX - 1, q.minX - g.x - g.width), yGap = max(g.y - q.maxY - 1, q.minY - g.y - g.height)
            let beside = -2 * yGap >= min(g.height, q.height) && 10 * q.height >= 6 * g.height
            let both = union(g, q.bounds)
            let near = bar ? 3 * xGap <= h && 3 * yGap <= h : 5 * xGap <= h && 4 * yGap <= h
            return near && !beside && 5 * both.width <= 9 * both.height
        }
        if let k = home {
            groups[k].marks.append(id)
            groups[k].box = union(groups[k].box, q.bounds)
        } else {
            groups.append(([id], q.bounds))
        }
    }
    return groups.map(\.marks)
}

func union(_ a: PixelRect, _ b: PixelRect) -> PixelRect {
    let x0 = min(a.x, b.x), y0 = min(a.y, b.y)
    return (x0, y0, max(a.x + a.width, b.x + b.width) - x0, max(a.y + a.height, b.y + b.height) - y0)
}

private func digitMarks(_ marks: [Int], _ rs: Regions) -> DigitMarks {
    var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
    var moments = Moments(), area = 0, hole = false
    for id in marks {
        let r = rs[id]
        minX = min(minX, r.minX); minY = min(minY, r.minY); maxX = max(maxX, r.maxX); maxY = max(maxY, r.maxY)
        moments = moments + Moments(r)
        area += r.area
        hole = hole || r.children.contains { 20 * rs[$0].filledArea >= r.filledArea }
    }
    let convex = marks.count == 1 && Double(area) >= 0.85 * hullArea(of: marks[0], rs)
    return DigitMarks(marks: marks, bounds: (minX, minY, maxX - minX + 1, maxY - minY + 1),
                      moments: moments, inkArea: area, hasHole: hole, isConvex: convex)
}

func overlaps(_ a: PixelRect, _ b: PixelRect) -> Bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/// Walks the nesting of regions from the outside in, telling surfaces, frames and marks apart.
private struct SurfaceSearch {
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
    /// rectangular (a sheet, a canvas, a board: 85% of its box), and what it holds is more than a
    /// hole. Its largest hole decides: a hole is a plain convex blob (as thick as a sixth of its
    /// size) with nothing in it, nearer the level of what surrounds the region than the region's
    /// own (the paper showing through a thick 0 or 8, dimmed by blur when small). Digits on a sheet
    /// are strokes, thin or bent, however dark the desk around the sheet is.
    func isSurface(_ id: Int) -> Bool {
        let r = rs[id]
        guard let largest = r.children.max(by: { rs[$0].filledArea < rs[$1].filledArea }),
              10 * r.width >= 3 * rs.width, 10 * r.height >= 3 * rs.height,
              Double(r.filledArea) >= 0.85 * Double(r.boxArea) else { return false }
        let hole = rs[largest]
        let around = r.parent >= 0 ? rs[r.parent].level : outerLevel
        let isHole = hole.children.isEmpty && abs(hole.level - around) <= 0.5 * abs(r.level - around)
            && 6 * inscribedRadius(largest) >= hole.extent && Double(hole.area) >= 0.75 * hullArea(of: largest, rs)
        return !isHole
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

/// Area of the convex hull of a region's pixels (as unit squares).
func hullArea(of id: Int, _ rs: Regions) -> Double {
    let r = rs[id]
    var corners: [(x: Int, y: Int)] = []
    for y in r.minY...r.maxY {
        var left = Int.max, right = -1
        for x in r.minX...r.maxX where rs.label[y * rs.width + x] == Int32(id) { left = min(left, x); right = x }
        if right >= 0 { corners += [(left, y), (right + 1, y), (left, y + 1), (right + 1, y + 1)] }
    }
    return convexHullArea(corners)
}

/// Area of the convex hull of points (Andrew's monotone chain, then the shoelace formula).
func convexHullArea(_ points: [(x: Int, y: Int)]) -> Double {
    let p = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
    guard p.count >= 3 else { return 0 }
    func cross(_ o: (x: Int, y: Int), _ a: (x: Int, y: Int), _ b: (x: Int, y: Int)) -> Int {
        (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
    }
    var hull: [(x: Int, y: Int)] = []
    for pass in 0..<2 {
        let start = hull.count
        for q in pass == 0 ? p : p.reversed() {
            while hull.count >= start + 2 && cross(hull[hull.count - 2], hull[hull.count - 1], q) <= 0 { hull.removeLast() }
            hull.append(q)
        }
        hull.removeLast()
    }
    var twice = 0
    for i in hull.indices {
        let a = hull[i], b = hull[(i + 1) % hull.count]
        twice += a.x * b.y - b.x * a.y
    }
    return Double(abs(twice)) / 2
}
