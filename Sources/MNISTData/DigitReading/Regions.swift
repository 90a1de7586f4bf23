/// A picture split at a threshold into connected regions of its dark and light pixels
/// (8-connected), nested as they sit in each other: strokes on a sheet on a desk, a box on paper
/// with paper inside it, the hole of a 0 inside the 0.
struct Regions {
    let width: Int
    let height: Int
    /// The region of each pixel, (height, width) row-major; regions are numbered in the raster
    /// order of their first pixel, so a region's parent has a smaller number than it.
    var label: [Int32]
    var regions: [Region]
    /// Which class holds most of the picture's outermost ring of pixels: what surrounds everything.
    var outerIsLight: Bool

    subscript(_ id: Int) -> Region { regions[id] }
}

/// One connected region of one class, with what the digit search asks of it.
struct Region {
    var isLight: Bool
    /// Its first pixel in raster order; the one above it (if any) is in its parent.
    var firstPixel: Int
    var area = 0
    var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
    var touchesBorder = false
    /// The region around this one (of the other class): the one just above its first pixel;
    /// -1 for regions touching the picture's edge, which nothing surrounds.
    var parent = -1
    var children: [Int] = []
    /// Pixels inside its outer edge: its own and its holes' (and everything in them).
    var filledArea = 0
    /// Sum of its pixels' values, and of x, y, x^2, y^2, xy over its pixels (shape moments).
    var sumValue = 0.0
    var sumX = 0.0, sumY = 0.0, sumXX = 0.0, sumYY = 0.0, sumXY = 0.0

    init(isLight: Bool, firstPixel: Int) {
        self.isLight = isLight
        self.firstPixel = firstPixel
    }

    var width: Int { maxX - minX + 1 }
    var height: Int { maxY - minY + 1 }
    var boxArea: Int { width * height }
    var bounds: PixelRect { (minX, minY, width, height) }
    /// Mean value of its pixels.
    var level: Float { Float(sumValue / Double(area)) }
    /// The longer side of its box.
    var extent: Int { max(width, height) }
}

/// Labels the dark (below `threshold`) and light regions of `grey` and how they nest. Each row is
/// cut into runs of one class; a run joins the runs of its class in the row above that touch it,
/// diagonally included (8-connected), through a union-find over runs; regions are numbered in
/// the raster order of their first pixel. Areas, boxes and moments come from the runs.
func regions(of grey: GreyImage, splitAt threshold: Float) -> Regions {
    let w = grey.width, h = grey.height
    var starts: [Int32] = [], ends: [Int32] = [], rows: [Int32] = [], lights: [Bool] = []
    var rowFirst = [Int](repeating: 0, count: h + 1)  // runs of row y are rowFirst[y]..<rowFirst[y + 1]
    var parent: [Int32] = []
    func root(_ r: Int32) -> Int32 {
        var r = r
        while parent[Int(r)] != r { parent[Int(r)] = parent[Int(parent[Int(r)])]; r = parent[Int(r)] }
        return r
    }
    grey.values.withUnsafeBufferPointer { v in
        for y in 0..<h {
            rowFirst[y] = starts.count
            var x = 0
            while x < w {
                let light = v[y * w + x] >= threshold
                var end = x
                while end + 1 < w && (v[y * w + end + 1] >= threshold) == light { end += 1 }
                let id = Int32(starts.count)
                starts.append(Int32(x)); ends.append(Int32(end)); rows.append(Int32(y)); lights.append(light)
                parent.append(id)
                x = end + 1
            }
            guard y > 0 else { continue }
            // Join each run with the touching runs of its class above (both lists are in x order).
            var q = rowFirst[y - 1]
            for r in rowFirst[y]..<starts.count {
                while q < rowFirst[y] && ends[q] + 1 < starts[r] { q += 1 }
                var k = q
                while k < rowFirst[y] && starts[k] <= ends[r] + 1 {
                    if lights[k] == lights[r] {
                        let a = root(Int32(r)), b = root(Int32(k))
                        if a != b { parent[Int(max(a, b))] = min(a, b) }
                    }
                    k += 1
                }
            }
        }
    }
    rowFirst[h] = starts.count

    // Regions in the raster order of their first run; labels, areas, boxes and moments.
    var label = [Int32](repeating: -1, count: w * h)
    var regions: [Region] = []
    var regionOfRoot = [Int32](repeating: -1, count: starts.count)
    var sums: [(value: Double, x: Int, y: Int, xx: Int, yy: Int, xy: Int)] = []
    grey.values.withUnsafeBufferPointer { v in
        label.withUnsafeMutableBufferPointer { label in
            for r in 0..<starts.count {
                let top = Int(root(Int32(r)))
                let y = Int(rows[r]), x0 = Int(starts[r]), x1 = Int(ends[r]), n = x1 - x0 + 1
                if regionOfRoot[top] < 0 {
                    regionOfRoot[top] = Int32(regions.count)
                    var region = Region(isLight: lights[r], firstPixel: y * w + x0)
                    region.minY = y
                    regions.append(region)
                    sums.append((0, 0, 0, 0, 0, 0))
                }
                let id = Int(regionOfRoot[top])
                var value = 0.0
                for i in (y * w + x0)...(y * w + x1) { label[i] = Int32(id); value += Double(v[i]) }
                // Sums over x = x0...x1 of x and x^2, in closed form.
                let sumX = n * (x0 + x1) / 2
                let sumXX = (x1 * (x1 + 1) * (2 * x1 + 1) - (x0 - 1) * x0 * (2 * x0 - 1)) / 6
                regions[id].area += n
                regions[id].minX = min(regions[id].minX, x0); regions[id].maxX = max(regions[id].maxX, x1)
                regions[id].maxY = y
                sums[id].value += value
                sums[id].x += sumX; sums[id].y += n * y; sums[id].xx += sumXX; sums[id].yy += n * y * y; sums[id].xy += y * sumX
            }
        }
    }
    var ringLight = 0, ringTotal = 0
    for id in regions.indices {
        let s = sums[id]
        regions[id].sumValue = s.value
        regions[id].sumX = Double(s.x); regions[id].sumY = Double(s.y)
        regions[id].sumXX = Double(s.xx); regions[id].sumYY = Double(s.yy); regions[id].sumXY = Double(s.xy)
        let r = regions[id], first = r.firstPixel
        regions[id].touchesBorder = r.minX == 0 || r.minY == 0 || r.maxX == w - 1 || r.maxY == h - 1
        // The pixel above a region's first pixel lies outside it, in the region around it.
        regions[id].parent = regions[id].touchesBorder ? -1 : Int(label[first - w])
    }
    for y in 0..<h {
        for x in 0..<w where x == 0 || y == 0 || x == w - 1 || y == h - 1 {
            ringTotal += 1
            if regions[Int(label[y * w + x])].isLight { ringLight += 1 }
        }
    }
    for id in regions.indices where regions[id].parent >= 0 { regions[regions[id].parent].children.append(id) }
    for id in regions.indices.reversed() {  // children come after their parents
        regions[id].filledArea += regions[id].area
        if regions[id].parent >= 0 { regions[regions[id].parent].filledArea += regions[id].filledArea }
    }
    return Regions(width: w, height: h, label: label, regions: regions, outerIsLight: 2 * ringLight > ringTotal)
}
