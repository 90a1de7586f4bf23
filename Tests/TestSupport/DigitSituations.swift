import Foundation
import MNISTData

/// The situations in which people make pictures of a digit (issue "predict reads digits the way
/// people draw, photograph and screenshot them"). Each renders a real MNIST digit, scaled up, into
/// one of them, with positions, sizes and levels varied deterministically by the digit's index.
public enum DigitSituation: String, Sendable, CaseIterable {
    /// A white sheet photographed on a darker desk (0...230): the sheet has a shadowed edge and
    /// sometimes runs off the picture; sensor noise; RGB.
    case sheetOnDesk
    /// A screenshot: light-grey UI chrome (236) with toolbar icons, a white canvas with a thin
    /// border, a big black digit; every other one has a dark title bar with window buttons.
    case screenshot
    /// A digit inside a rectangular form box (1-3 px lines) on paper.
    case formBox
    /// Chalk on a dark blackboard inside a light wooden frame.
    case blackboard
    /// White ink whose alpha is the digit on a fully transparent canvas (dark-mode drawing apps).
    case alphaOnlyInk
    /// 16-bit grey using only about 500...3000 of 65535, either polarity.
    case sixteenBitNarrow
    /// 10-20 grey levels of contrast, either polarity, with noise of 1.5 levels.
    case lowContrast
    /// Small digits with a few dust specks (2-4 px), one of them near a corner.
    case dustSpecks
    /// The digit underlined by a hand-drawn rule a little below it.
    case underline
    /// Strokes about twice MNIST's width, as with a thick marker.
    case thickMarker
    /// Grey pencil on textured, mottled, unevenly lit paper; the pencil catches on the grain.
    case pencilOnTexturedPaper
    /// A sheet lying askew on a darker desk (turned 3-12 degrees either way, a little narrower at
    /// the far edge, as a phone sees it), the digit turned with it; sensor noise; RGB.
    case tiltedSheetOnDesk
    /// Notebook paper: blue-grey rules closer together than the digit is tall, so the digit
    /// crosses one or two; every other one has a red margin line to its left; RGB.
    case ruledPaper
    /// Squared paper: a light blue grid, squares about half to two thirds of the digit's height (a digit
    /// written across two squares); RGB.
    case gridPaper
}

