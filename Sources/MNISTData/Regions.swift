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

/// Labels the dark (below `threshold`) and light regions of `grey` and how they nest.
func regions(of grey: GreyImage, splitAt threshold: Float) -> Regions {
    let w = grey.width, h = grey.height
    var label = [Int32](repeating: -1, count: w * h)
    var regions: [Region] = []
    var stack: [Int] = []
    var ringLight = 0, ringTotal = 0
    grey.values.withUnsafeBufferPointer { v in
        label.withUnsafeMutableBufferPointer { label in
            for start in 0..<(w * h) where label[start] < 0 {
                let light = v[start] >= threshold
                let id = Int32(regions.count)
                var r = Region(isLight: light, firstPixel: start)
                let above = start - w
                if above >= 0 { r.parent = Int(label[above]) }  // row above the first pixel: outside this region
                label[start] = id
                stack.append(start)
                while let i = stack.popLast() {
                    let x = i % w, y = i / w
                    let value = Double(v[i]), dx = Double(x), dy = Double(y)
                    r.area += 1
                    r.sumValue += value
                    r.sumX += dx; r.sumY += dy; r.sumXX += dx * dx; r.sumYY += dy * dy; r.sumXY += dx * dy
                    r.minX = min(r.minX, x); r.maxX = max(r.maxX, x); r.minY = min(r.minY, y); r.maxY = max(r.maxY, y)
                    for ny in max(0, y - 1)...min(h - 1, y + 1) {
                        for nx in max(0, x - 1)...min(w - 1, x + 1) {
                            let j = ny * w + nx
                            if label[j] < 0 && (v[j] >= threshold) == light { label[j] = id; stack.append(j) }
                        }
                    }
                }
                r.touchesBorder = r.minX == 0 || r.minY == 0 || r.maxX == w - 1 || r.maxY == h - 1
                if r.touchesBorder { r.parent = -1 }
                regions.append(r)
            }
            for y in 0..<h {
                for x in 0..<w where x == 0 || y == 0 || x == w - 1 || y == h - 1 {
                    ringTotal += 1
                    if regions[Int(label[y * w + x])].isLight { ringLight += 1 }
                }
            }
        }
    }
    for id in regions.indices where regions[id].parent >= 0 { regions[regions[id].parent].children.append(id) }
    for id in regions.indices.reversed() {  // children come after their parents
        regions[id].filledArea += regions[id].area
        if regions[id].parent >= 0 { regions[regions[id].parent].filledArea += regions[id].filledArea }
    }
    return Regions(width: w, height: h, label: label, regions: regions, outerIsLight: 2 * ringLight > ringTotal)
}
