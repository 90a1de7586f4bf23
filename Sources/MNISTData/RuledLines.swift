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

/// Rows along a line, and whether the line is darker than the paper (else lighter).
struct LineBand: Equatable {
    var rows: ClosedRange<Int>
    var isDark: Bool
}

/// The rows of `grey` that horizontal lines run along, as bands of consecutive rows grown by a row
/// on each side (a line's anti-aliased edge). A pixel is on a line when it is darker (or lighter)
/// than both the pixels d rows above and below it by `threshold`, for d = 2, 4 or 7 (lines up to
/// about 12 pixels thick); a row is on a line when such pixels are found within 2% of both ends of
/// the row (4 pixels at least: a crossing line hides it there) and fill 75% of it: a digit's
/// stroke, however flat, never reaches both edges, and where the digit crosses the line the line
/// may be hidden for a while.
func lineBands(_ grey: GreyImage, threshold: Float) -> [LineBand] {
    let w = grey.width, h = grey.height
    guard w >= 8, h >= 5 else { return [] }
    let reach = max(4, w / 50)
    var isLine = [Bool?](repeating: nil, count: h)
    grey.values.withUnsafeBufferPointer { v in
        for y in 1..<(h - 1) {
            var dark = 0, light = 0, firstDark = w, lastDark = -1, firstLight = w, lastLight = -1
            for x in 0..<w {
                let here = v[y * w + x]
                var isDark = false, isLight = false
                for d in [2, 4, 7] {
                    let above = v[max(0, y - d) * w + x], below = v[min(h - 1, y + d) * w + x]
                    if here + threshold <= min(above, below) { isDark = true }
                    if here - threshold >= max(above, below) { isLight = true }
                }
                if isDark { dark += 1; firstDark = min(firstDark, x); lastDark = x }
                if isLight { light += 1; firstLight = min(firstLight, x); lastLight = x }
            }
            let acrossDark = firstDark < reach && lastDark >= w - reach && 4 * dark >= 3 * w
            let acrossLight = firstLight < reach && lastLight >= w - reach && 4 * light >= 3 * w
            isLine[y] = acrossDark ? true : (acrossLight ? false : nil)
        }
    }
    var bands: [LineBand] = []
    var y = 0
    while y < h {
        guard let isDark = isLine[y] else { y += 1; continue }
        var end = y
        while end + 1 < h && isLine[end + 1] == isDark { end += 1 }
        let band = LineBand(rows: max(0, y - 1)...min(h - 1, end + 1), isDark: isDark)
        if let last = bands.last, last.isDark == isDark, last.rows.upperBound >= band.rows.lowerBound - 1 {
            bands[bands.count - 1].rows = last.rows.lowerBound...band.rows.upperBound
        } else {
            bands.append(band)
        }
        y = end + 1
    }
    return bands
}

/// Each band of rows painted over, column by column, with the straight blend from the pixel just
/// above it to the pixel just below it (the one that exists, at the picture's edge). Ink lying on
/// the line stays: a pixel that stands out from the row's own median level (the line's colour) by
/// `threshold`, on the side away from the paper, keeps whichever of it and the blend is inkier, so a
/// digit's bar that runs along a rule is not wiped out with it.
func bandsFilled(_ grey: GreyImage, _ bands: [LineBand], threshold: Float) -> GreyImage {
    var out = grey
    let w = grey.width, h = grey.height
    for band in bands {
        let above = band.rows.lowerBound - 1, below = band.rows.upperBound + 1
        guard above >= 0 || below < h else { continue }
        let sign: Float = band.isDark ? 1 : -1
        let levels = band.rows.map { y in medianOf(Array(grey.values[(y * w)..<((y + 1) * w)])) }
        for x in 0..<w {
            let top = above >= 0 ? grey[x, above] : grey[x, below]
            let bottom = below < h ? grey[x, below] : top
            for (k, y) in band.rows.enumerated() {
                let blend = top + (bottom - top) * Float(y - above) / Float(below - above)
                let isInk = sign * (levels[k] - grey[x, y]) >= threshold
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