/// PNG bytes of `digit` (28x28, ink 255 on 0, MNIST's form) drawn in `situation`; `index` (the
/// digit's place in the test set) chooses sizes, positions and levels. Deterministic.
public func renderSituation(_ situation: DigitSituation, digit: [UInt8], index i: Int) -> [UInt8] {
    precondition(digit.count == 784, "renderSituation: \(digit.count) bytes is not 28x28")
    func pick(_ k: Int, _ low: Float, _ high: Float) -> Float { low + (high - low) * choice(i, k) }
    switch situation {
    case .sheetOnDesk:
        let ink = InkLayer(digit: digit, scale: pick(0, 2, 3.5)), box = inkBox(ink)
        let sheetW = Int(Float(box.width) * pick(1, 1.7, 2.8)) + 16, sheetH = Int(Float(box.height) * pick(2, 1.4, 2.2)) + 16
        let width = Int(Float(sheetW) * pick(3, 1.2, 1.8)), height = Int(Float(sheetH) * pick(4, 1.2, 1.8))
        var sheetX = Int(pick(5, 0.1, 0.9) * Float(width - sheetW)), sheetY = Int(pick(6, 0.1, 0.9) * Float(height - sheetH))
        let crop = Int(pick(20, 0, 3.99))
        if crop == 1 { sheetX = width - sheetW * 15 / 16 }  // the sheet runs off the right edge
        if crop == 3 { sheetY = -sheetH / 16 }            // or off the top
        let desk = pick(7, 0, 230)
        var canvas = Canvas(width: width, height: height, colour: (desk, desk * 0.9, desk * 0.78))
        canvas.add { x, y in 12 * (Float(x + y) / Float(width + height) - 0.5) + 3 * hashNoise(x / 3, y, salt: i) }
        // The sheet's soft shadow on the desk, to its lower right; then the sheet, darkening towards one edge.
        let shadowDepth = 0.3 * min(desk, 150) / 150, blur: Float = 6
        canvas.paint(x0: sheetX, y0: sheetY, x1: sheetX + sheetW + 12, y1: sheetY + sheetH + 12, amount: { x, y in
            let outside = max(Float(x - sheetX - sheetW - 2), Float(y - sheetY - sheetH - 2), 0)
            return shadowDepth * max(0, 1 - outside / blur)
        }, colour: (0, 0, 0))
        let shadedSide = Int(pick(21, 0, 3.99)), reach = pick(8, 0.08, 0.2)
        canvas.paint(x0: sheetX, y0: sheetY, x1: sheetX + sheetW, y1: sheetY + sheetH, amount: { _, _ in 1 }) { x, y in
            let across = Float(x - sheetX) / Float(sheetW), down = Float(y - sheetY) / Float(sheetH)
            let u = shadedSide == 0 ? across : shadedSide == 1 ? 1 - across : shadedSide == 2 ? down : 1 - down
            let shade = u < reach ? 45 * (1 - u / reach) * (1 - u / reach) : 0
            return (250 - shade, 249 - shade, 244 - shade)
        }
        let inner = (x: sheetX + sheetW / 8, y: sheetY + sheetH / 8, width: sheetW * 3 / 4, height: sheetH * 3 / 4)
        let (left, top) = placement(box, within: clippedRect(inner, width, height), i, 9)
        canvas.lay(ink, left: left, top: top, colour: (25, 25, 40))
        canvas.add { x, y in 2 * gaussianNoise(x, y, salt: i) }
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgb))

    case .screenshot:
        let ink = InkLayer(digit: digit, scale: pick(0, 2.5, 4)), box = inkBox(ink)
        let canvasW = Int(Float(box.width) * pick(1, 1.6, 2.6)) + 20, canvasH = Int(Float(box.height) * pick(2, 1.3, 1.8)) + 20
        let titleH = choice(i, 20) < 0.5 ? 22 : 0, toolbarH = 26
        let leftChrome = Int(pick(3, 30, 80)), rightChrome = Int(pick(4, 6, 40)), bottomChrome = Int(pick(5, 6, 30))
        let width = leftChrome + canvasW + rightChrome, height = titleH + toolbarH + canvasH + bottomChrome
        var canvas = Canvas(width: width, height: height, colour: (236, 236, 236))
        if titleH > 0 {
            canvas.paint(y1: titleH, amount: { _, _ in 1 }, colour: (50, 50, 55))
            for (k, colour) in [(255, 95, 87), (255, 189, 46), (39, 201, 63)].enumerated() as EnumeratedSequence<[Colour]> {
                let cx = Float(12 + 18 * k), cy = Float(titleH) / 2
                canvas.paint(x0: Int(cx) - 7, x1: Int(cx) + 8, y1: titleH,
                             amount: { x, y in coverage(distance: length(Float(x) + 0.5 - cx, Float(y) + 0.5 - cy) - 6) },
                             colour: colour)
            }
        }
        for k in 0..<4 {  // toolbar icons
            let x0 = leftChrome + 6 + 22 * k, y0 = titleH + 6
            canvas.paint(x0: x0, y0: y0, x1: x0 + 14, y1: y0 + 14, amount: { x, y in (x + y) % 5 == 0 ? 0.2 : 0.85 }, colour: (60, 60, 70))
        }
        let canvasX = leftChrome, canvasY = titleH + toolbarH
        canvas.paint(x0: canvasX - 1, y0: canvasY - 1, x1: canvasX + canvasW + 1, y1: canvasY + canvasH + 1,
                     amount: { _, _ in 1 }, colour: (200, 200, 200))
        canvas.paint(x0: canvasX, y0: canvasY, x1: canvasX + canvasW, y1: canvasY + canvasH, amount: { _, _ in 1 }, colour: (255, 255, 255))
        let (left, top) = placement(box, within: (canvasX + 4, canvasY + 4, canvasW - 8, canvasH - 8), i, 6)
        canvas.lay(ink, left: left, top: top, colour: (0, 0, 0))
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgb))

    case .formBox:
        let ink = InkLayer(digit: digit, scale: pick(0, 1.5, 3)), box = inkBox(ink)
        let h = Float(box.height), line = 1 + Int(pick(1, 0, 2.99))
        let margins = (2...5).map { Int(h * pick($0, 0.08, 0.35)) + 2 }
        let frame = (x: Int(h * pick(6, 0.05, 0.5)) + 1, y: Int(h * pick(7, 0.05, 0.5)) + 1)
        let boxW = box.width + margins[0] + margins[1] + 2 * line, boxH = box.height + margins[2] + margins[3] + 2 * line
        let width = boxW + frame.x + Int(h * pick(8, 0.05, 0.5)) + 1, height = boxH + frame.y + Int(h * pick(9, 0.05, 0.5)) + 1
        var canvas = Canvas(width: width, height: height, colour: (246, 245, 240))
        canvas.paint(x0: frame.x, y0: frame.y, x1: frame.x + boxW, y1: frame.y + boxH, amount: { x, y in
            let inside = x >= frame.x + line && x < frame.x + boxW - line && y >= frame.y + line && y < frame.y + boxH - line
            return inside ? 0 : 1
        }, colour: (70, 80, 130))
        canvas.lay(ink, left: frame.x + line + margins[0] - box.x, top: frame.y + line + margins[2] - box.y, colour: (20, 20, 30))
        canvas.add { x, y in 1.5 * gaussianNoise(x, y, salt: i) }
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgb))

    case .blackboard:
        let ink = InkLayer(digit: digit, scale: pick(0, 2, 3.5)), box = inkBox(ink)
        let boardW = Int(Float(box.width) * pick(1, 1.6, 2.6)) + 20, boardH = Int(Float(box.height) * pick(2, 1.3, 2)) + 20
        let frameW = Int(Float(min(boardW, boardH)) * pick(3, 0.06, 0.14)) + 2
        let allSides = choice(i, 20) < 0.5  // else only the left and top of the frame are in the picture
        let width = boardW + frameW * (allSides ? 2 : 1), height = boardH + frameW * (allSides ? 2 : 1)
        let tone = pick(4, 0.8, 1.3)
        var canvas = Canvas(width: width, height: height, colour: (195, 155, 105))
        canvas.add { x, y in 10 * hashNoise(x / 7, y, salt: i) }  // wood grain
        canvas.paint(x0: frameW, y0: frameW, x1: frameW + boardW, y1: frameW + boardH, amount: { _, _ in 1 }) { x, y in
            let dust = 5 * (1 + hashNoise(x / 9, y / 9, salt: i + 1))  // chalk dust smeared by the eraser
            return (45 * tone + dust, 62 * tone + dust, 52 * tone + dust)
        }
        let (left, top) = placement(box, within: (frameW + 8, frameW + 8, boardW - 16, boardH - 16), i, 5)
        canvas.lay(ink, left: left, top: top, colour: (235, 235, 225)) { x, y in 0.7 + 0.3 * hashNoise(x, y, salt: i + 2) }
        canvas.add { x, y in 2 * gaussianNoise(x, y, salt: i) }
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgb))

    case .alphaOnlyInk:
        let ink = InkLayer(digit: digit, scale: pick(0, 1, 3))
        let size = Int(Float(ink.size) * pick(1, 1, 1.5))
        let background: Colour = choice(i, 20) < 0.5 ? (0, 0, 0) : (255, 255, 255)  // what an app leaves under alpha 0
        var canvas = Canvas(width: size, height: size, colour: background, alpha: 0)
        let left = Int(pick(2, 0, 1) * Float(size - ink.size)), top = Int(pick(3, 0, 1) * Float(size - ink.size))
        for y in 0..<ink.size where top + y < size {
            for x in 0..<ink.size where left + x < size {
                let a = ink.values[y * ink.size + x], p = (top + y) * size + left + x
                canvas.alpha[p] = a
                if a > 0 { for c in 0..<3 { canvas.rgb[3 * p + c] = 255 } }
            }
        }
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgba))

    case .sixteenBitNarrow:
        let ink = InkLayer(digit: digit, scale: pick(0, 1, 2.5))
        let size = Int(Float(ink.size) * pick(1, 1.05, 1.5))
        let low = pick(2, 400, 700), high = pick(3, 2500, 3200)
        let (paper, inkLevel) = choice(i, 20) < 0.5 ? (high, low) : (low, high)
        let left = Int(pick(4, 0, 1) * Float(size - ink.size)), top = Int(pick(5, 0, 1) * Float(size - ink.size))
        var grey = [UInt16](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let ix = x - left, iy = y - top
                let a = ix >= 0 && iy >= 0 && ix < ink.size && iy < ink.size ? ink.values[iy * ink.size + ix] : 0
                grey[y * size + x] = UInt16((paper + (inkLevel - paper) * a + 15 * gaussianNoise(x, y, salt: i)).rounded())
            }
        }
        return encodeGreyPNG(width: size, height: size, grey16: grey)

    case .lowContrast:
        let ink = InkLayer(digit: digit, scale: pick(0, 1, 2.5))
        let size = Int(Float(ink.size) * pick(1, 1.05, 1.5))
        let paper = pick(2, 60, 200), contrast = pick(3, 10, 20) * (choice(i, 20) < 0.35 ? 1 : -1)
        var canvas = Canvas(width: size, height: size, colour: (paper, paper, paper))
        canvas.lay(ink, left: Int(pick(4, 0, 1) * Float(size - ink.size)), top: Int(pick(5, 0, 1) * Float(size - ink.size)),
                   colour: (paper + contrast, paper + contrast, paper + contrast))
        canvas.add { x, y in 1.5 * gaussianNoise(x, y, salt: i) }
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))

    case .dustSpecks:
        let ink = InkLayer(digit: digit, scale: pick(0, 1, 2)), box = inkBox(ink)
        let size = Int(Float(ink.size) * pick(1, 1, 1.3))
        let left = Int(pick(2, 0, 1) * Float(size - ink.size)), top = Int(pick(3, 0, 1) * Float(size - ink.size))
        let paper = pick(4, 235, 250)
        var canvas = Canvas(width: size, height: size, colour: (paper, paper, paper))
        canvas.lay(ink, left: left, top: top, colour: (30, 30, 30))
        let digitRect = (x: left + box.x - 2, y: top + box.y - 2, width: box.width + 4, height: box.height + 4)
        let specks = 2 + Int(pick(5, 0, 2.99))
        for k in 0..<specks {
            let side = 2 + Int(pick(10 + 4 * k, 0, 2.99))
            var x = 0, y = 0
            for attempt in 0..<20 {  // somewhere off the digit; the first near a corner
                let reach: Float = k == 0 ? 0.15 : 1
                x = Int(pick(11 + 4 * k + 100 * attempt, 0, reach) * Float(size - side))
                y = Int(pick(12 + 4 * k + 100 * attempt, 0, reach) * Float(size - side))
                if k == 0 && choice(i, 20) < 0.5 { x = size - side - x }
                if !overlaps((x, y, side, side), digitRect) { break }
            }
            let level = pick(13 + 4 * k, 20, 80)
            canvas.paint(x0: x, y0: y, x1: x + side, y1: y + side, amount: { px, py in
                let corner = (px == x || px == x + side - 1) && (py == y || py == y + side - 1)
                return corner && side > 2 ? 0.4 : 1
            }, colour: (level, level, level))
        }
        canvas.add { x, y in 1.5 * gaussianNoise(x, y, salt: i) }
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))

    case .underline:
        let scale = pick(0, 1.5, 3)
        let ink = InkLayer(digit: digit, scale: scale), box = inkBox(ink)
        let thickness = 2.2 * scale * pick(1, 0.8, 1.2), gap = max(2, Float(box.height) * pick(2, 0.06, 0.2))
        let length = max(Float(box.width) * pick(3, 1.2, 2), Float(box.height) * 0.6)
        let slope = pick(4, -0.04, 0.04)
        let width = Int(length) + 2 * Int(Float(box.height) * pick(5, 0.1, 0.4)) + 4
        let height = box.height + Int(gap + thickness) + 2 * Int(Float(box.height) * pick(6, 0.1, 0.4)) + 4
        var canvas = Canvas(width: width, height: height, colour: (248, 248, 248))
        let digitLeft = (width - box.width) / 2 + Int(Float(box.width) * pick(7, -0.15, 0.15))
        let digitTop = (height - box.height - Int(gap + thickness)) / 2
        canvas.lay(ink, left: digitLeft - box.x, top: digitTop - box.y, colour: (20, 20, 20))
        let centreX = Float(digitLeft) + Float(box.width) / 2 + Float(box.width) * pick(8, -0.1, 0.1)
        let lineY = Float(digitTop + box.height) + gap + thickness / 2
        let start = (x: centreX - length / 2, y: lineY - slope * length / 2), end = (x: centreX + length / 2, y: lineY + slope * length / 2)
        canvas.paint(amount: { x, y in
            coverage(distance: segmentDistance(Float(x) + 0.5, Float(y) + 0.5, start, end) - thickness / 2)
        }, colour: (20, 20, 20))
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))

    case .thickMarker:
        let scale = pick(0, 2, 3)
        let ink = InkLayer(digit: digit, scale: scale).thickened(radius: scale * pick(1, 0.8, 1.3))
        let size = ink.size + Int(Float(ink.size) * pick(2, 0, 0.3))
        var canvas = Canvas(width: size, height: size, colour: (255, 255, 255))
        canvas.lay(ink, left: Int(pick(3, 0, 1) * Float(size - ink.size)), top: Int(pick(4, 0, 1) * Float(size - ink.size)),
                   colour: (25, 35, 90))
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgb))

    case .pencilOnTexturedPaper:
        let ink = InkLayer(digit: digit, scale: pick(0, 2, 3))
        let size = ink.size + Int(Float(ink.size) * pick(1, 0.05, 0.4))
        let paper = pick(2, 205, 225), graphite = pick(3, 100, 140)
        var canvas = Canvas(width: size, height: size, colour: (paper, paper, paper))
        canvas.lay(ink, left: Int(pick(4, 0, 1) * Float(size - ink.size)), top: Int(pick(5, 0, 1) * Float(size - ink.size)),
                   colour: (graphite, graphite, graphite)) { x, y in 0.75 + 0.25 * hashNoise(x, y, salt: i + 7) }
        let light = pick(6, -1, 1)
        canvas.add { x, y in
            let shading = 24 * light * (Float(x) / Float(size) - 0.5)
            let mottling = 5 * smoothNoise(Float(x) / 9, Float(y) / 9, salt: i)
            return shading + mottling + 8 * hashNoise(x, y, salt: i + 3)
        }
        return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))

    case .tiltedSheetOnDesk:
        let degrees = pick(0, 3, 12) * (choice(i, 20) < 0.5 ? 1 : -1)
        return tiltedSheet(InkLayer(digit: digit, scale: pick(1, 2, 3.5)), degrees: degrees, keystone: pick(2, 0, 0.08),
                           desk: pick(3, 20, 170), index: i)

    case .ruledPaper:
        let ink = InkLayer(digit: digit, scale: pick(0, 1.5, 3)), box = inkBox(ink)
        let width = Int(Float(box.width) * pick(1, 2, 3.5)) + 20, height = Int(Float(box.height) * pick(2, 1.4, 2.2)) + 10
        let margin: Float? = choice(i, 20) < 0.5 ? Float(width) * pick(3, 0.08, 0.15) : nil
        let leftmost = Int(margin ?? 0) + 6
        let left = leftmost + Int(pick(4, 0, 1) * Float(width - leftmost - box.width - 4)) - box.x
        let top = Int(pick(5, 0.2, 0.8) * Float(height - box.height)) - box.y
        return linedPaper(ink, width: width, height: height, left: left, top: top, rule: Float(box.height) * pick(6, 0.35, 0.6),
                          column: 0, lineWidth: pick(7, 1, 2.5), lineColour: (140, 160, 195), margin: margin, index: i)

    case .gridPaper:
        let ink = InkLayer(digit: digit, scale: pick(0, 1.5, 3)), box = inkBox(ink)
        let width = Int(Float(box.width) * pick(1, 1.8, 3)) + 10, height = Int(Float(box.height) * pick(2, 1.4, 2.2)) + 10
        let left = Int(pick(4, 0.15, 0.85) * Float(width - box.width)) - box.x
        let top = Int(pick(5, 0.15, 0.85) * Float(height - box.height)) - box.y
        let square = Float(box.height) * pick(6, 0.45, 0.7)
        return linedPaper(ink, width: width, height: height, left: left, top: top, rule: square, column: square,
                          lineWidth: pick(7, 1, 1.8), lineColour: (150, 180, 215), margin: nil, index: i)
    }
}

