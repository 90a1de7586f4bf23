/// Pieces of one digit, the largest first: a mark joins a group when their boxes overlap, or when
/// it is a quarter of the group's size or more (an eighth for a bar) and either nearly touches it
/// (within a tenth of the group's height) or is close (a fifth of the taller one's height aside, a
/// quarter above or below; a third either way for a bar), not beside it at full height, with the
/// two together not much wider than tall: a 5's detached bar, the pieces of a broken 3. Specks
/// and icons stay apart unless inside the box; two tall marks side by side stay apart ("11", "42").
func groupedIntoDigits(_ marks: [Int], _ rs: Regions) -> [[Int]] {
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

/// The smallest rectangle holding both.
func union(_ a: PixelRect, _ b: PixelRect) -> PixelRect {
    let x0 = min(a.x, b.x), y0 = min(a.y, b.y)
    return (x0, y0, max(a.x + a.width, b.x + b.width) - x0, max(a.y + a.height, b.y + b.height) - y0)
}

/// A group of marks as one digit: its box, moments and ink, whether a mark has a hole (a child of
/// 5% of its filled area or more: not a speck of paper in a stroke) and whether it is one convex piece.
func digitMarks(_ marks: [Int], _ rs: Regions) -> DigitMarks {
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

/// Whether the rectangles share a pixel.
func overlaps(_ a: PixelRect, _ b: PixelRect) -> Bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}
