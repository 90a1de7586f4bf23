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