/// A sheet turned by `degrees` (clockwise) on a desk, its far (top) edge narrowed by `keystone`
/// (0.05: 5% narrower), the digit written on it upright in the sheet's own frame.
func tiltedSheet(_ ink: InkLayer, degrees: Float, keystone: Float, desk: Float, index i: Int) -> [UInt8] {
    let box = inkBox(ink)
    func pick(_ k: Int, _ low: Float, _ high: Float) -> Float { low + (high - low) * choice(i, k) }
    let sheetW = Float(box.width) * pick(30, 1.8, 2.8) + 16, sheetH = Float(box.height) * pick(31, 1.4, 2) + 16
    let turn = degrees * .pi / 180, c = cos(turn), s = sin(turn)
    let spanW = sheetW * c + sheetH * abs(s), spanH = sheetW * abs(s) + sheetH * c
    let width = Int(spanW * pick(32, 1.15, 1.5)), height = Int(spanH * pick(33, 1.15, 1.5))
    let centre = (x: Float(width) * pick(34, 0.45, 0.55), y: Float(height) * pick(35, 0.45, 0.55))
    // Where the digit's box centre sits on the sheet (sheet coordinates, origin at its centre).
    let digitAt = (x: (sheetW - Float(box.width)) * pick(36, -0.25, 0.25), y: (sheetH - Float(box.height)) * pick(37, -0.25, 0.25))
    /// A picture point in the sheet's frame: turned back, and widened towards the far edge.
    func onSheet(_ x: Float, _ y: Float) -> (u: Float, v: Float) {
        let dx = x - centre.x, dy = y - centre.y
        let v = -s * dx + c * dy, u = c * dx + s * dy
        let narrowing = 1 - keystone * (0.5 - v / sheetH)
        return (u / narrowing, v)
    }
    var canvas = Canvas(width: width, height: height, colour: (desk, desk * 0.92, desk * 0.8))
    canvas.add { x, y in 3 * hashNoise(x / 4, y / 2, salt: i) }
    canvas.paint(amount: { x, y in
        let p = onSheet(Float(x) + 0.5, Float(y) + 0.5)
        return coverage(distance: max(abs(p.u) - sheetW / 2, abs(p.v) - sheetH / 2))
    }) { x, y in
        let p = onSheet(Float(x) + 0.5, Float(y) + 0.5), shade = 20 * (p.u / sheetW + 0.5)
        return (248 - shade, 247 - shade, 242 - shade)
    }
    canvas.paint(amount: { x, y in
        let p = onSheet(Float(x) + 0.5, Float(y) + 0.5)
        return ink.sample(p.u - digitAt.x + Float(box.x) + Float(box.width) / 2, p.v - digitAt.y + Float(box.y) + Float(box.height) / 2)
    }, colour: (25, 25, 45))
    canvas.add { x, y in 2 * gaussianNoise(x, y, salt: i) }
    return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgb))
}

