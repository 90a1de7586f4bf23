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

/// Labels the dark (below `threshold`) and light regions of `grey` and how they nest: one flood
/// fill per region (8-connected), then one pass over the pixels for areas, boxes and moments.
func regions(of grey: GreyImage, splitAt threshold: Float) -> Regions {
    let w = grey.width, h = grey.height
    var label = [Int32](repeating: -1, count: w * h)
    var regions: [Region] = []
    var ringLight = 0, ringTotal = 0
    grey.values.withUnsafeBufferPointer { v in
        label.withUnsafeMutableBufferPointer { label in
            // Every pixel is pushed once, so a stack as large as the picture never overflows. It
            // holds (x, y) pairs, so no pixel index is ever divided.
            let stack = UnsafeMutableBufferPointer<(x: Int32, y: Int32)>.allocate(capacity: w * h)
            defer { stack.deallocate() }
            for start in 0..<(w * h) where label[start] < 0 {
                let light = v[start] >= threshold
                let id = Int32(regions.count)
                var r = Region(isLight: light, firstPixel: start)
                if start >= w { r.parent = Int(label[start - w]) }  // row above the first pixel: outside this region
                regions.append(r)
                label[start] = id
                stack[0] = (Int32(start % w), Int32(start / w))
                var top = 1
                while top > 0 {
                    top -= 1
                    let x = Int(stack[top].x), y = Int(stack[top].y)
                    let x0 = x > 0 ? x - 1 : x, x1 = x < w - 1 ? x + 1 : x
                    for ny in (y > 0 ? y - 1 : y)...(y < h - 1 ? y + 1 : y) {
                        let row = ny * w
                        for nx in x0...x1 where label[row + nx] < 0 && (v[row + nx] >= threshold) == light {
                            label[row + nx] = id
                            stack[top] = (Int32(nx), Int32(ny))
                            top += 1
                        }
                    }
                }
            }
            // Areas, boxes, sums and moments, one pass in raster order (integers are exact).
            let n = regions.count
            var area = [Int](repeating: 0, count: n), minX = [Int](repeating: Int.max, count: n)
            var maxX = [Int](repeating: -1, count: n), minY = [Int](repeating: Int.max, count: n), maxY = maxX
            var sumV = [Double](repeating: 0, count: n)
            var sumX = [Int](repeating: 0, count: n), sumY = sumX, sumXX = sumX, sumYY = sumX, sumXY = sumX
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x, id = Int(label[i])
                    area[id] += 1
                    if x < minX[id] { minX[id] = x }
                    if x > maxX[id] { maxX[id] = x }
                    if y < minY[id] { minY[id] = y }
                    maxY[id] = y
                    sumV[id] += Double(v[i])
                    sumX[id] += x; sumY[id] += y; sumXX[id] += x * x; sumYY[id] += y * y; sumXY[id] += x * y
                }
            }
            let sums = (0..<n).map { (value: sumV[$0], x: sumX[$0], y: sumY[$0], xx: sumXX[$0], yy: sumYY[$0], xy: sumXY[$0]) }
            for id in 0..<n {
                regions[id].area = area[id]
                regions[id].minX = minX[id]; regions[id].maxX = maxX[id]; regions[id].minY = minY[id]; regions[id].maxY = maxY[id]
            }
            for id in regions.indices {
                let s = sums[id]
                regions[id].sumValue = s.value
                regions[id].sumX = Double(s.x); regions[id].sumY = Double(s.y)
                regions[id].sumXX = Double(s.xx); regions[id].sumYY = Double(s.yy); regions[id].sumXY = Double(s.xy)
                let r = regions[id]
                regions[id].touchesBorder = r.minX == 0 || r.minY == 0 || r.maxX == w - 1 || r.maxY == h - 1
                if regions[id].touchesBorder { regions[id].parent = -1 }
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
