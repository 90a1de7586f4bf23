import MNISTData

/// A made-up dataset of capital letters A-Z (label 0-25), as someone might build one: each the
/// 5x7 bitmap font's glyph drawn with a round pen of its own width, at its own size, slant and place
/// in a 28x28 frame (not normalised the way MNIST's or Fashion-MNIST's images are), ink 255 on 0,
/// anti-aliased. Sample `index` is always the same picture.
public enum Letters {
    public static let classes = 26
    public static let side = 28

    /// Sample `index` of letter `label`: side x side bytes.
    public static func image(index: Int, label: Int) -> [UInt8] {
        let glyph = Character(UnicodeScalar(UInt8(65 + label % classes)))
        let cells = (0..<(BitmapFont.glyphWidth * BitmapFont.glyphHeight)).map {
            BitmapFont.isInk(glyph, column: $0 % BitmapFont.glyphWidth, row: $0 / BitmapFont.glyphWidth)
        }
        let cell = 2 + 1.6 * choice(index, 1)                   // pixels per font cell: 14-25 pixels tall
        let pen = cell * (0.3 + 0.35 * choice(index, 2))         // the pen's radius
        let slant = 0.3 * (choice(index, 3) - 0.5)               // x shift per pixel down
        let height = 7 * cell, width = 5 * cell + abs(slant) * height
        let left = (Float(side) - width) * choice(index, 4), top = (Float(side) - height) * choice(index, 5)
        let strength = 180 + 75 * choice(index, 6)
        var out = [UInt8](repeating: 0, count: side * side)
        let samples = 4  // per axis, per pixel
        for y in 0..<side {
            for x in 0..<side {
                var covered = 0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let py = Float(y) + (Float(sy) + 0.5) / Float(samples) - top
                        let px = Float(x) + (Float(sx) + 0.5) / Float(samples) - left - slant * (py - height / 2) - abs(slant) * height / 2
                        if nearInk(cells, px / cell, py / cell, radius: pen / cell) { covered += 1 }
                    }
                }
                out[y * side + x] = UInt8((strength * Float(covered) / Float(samples * samples)).rounded())
            }
        }
        return out
    }

    /// Whether font coordinates (u, v) of a glyph whose ink cells are `cells` (row-major; cell (c, r) spans [c, c+1) x [r, r+1)) are within `radius`
    /// of an ink cell's centre, or of the segment joining two neighbouring ink cells' centres: the
    /// glyph drawn as strokes through its cells.
    static func nearInk(_ cells: [Bool], _ u: Float, _ v: Float, radius: Float) -> Bool {
        func ink(_ c: Int, _ r: Int) -> Bool {
            (0..<BitmapFont.glyphWidth).contains(c) && (0..<BitmapFont.glyphHeight).contains(r) && cells[r * BitmapFont.glyphWidth + c]
        }
        let c0 = Int((u - 0.5).rounded(.down)), r0 = Int((v - 0.5).rounded(.down))
        for r in (r0 - 1)...(r0 + 2) {
            for c in (c0 - 1)...(c0 + 2) where ink(c, r) {
                let cx = Float(c) + 0.5, cy = Float(r) + 0.5
                if (u - cx) * (u - cx) + (v - cy) * (v - cy) <= radius * radius { return true }
                // Strokes to the right, down, and both diagonals (each pair once).
                for (dc, dr) in [(1, 0), (0, 1), (1, 1), (-1, 1)] where ink(c + dc, r + dr) {
                    let ex = Float(dc), ey = Float(dr)
                    let t = max(0, min(1, ((u - cx) * ex + (v - cy) * ey) / (ex * ex + ey * ey)))
                    let dx = u - cx - t * ex, dy = v - cy - t * ey
                    if dx * dx + dy * dy <= radius * radius { return true }
                }
            }
        }
        return false
    }
}