/// Paper with lines across it: horizontal rules every `rule` pixels (none for 0), vertical lines
/// every `column` pixels (none for 0), an optional margin line at `margin`; the digit at (left, top).
func linedPaper(_ ink: InkLayer, width: Int, height: Int, left: Int, top: Int, rule: Float, column: Float,
                lineWidth: Float, lineColour: Colour, margin: Float?, index i: Int) -> [UInt8] {
    var canvas = Canvas(width: width, height: height, colour: (250, 250, 246))
    let offset = (x: choice(i, 40) * max(column, 1), y: choice(i, 41) * max(rule, 1))
    func across(_ p: Float, _ spacing: Float, _ start: Float) -> Float {
        guard spacing > 0 else { return .infinity }
        let t = (p - start).truncatingRemainder(dividingBy: spacing)
        return min(abs(t), abs(spacing - abs(t)))
    }
    canvas.paint(amount: { x, y in
        let d = min(across(Float(y) + 0.5, rule, offset.y), across(Float(x) + 0.5, column, offset.x))
        return 0.9 * coverage(distance: d - lineWidth / 2)
    }, colour: lineColour)
    if let margin {
        canvas.paint(amount: { x, _ in coverage(distance: abs(Float(x) + 0.5 - margin) - 1) }, colour: (225, 70, 75))
    }
    canvas.lay(ink, left: left, top: top, colour: (20, 25, 70))
    canvas.add { x, y in 1.5 * gaussianNoise(x, y, salt: i) }
    return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .rgb))
}

