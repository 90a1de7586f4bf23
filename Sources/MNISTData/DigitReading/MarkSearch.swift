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
    /// How far that surface is turned, clockwise as displayed, in degrees (a sheet lying askew).
    var tilt: Double
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
        c.surface == main.surface && c.mark != main.mark && isOnPaper(c.mark, surface, rs) && !isClutter(rs[c.mark], beside: m)
    }.map(\.mark)
    siblings.insert(main.mark, at: 0)
    let groups = groupedIntoDigits(siblings, rs)
    let digits = groups.map { digitMarks($0, rs) }
    let first = digits[groups.firstIndex { $0.contains(main.mark) }!]
    let kept = digits.filter { d in
        d.marks.contains(main.mark)
            || (Double(d.extent) >= 0.4 * Double(first.extent) && Double(d.inkArea) >= 0.15 * Double(first.inkArea)
                && d.shape == .digit)
    }.sorted { $0.bounds.x < $1.bounds.x }
    return FoundMarks(digits: kept, main: kept.firstIndex { $0.marks.contains(main.mark) }!, surface: surface,
                      tilt: search.tilt(of: main.surface))
}

/// Whether a mark on the digit's surface is no part of any digit: cut by the picture's edge; an
/// underline (a horizontal rule below the digit, sticking out on both sides or much wider; a 2's
/// detached base stays within the digit's width); a sparse mark much larger than the digit (a form
/// line, the shadow of a sheet's edge); or a speck far smaller than it and apart from it.
private func isClutter(_ s: Region, beside m: Region) -> Bool {
    if s.touchesBorder { return true }
    let shape = Moments(s)
    let isRule = shape.roundness < 0.25 && shape.degreesFromVertical > 60
    let wider = 20 * (m.minX - s.minX) >= m.width && 20 * (s.maxX - m.maxX) >= m.width || 10 * s.width >= 13 * m.width
    if isRule && wider && shape.sumY / shape.count > Double(m.maxY) { return true }
    if 2 * s.extent > 3 * m.extent && 5 * s.area < s.boxArea { return true }
    return 100 * s.extent < 15 * m.extent && !overlaps(s.bounds, m.bounds)
}
