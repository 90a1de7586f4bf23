import MNISTData

/// Marks that are no digit, drawn with a pen in code: letters and signs whose shapes no digit
/// shares (no O, I, S, Z, B, G, which are 0, 1, 5, 2, 8, 6 in other hands).
public enum NotADigitGlyph: String, Sendable, CaseIterable {
    case capitalA, capitalE, capitalH, capitalK, capitalM, capitalN, capitalR, capitalW, capitalX, capitalY
    case smallX, smallK, plus, star, hash

    /// Pen strokes in 0...1 coordinates of a square, y down.
    public var strokes: [(x0: Float, y0: Float, x1: Float, y1: Float)] {
        switch self {
        case .capitalA: return [(0.2, 0.88, 0.5, 0.12), (0.5, 0.12, 0.8, 0.88), (0.32, 0.6, 0.68, 0.6)]
        case .capitalE: return [(0.3, 0.12, 0.3, 0.88), (0.3, 0.12, 0.72, 0.12), (0.3, 0.5, 0.65, 0.5), (0.3, 0.88, 0.72, 0.88)]
        case .capitalH: return [(0.28, 0.12, 0.28, 0.88), (0.72, 0.12, 0.72, 0.88), (0.28, 0.5, 0.72, 0.5)]
        case .capitalK: return [(0.3, 0.12, 0.3, 0.88), (0.72, 0.12, 0.3, 0.55), (0.42, 0.45, 0.74, 0.88)]
        case .capitalM: return [(0.18, 0.88, 0.24, 0.12), (0.24, 0.12, 0.5, 0.65), (0.5, 0.65, 0.76, 0.12), (0.76, 0.12, 0.82, 0.88)]
        case .capitalN: return [(0.25, 0.88, 0.25, 0.12), (0.25, 0.12, 0.75, 0.88), (0.75, 0.88, 0.75, 0.12)]
        case .capitalR:
            return [(0.3, 0.88, 0.3, 0.12), (0.3, 0.12, 0.62, 0.14), (0.62, 0.14, 0.7, 0.3), (0.7, 0.3, 0.62, 0.46),
                    (0.62, 0.46, 0.3, 0.48), (0.45, 0.48, 0.74, 0.88)]
        case .capitalW: return [(0.12, 0.12, 0.3, 0.88), (0.3, 0.88, 0.5, 0.35), (0.5, 0.35, 0.7, 0.88), (0.7, 0.88, 0.88, 0.12)]
        case .capitalX: return [(0.22, 0.12, 0.78, 0.88), (0.78, 0.12, 0.22, 0.88)]
        case .capitalY: return [(0.22, 0.12, 0.5, 0.5), (0.78, 0.12, 0.5, 0.5), (0.5, 0.5, 0.5, 0.88)]
        case .smallX: return [(0.25, 0.4, 0.75, 0.88), (0.75, 0.4, 0.25, 0.88)]
        case .smallK: return [(0.3, 0.12, 0.3, 0.88), (0.7, 0.42, 0.3, 0.7), (0.45, 0.62, 0.72, 0.88)]
        case .plus: return [(0.5, 0.2, 0.5, 0.8), (0.2, 0.5, 0.8, 0.5)]
        case .star: return [(0.5, 0.15, 0.5, 0.85), (0.2, 0.32, 0.8, 0.68), (0.8, 0.32, 0.2, 0.68)]
        case .hash: return [(0.38, 0.15, 0.32, 0.85), (0.68, 0.15, 0.62, 0.85), (0.18, 0.38, 0.82, 0.38), (0.16, 0.64, 0.8, 0.64)]
        }
    }
}

/// PNG bytes of `glyph` drawn by hand on white paper: each stroke's ends moved a little, the pen
/// 4-9% of the size wide, the whole leaning up to 12 degrees; `index` chooses. 8-bit grey.
public func renderGlyph(_ glyph: NotADigitGlyph, index i: Int) -> [UInt8] {
    func pick(_ k: Int, _ low: Float, _ high: Float) -> Float { low + (high - low) * choice(i, k) }
    let lean = pick(0, -0.2, 0.2)
    var k = 10
    let strokes = glyph.strokes.map { s -> (x0: Float, y0: Float, x1: Float, y1: Float) in
        k += 4
        return (s.x0 + pick(k, -0.04, 0.04) + lean * (0.5 - s.y0), s.y0 + pick(k + 1, -0.04, 0.04),
                s.x1 + pick(k + 2, -0.04, 0.04) + lean * (0.5 - s.y1), s.y1 + pick(k + 3, -0.04, 0.04))
    }
    let size = Int(pick(1, 40, 90))
    let ink = InkLayer(strokes: strokes, size: size, width: Float(size) * pick(2, 0.04, 0.09))
    let margin = Int(Float(size) * pick(3, 0.1, 0.4))
    var canvas = Canvas(width: size + 2 * margin, height: size + 2 * margin, colour: (250, 250, 250))
    canvas.lay(ink, left: margin, top: margin, colour: (20, 20, 30))
    canvas.add { x, y in 1.5 * gaussianNoise(x, y, salt: i) }
    return encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey))
}