/// Several MNIST digits side by side on white paper, like "42": each scaled by `scale`, with
/// gaps of `gap` times the digit height between their ink. 8-bit grey PNG.
public func renderDigitRow(_ digits: [[UInt8]], scale: Float = 2, gap: Float = 0.3) -> [UInt8] {
    let inks = digits.map { InkLayer(digit: $0, scale: scale) }
    let boxes = inks.map(inkBox)
    let tallest = boxes.map(\.height).max() ?? 1, margin = tallest / 3
    let gapPixels = Int(Float(tallest) * gap)
    let width = 2 * margin + boxes.map(\.width).reduce(0, +) + gapPixels * (digits.count - 1)
    let height = tallest + 2 * margin
    var canvas = Canvas(width: width, height: height, colour: (255, 255, 255))
    var x = margin
    for (ink, box) in zip(inks, boxes) {
        canvas.lay(ink, left: x - box.x, top: margin + (tallest - box.height) / 2 - box.y, colour: (0, 0, 0))
        x += box.width + gapPixels
    }
    return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))
}

/// Two MNIST digits written so close that their ink touches: the second is moved left until the
/// ink (above half strength) of the two overlaps by `overlap` pixels in some row, as in "2026"
/// written in a hurry. Each scaled by `scale`, black on white, 8-bit grey.
public func renderTouchingPair(_ first: [UInt8], _ second: [UInt8], scale: Float = 2, overlap: Int = 2) -> [UInt8] {
    let a = InkLayer(digit: first, scale: scale), b = InkLayer(digit: second, scale: scale)
    let n = a.size
    // The smallest gap over rows between a's rightmost and b's leftmost ink, b placed at +n.
    var closest = Int.max
    for y in 0..<n {
        guard let right = (0..<n).last(where: { a.values[y * n + $0] > 0.5 }),
              let left = (0..<n).first(where: { b.values[y * n + $0] > 0.5 }) else { continue }
        closest = min(closest, n + left - right - 1)
    }
    if closest == Int.max { closest = 0 }  // no row holds both: side by side
    let shift = n - closest - overlap, margin = n / 4
    var canvas = Canvas(width: 2 * margin + shift + n, height: 2 * margin + n, colour: (255, 255, 255))
    canvas.lay(a, left: margin, top: margin, colour: (0, 0, 0))
    canvas.lay(b, left: margin + shift, top: margin, colour: (0, 0, 0))
    return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))
}

