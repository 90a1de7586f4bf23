import Foundation
@testable import MNISTData
import Testing

/// A test pattern: a gradient plus a 3-pixel checkerboard, so both smooth and sharp edges are
/// resampled. Values in 0...255.
private func pattern(rows: Int, cols: Int) -> [Float] {
    (0..<(rows * cols)).map { i in
        let r = i / cols, c = i % cols
        return Float((r * 5 + c * 3) % 128 + ((r / 3 + c / 3) % 2) * 127)
    }
}

/// The warp written the obvious way, in Double: build the forward map A = R·S·H, invert it as a
/// general 2x2 matrix, send each output pixel back through it (plus the displacement), and
/// interpolate bilinearly with an explicit "outside is 0" test per tap.
private func warpReference(_ image: [Float], rows: Int, cols: Int, warp: AffineWarp,
                           displacement: (dx: [Float], dy: [Float])? = nil) -> [Double] {
    let theta = Double(warp.rotationDegrees) * .pi / 180, phi = Double(warp.shearDegrees) * .pi / 180
    let rotation = [[cos(theta), -sin(theta)], [sin(theta), cos(theta)]]
    let scale = [[Double(warp.scale), 0], [0, Double(warp.scale)]]
    let shear = [[1, tan(phi)], [0, 1]]
    func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        (0..<2).map { i in (0..<2).map { j in a[i][0] * b[0][j] + a[i][1] * b[1][j] } }
    }
    let a = product(rotation, product(scale, shear))
    let det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    let inverse = [[a[1][1] / det, -a[0][1] / det], [-a[1][0] / det, a[0][0] / det]]
    let cx = Double(cols - 1) / 2, cy = Double(rows - 1) / 2
    func pixel(_ y: Int, _ x: Int) -> Double {
        y >= 0 && y < rows && x >= 0 && x < cols ? Double(image[y * cols + x]) : 0
    }
    var out = [Double](repeating: 0, count: rows * cols)
    for r in 0..<rows {
        for c in 0..<cols {
            let px = Double(c) - cx - Double(warp.translationX), py = Double(r) - cy - Double(warp.translationY)
            var x = cx + inverse[0][0] * px + inverse[0][1] * py
            var y = cy + inverse[1][0] * px + inverse[1][1] * py
            if let displacement {
                x += Double(displacement.dx[r * cols + c])
                y += Double(displacement.dy[r * cols + c])
            }
            let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
            let fx = x - Double(x0), fy = y - Double(y0)
            out[r * cols + c] = (1 - fy) * ((1 - fx) * pixel(y0, x0) + fx * pixel(y0, x0 + 1))
                + fy * ((1 - fx) * pixel(y0 + 1, x0) + fx * pixel(y0 + 1, x0 + 1))
        }
    }
    return out
}

/// Largest |fast − reference|, with where it happens.
private func worstDifference(_ fast: [Float], _ reference: [Double], cols: Int) -> (difference: Double, at: String) {
    var worst = (0.0, "nowhere")
    for (i, (f, d)) in zip(fast, reference).enumerated() where abs(Double(f) - d) > worst.0 || f.isNaN {
        worst = (f.isNaN ? .infinity : abs(Double(f) - d), "row \(i / cols) col \(i % cols): \(f) vs \(d)")
    }
    return worst
}

@Suite struct AffineWarpTests {
    static let warps: [AffineWarp] = [
        AffineWarp(rotationDegrees: 17),
        AffineWarp(rotationDegrees: -8.5),
        AffineWarp(scale: 0.85),
        AffineWarp(scale: 1.2),
        AffineWarp(shearDegrees: 12),
        AffineWarp(shearDegrees: -30),
        AffineWarp(translationX: 1.5, translationY: -2.25),
        AffineWarp(translationX: 30, translationY: 0),  // entirely outside: all zeros
        AffineWarp(rotationDegrees: -10, scale: 1.1, shearDegrees: 5, translationX: -2, translationY: 1.75),
        AffineWarp(rotationDegrees: 170, scale: 0.6, shearDegrees: -20, translationX: 0.3, translationY: 4),
    ]

    /// Coordinates are computed in Float (about 1e-6 px of error at these sizes) and the pattern
    /// changes by up to 255 per pixel, so values can differ from the Double reference by ~3e-4 of
    /// a grey level; 2e-3 leaves room, and a wrong map, order or sign is off by whole grey levels.
    static let tolerance = 2e-3

