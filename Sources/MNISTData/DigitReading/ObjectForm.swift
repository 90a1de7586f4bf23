// The object and whole-picture forms: the picture's ink, grey levels kept, cropped to the object's
// box or taken whole, and resized into the model's square.

/// All the ink of a picture as one object, in the object form: cropped to the box of everything
/// that stands out from the background, the box's longer side resized to `side` keeping the
/// aspect ratio (area-resampled) and the box centred; side x side bytes, ink 255 on 0.
///
/// Fashion-MNIST's recipe (trim, resize the longer side to 28, pad the shorter one, centred): a
/// picture already in that form comes out unchanged. The background is the dark or light class
/// holding most of the picture's edge (see `inkOfPicture`); the object is every region of the
/// other class on it, holes and texture inside it included, and the faint edge around it. Unlike
/// the digit form there is no 20x20 box, no stroke-width change and no centre-of-mass shift.
func readObject(in picture: GreyAlphaImage, side: Int = 28) throws(DigitFormError) -> [UInt8] {
    guard side >= 1 else { throw .badGeometry(side: side, box: side) }
    try requireWholePlanes(picture)
    let factor = digitShrinkFactor(width: picture.width, height: picture.height)
    let ink = try readingInkView(of: picture, shrinkingBy: factor) { (view, quantum) throws(DigitFormError) in
        try inkOfPicture(view, quantum: quantum, objectOnly: true)
    }
    guard let box = inkBounds(ink) else { throw .noInk }
    let footprint = Double(max(box.width, box.height)) / Double(side)  // input pixels per output pixel
    let fitted = areaResample(ink, origin: (Double(box.x), Double(box.y)), footprint: footprint,
                              width: min(side, max(1, Int((Double(box.width) / footprint).rounded()))),
                              height: min(side, max(1, Int((Double(box.height) / footprint).rounded()))))
    return placed(fitted, at: ((side - fitted.width + 1) / 2, (side - fitted.height + 1) / 2), side: side)
}

/// The whole picture resized to side x side (each axis by its own factor), its levels mapped as
/// in `readObject`: background 0, the strongest ink 255; ink 255 on 0.
func readWhole(_ picture: GreyAlphaImage, side: Int = 28) throws(DigitFormError) -> [UInt8] {
    guard side >= 1 else { throw .badGeometry(side: side, box: side) }
    try requireWholePlanes(picture)
    let factor = digitShrinkFactor(width: picture.width, height: picture.height)
    let ink = try readingInkView(of: picture, shrinkingBy: factor) { (view, quantum) throws(DigitFormError) in
        try inkOfPicture(view, quantum: quantum, objectOnly: false)
    }
    return placed(areaResample(ink, width: side, height: side), at: (0, 0), side: side)
}

/// The ink of a picture (lightness or alpha, 0...255), grey levels kept: how far each pixel stands
/// from the background, towards the ink's side, scaled so the strongest ink is 255.
///
/// The background is the regions of the class holding most of the picture's edge that touch the
/// edge; its level is a plane fitted to their inner pixels (uneven light does not count as ink).
/// What stands out from it by less than 3 times its noise (half a level at least) is 0. With
/// `objectOnly`, only the object's box is kept: the box of the regions of the other class (specks
/// a twentieth of the largest piece's size or less left out), all inside them, and the pixels
/// that stand out within two pixels of them (the faint edge). No ink when the strongest stands out by less than 5 noises.
func inkOfPicture(_ view: GreyImage, quantum: Float, objectOnly: Bool) throws(DigitFormError) -> GreyImage {
    let (grey, _, smoothNoise, rs) = try splitIntoRegions(view, quantum: quantum)
    let w = rs.width, h = rs.height
    let isBackground = rs.regions.map { $0.touchesBorder && $0.isLight == rs.outerIsLight }
    let background = rs.label.map { isBackground[Int($0)] }
    let surface = Surface(all: background, width: w, height: h)
    let stride = max(1, w * h / (1 << 13))
    var samples = Swift.stride(from: 0, to: w * h, by: stride).filter { surface.inner[$0] }
    if samples.count < 8 { samples = (0..<(w * h)).filter { background[$0] } }
    let points = samples.map { (x: $0 % w, y: $0 / w) }
    let plane = SurfacePlane(fitting: points, in: grey)
    let sign: Float = rs.outerIsLight ? -1 : 1
    let weak = max(3 * plane.spread(of: points, in: grey), quantum / 2)
    var deviation = [Float](repeating: 0, count: w * h)
    for y in 0..<h {
        for x in 0..<w { deviation[y * w + x] = sign * (grey[x, y] - plane.level(x, y)) }
    }

    var kept = [Bool](repeating: !objectOnly, count: w * h)
    if objectOnly {
        kept = objectPixels(rs, isBackground: isBackground)
        // The faint edge: pixels that stand out from the background, within two pixels of the
        // object or of such a pixel (a thin outline resampled from a larger picture breaks up).
        var stack = (0..<(w * h)).filter { kept[$0] }
        while let i = stack.popLast() {
            let x = i % w, y = i / w
            for ny in max(0, y - 2)...min(h - 1, y + 2) {
                for nx in max(0, x - 2)...min(w - 1, x + 2) where !kept[ny * w + nx] && deviation[ny * w + nx] > weak {
                    kept[ny * w + nx] = true
                    stack.append(ny * w + nx)
                }
            }
        }
        // Within the object's box, whatever stands out is the object's (texture, its holes).
        var minX = w, minY = h, maxX = -1, maxY = -1
        for i in 0..<(w * h) where kept[i] {
            minX = min(minX, i % w); maxX = max(maxX, i % w); minY = min(minY, i / w); maxY = max(maxY, i / w)
        }
        for y in Swift.stride(from: minY, through: maxY, by: 1) {
            for x in minX...maxX { kept[y * w + x] = true }
        }
    }
    var strongest: Float = 0
    for i in 0..<(w * h) where kept[i] { strongest = max(strongest, deviation[i]) }
    guard strongest >= max(4 * quantum, 5 * smoothNoise) else { throw .noInk }
    var ink = GreyImage(width: w, height: h)
    for i in 0..<(w * h) where kept[i] && deviation[i] > weak {
        ink.values[i] = min(255, 255 * deviation[i] / strongest)
    }
    return ink
}

/// Which pixels belong to the object: every region not of the background, unless its outermost
/// piece (the region just inside the background, or a region of ink touching the edge) is a speck.
private func objectPixels(_ rs: Regions, isBackground: [Bool]) -> [Bool] {
    // The outermost piece of each region (regions are numbered after their parents).
    var piece = [Int](repeating: -1, count: rs.regions.count)
    for id in rs.regions.indices where !isBackground[id] {
        let parent = rs[id].parent
        piece[id] = parent < 0 || isBackground[parent] ? id : piece[parent]
    }
    let largest = piece.indices.filter { piece[$0] == $0 }.map { rs[$0].extent }.max() ?? 0
    let isSpeck = rs.regions.map { 20 * $0.extent <= largest }
    return rs.label.map { label in
        let id = Int(label)
        return piece[id] >= 0 && !isSpeck[piece[id]]
    }
}

/// `image` rounded to bytes with its top-left pixel at `origin` in a side x side field of 0.
private func placed(_ image: GreyImage, at origin: (x: Int, y: Int), side: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: side * side)
    for y in 0..<min(image.height, side - origin.y) {
        for x in 0..<min(image.width, side - origin.x) {
            out[(origin.y + y) * side + origin.x + x] = UInt8(min(255, max(0, image[x, y].rounded())))
        }
    }
    return out
}