// MARK: - Geometry

/// The ink's box (above a quarter of full ink); the whole layer for an empty digit.
func inkBox(_ ink: InkLayer) -> (x: Int, y: Int, width: Int, height: Int) {
    ink.bounds() ?? (0, 0, ink.size, ink.size)
}

/// Top-left corner for the ink layer so that its box lands somewhere inside `region` (choices k, k+1);
/// centred on the region when it does not fit.
func placement(_ box: (x: Int, y: Int, width: Int, height: Int), within region: (x: Int, y: Int, width: Int, height: Int),
               _ index: Int, _ k: Int) -> (left: Int, top: Int) {
    let slackX = region.width - box.width, slackY = region.height - box.height
    let x = region.x + (slackX > 0 ? Int(choice(index, k) * Float(slackX)) : slackX / 2)
    let y = region.y + (slackY > 0 ? Int(choice(index, k + 1) * Float(slackY)) : slackY / 2)
    return (x - box.x, y - box.y)
}

func clippedRect(_ r: (x: Int, y: Int, width: Int, height: Int), _ width: Int, _ height: Int)
    -> (x: Int, y: Int, width: Int, height: Int) {
    let x0 = max(0, r.x), y0 = max(0, r.y)
    return (x0, y0, min(width, r.x + r.width) - x0, min(height, r.y + r.height) - y0)
}

func overlaps(_ a: (x: Int, y: Int, width: Int, height: Int), _ b: (x: Int, y: Int, width: Int, height: Int)) -> Bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/// Anti-aliased coverage of a pixel whose centre is `distance` outside a shape's edge (negative: inside).
func coverage(distance: Float) -> Float { min(1, max(0, 0.5 - distance)) }

/// Distance from (x, y) to the segment from a to b.
func segmentDistance(_ x: Float, _ y: Float, _ a: (x: Float, y: Float), _ b: (x: Float, y: Float)) -> Float {
    let dx = b.x - a.x, dy = b.y - a.y
    let t = max(0, min(1, ((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy)))
    return length(x - (a.x + t * dx), y - (a.y + t * dy))
}

func length(_ dx: Float, _ dy: Float) -> Float { (dx * dx + dy * dy).squareRoot() }

/// Value noise in -1...1 varying smoothly (bilinear between integer lattice points).
func smoothNoise(_ x: Float, _ y: Float, salt: Int) -> Float {
    let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down)), fx = x - Float(x0), fy = y - Float(y0)
    func at(_ i: Int, _ j: Int) -> Float { hashNoise(i, j, salt: salt) }
    return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
}