    @Test(arguments: warps)
    func warpMatchesTheReference(warp: AffineWarp) {
        for (rows, cols) in [(28, 28), (20, 31), (9, 5)] {
            let image = pattern(rows: rows, cols: cols)
            let fast = warpImage(image, rows: rows, cols: cols, warp: warp)
            let reference = warpReference(image, rows: rows, cols: cols, warp: warp)
            let worst = worstDifference(fast, reference, cols: cols)
            #expect(worst.difference <= Self.tolerance, "\(rows)x\(cols), \(warp): worst at \(worst.at)")
            #expect(reference.contains { $0 != 0 } || warp.translationX >= 30, "the reference warped everything away")
        }
    }

    /// The displacement is added to where each output pixel reads, x to columns and y to rows.
    @Test func displacementFieldIsAddedToTheSamplingPoint() {
        let rows = 28, cols = 28
        let image = pattern(rows: rows, cols: cols)
        // Smooth, different in x and y, up to 2.5 px.
        let dx = (0..<(rows * cols)).map { (i: Int) -> Float in
            let r = Double(i / cols), c = Double(i % cols)
            return Float(2.5 * sin(c * 0.4 + r * 0.1))
        }
        let dy = (0..<(rows * cols)).map { (i: Int) -> Float in
            let r = Double(i / cols), c = Double(i % cols)
            return Float(-1.75 * cos(r * 0.3 - c * 0.2))
        }
        for warp in [AffineWarp.identity, AffineWarp(rotationDegrees: 9, scale: 1.05, shearDegrees: 4, translationX: 1)] {
            let fast = warpImage(image, rows: rows, cols: cols, warp: warp, displacement: (dx, dy))
            let reference = warpReference(image, rows: rows, cols: cols, warp: warp, displacement: (dx, dy))
            let worst = worstDifference(fast, reference, cols: cols)
            #expect(worst.difference <= Self.tolerance, "\(warp): worst at \(worst.at)")
        }
    }

    @Test func identityReturnsThePictureBitForBit() {
        for (rows, cols) in [(28, 28), (3, 17)] {
            let image = pattern(rows: rows, cols: cols)
            let out = warpImage(image, rows: rows, cols: cols, warp: .identity)
            #expect(out.map(\.bitPattern) == image.map(\.bitPattern))
        }
    }

    /// A whole-pixel shift moves every pixel exactly, and brings in zeros.
    @Test(arguments: [(3, -2), (-5, 4), (0, 1), (27, 0), (-1, -27)])
    func integerTranslationShiftsPixelsExactly(shift: (x: Int, y: Int)) {
        let rows = 28, cols = 28
        let image = pattern(rows: rows, cols: cols)
        let out = warpImage(image, rows: rows, cols: cols,
                            warp: AffineWarp(translationX: Float(shift.x), translationY: Float(shift.y)))
        var wrong: [String] = []
        for r in 0..<rows {
            for c in 0..<cols {
                let sr = r - shift.y, sc = c - shift.x
                let expected: Float = sr >= 0 && sr < rows && sc >= 0 && sc < cols ? image[sr * cols + sc] : 0
                if out[r * cols + c].bitPattern != expected.bitPattern { wrong.append("(\(r), \(c)): \(out[r * cols + c]) != \(expected)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) pixels wrong, first: \(wrong.prefix(3))")
    }

    /// Positive angles turn clockwise as displayed (y down): a dot right of the centre ends up below it.
    @Test func positiveRotationTurnsClockwise() {
        let side = 29, centre = 14
        var image = [Float](repeating: 0, count: side * side)
        image[centre * side + centre + 8] = 255
        let out = warpImage(image, rows: side, cols: side, warp: AffineWarp(rotationDegrees: 90))
        let brightest = out.indices.max { out[$0] < out[$1] }!
        #expect((brightest / side, brightest % side) == (centre + 8, centre))
        #expect(abs(out[brightest] - 255) < 1e-3)
    }

    @Test func samplingMapOfTheIdentityIsExact() {
        let map = AffineWarp.identity.samplingMap(rows: 28, cols: 28)
        #expect(map == SamplingMap(xPerCol: 1, xPerRow: 0, xOffset: 0, yPerCol: 0, yPerRow: 1, yOffset: 0))
    }
}
