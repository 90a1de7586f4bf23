/// The picture without the lines that cross it from edge to edge: the rules of notebook paper, its
/// margin line, the grid of squared paper. They belong to the paper, not to the ink, whatever their
/// colour (a red margin on white is as dark as ink in lightness). Horizontal lines are found row by
/// row and vertical ones column by column (see `lineBands`); each band of line rows is then painted
/// over with what lies just above and below it, blended linearly across the band, so where a digit's
/// stroke crosses a rule the stroke continues through it instead of being cut.
/// `noise` is the picture's pixel noise and `quantum` one step of its levels.
func withoutRuledLines(_ grey: GreyImage, noise: Float, quantum: Float) -> GreyImage {
    let threshold = max(4 * noise, 2 * quantum, 3)
    var grey = grey
    let rows = lineBands(grey, threshold: threshold)
    if !rows.isEmpty { grey = bandsFilled(grey, rows, threshold: threshold) }
    let flipped = transposed(grey)
    let columns = lineBands(flipped, threshold: threshold)
    if !columns.isEmpty { grey = transposed(bandsFilled(flipped, columns, threshold: threshold)) }
    return grey
}

/// Rows along a line, whether the line is darker than the paper (else lighter), and how far it
/// stands out from the paper beside it (its rows' typical contrast, the strongest of them).
struct LineBand: Equatable {
    var rows: ClosedRange<Int>
    var isDark: Bool
    var contrast: Float
}

/// The rows of `grey` that horizontal lines run along, as bands of consecutive rows grown by a row
/// on each side (a line's anti-aliased edge). A pixel is on a line when it is darker (or lighter)
/// than both the pixels d rows above and below it by `threshold`, for d = 2, 4 or 7 (lines up to
/// about 12 pixels thick), and by a third of the row's typical contrast: a ruled line stands out
/// evenly from edge to edge, while a line that stops short of the edges (an underline, a form
/// box) reaches them only through its faint halo (a JPEG's ringing, a blur), which is no line.
/// A row is on a line when such pixels are found within 2% of both ends of the row (4 pixels at
/// least: a crossing line hides it there) and fill 75% of it: a digit's stroke, however flat,
/// never reaches both edges, and where the digit crosses the line the line may be hidden for a
/// while. Where a dark and a light band touch, the fainter is the other's halo (a JPEG's ringing
/// beside a rule) or the paper between two rules, and is dropped.
func lineBands(_ grey: GreyImage, threshold: Float) -> [LineBand] {
    let w = grey.width, h = grey.height
    guard w >= 8, h >= 5 else { return [] }
    let reach = max(4, w / 50)
    var isLine = [Bool?](repeating: nil, count: h)
    var rowContrast = [Float](repeating: 0, count: h)
    /// The row's typical contrast when its pixels on a line run from edge to edge and fill 75% of it.
    func acrossContrast(_ contrast: [Float]) -> Float? {
        let standing = contrast.filter { $0 >= threshold }
        guard 4 * standing.count >= 3 * w else { return nil }
        let typical = medianOf(standing), floor = max(threshold, typical / 3)
        guard let first = contrast.firstIndex(where: { $0 >= floor }), let last = contrast.lastIndex(where: { $0 >= floor }),
              first < reach, last >= w - reach, 4 * contrast.filter({ $0 >= floor }).count >= 3 * w else { return nil }
        return typical
    }
    var dark = [Float](repeating: 0, count: w), light = dark
    grey.values.withUnsafeBufferPointer { v in
        for y in 1..<(h - 1) {
            for x in 0..<w {
                let here = v[y * w + x]
                var darker = -Float.infinity, lighter = -Float.infinity
                for d in [2, 4, 7] {
                    let above = v[max(0, y - d) * w + x], below = v[min(h - 1, y + d) * w + x]
                    darker = max(darker, min(above, below) - here)
                    lighter = max(lighter, here - max(above, below))
                }
                dark[x] = darker
                light[x] = lighter
            }
            if let contrast = acrossContrast(dark) {
                (isLine[y], rowContrast[y]) = (true, contrast)
            } else if let contrast = acrossContrast(light) {
                (isLine[y], rowContrast[y]) = (false, contrast)
            }
        }
    }
    var bands: [LineBand] = []
    var y = 0
    while y < h {
        guard let isDark = isLine[y] else { y += 1; continue }
        var end = y
        while end + 1 < h && isLine[end + 1] == isDark { end += 1 }
        let band = LineBand(rows: max(0, y - 1)...min(h - 1, end + 1), isDark: isDark,
                            contrast: rowContrast[y...end].max() ?? 0)
        if let last = bands.last, last.isDark == isDark, last.rows.upperBound >= band.rows.lowerBound - 1 {
            bands[bands.count - 1].rows = last.rows.lowerBound...band.rows.upperBound
            bands[bands.count - 1].contrast = max(last.contrast, band.contrast)
        } else {
            bands.append(band)
        }
        y = end + 1
    }
    return bands.filter { band in
        !bands.contains { other in
            other.isDark != band.isDark && other.contrast > band.contrast
                && other.rows.lowerBound <= band.rows.upperBound + 1 && band.rows.lowerBound <= other.rows.upperBound + 1
        }
    }
}

/// Each band of rows painted over, column by column, with the straight blend from the pixel just
/// above it to the pixel just below it (the one that exists, at the picture's edge). Ink lying on
/// the line stays: a pixel that stands out from the row's own median level (the line's colour) by
/// `threshold` and by a quarter of the line's contrast, on the side away from the paper, keeps whichever of it and the blend is inkier, so a
/// digit's bar that runs along a rule is not wiped out with it.
func bandsFilled(_ grey: GreyImage, _ bands: [LineBand], threshold: Float) -> GreyImage {
    var out = grey
    let w = grey.width, h = grey.height
    for band in bands {
        let above = band.rows.lowerBound - 1, below = band.rows.upperBound + 1
        guard above >= 0 || below < h else { continue }
        let sign: Float = band.isDark ? 1 : -1
        // The line itself wavers along its length (a JPEG's blocks) by more than the paper's noise.
        let inkStep = max(threshold, band.contrast / 4)
        let levels = band.rows.map { y in medianOf(Array(grey.values[(y * w)..<((y + 1) * w)])) }
        for x in 0..<w {
            let top = above >= 0 ? grey[x, above] : grey[x, below]
            let bottom = below < h ? grey[x, below] : top
            for (k, y) in band.rows.enumerated() {
                let blend = top + (bottom - top) * Float(y - above) / Float(below - above)
                let isInk = sign * (levels[k] - grey[x, y]) >= inkStep
                out[x, y] = isInk ? (band.isDark ? min(grey[x, y], blend) : max(grey[x, y], blend)) : blend
            }
        }
    }
    return out
}

/// Rows become columns.
func transposed(_ grey: GreyImage) -> GreyImage {
    var out = GreyImage(width: grey.height, height: grey.width)
    for y in 0..<grey.height {
        for x in 0..<grey.width { out[y, x] = grey[x, y] }
    }
    return out
}
