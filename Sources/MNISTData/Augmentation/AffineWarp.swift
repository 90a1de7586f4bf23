#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rotation, scale and shear about the image's centre, then a shift: the affine part of a
/// training distortion.
///
/// In (x = column, y = row) coordinates, y pointing down, with the centre at ((cols − 1)/2, (rows − 1)/2):
/// the warp moves the picture's point q to centre + t + R·S·H·(q − centre), where H = [[1, tan φ], [0, 1]]
/// is the shear by φ = shearDegrees (x moves by tan φ · y), S the scale, R the rotation by θ =
/// rotationDegrees, [[cos θ, −sin θ], [sin θ, cos θ]] (clockwise as displayed), and t the translation.
/// So a translation of (+2, 0) moves the digit 2 pixels right, and a scale above 1 makes it bigger.
public struct AffineWarp: Sendable, Equatable {
    var rotationDegrees: Float
    var scale: Float
    var shearDegrees: Float
    var translationX: Float
    var translationY: Float

    init(rotationDegrees: Float = 0, scale: Float = 1, shearDegrees: Float = 0,
                translationX: Float = 0, translationY: Float = 0) {
        self.rotationDegrees = rotationDegrees
        self.scale = scale
        self.shearDegrees = shearDegrees
        self.translationX = translationX
        self.translationY = translationY
    }

    static let identity = AffineWarp()

    /// Where each output pixel reads the source picture: the inverse of the warp, q = centre + M·(p − centre − t)
    /// with M = H⁻¹·S⁻¹·R⁻¹, written out (in Double).
    func samplingMap(rows: Int, cols: Int) -> SamplingMap {
        let theta = Double(rotationDegrees) * .pi / 180
        let c = cos(theta), s = sin(theta), k = tan(Double(shearDegrees) * .pi / 180)
        let inverseScale = 1 / Double(scale)
        let m00 = (c + k * s) * inverseScale, m01 = (s - k * c) * inverseScale
        let m10 = -s * inverseScale, m11 = c * inverseScale
        let cx = Double(cols - 1) / 2, cy = Double(rows - 1) / 2
        let px = cx + Double(translationX), py = cy + Double(translationY)
        return SamplingMap(xPerCol: m00, xPerRow: m01, xOffset: cx - m00 * px - m01 * py,
                           yPerCol: m10, yPerRow: m11, yOffset: cy - m10 * px - m11 * py)
    }
}

/// An affine map from output pixels (row r, column c) to the source point they read:
/// x = xPerCol·c + xPerRow·r + xOffset, y = yPerCol·c + yPerRow·r + yOffset.
struct SamplingMap: Sendable, Equatable {
    var xPerCol, xPerRow, xOffset: Double
    var yPerCol, yPerRow, yOffset: Double

    init(xPerCol: Double, xPerRow: Double, xOffset: Double, yPerCol: Double, yPerRow: Double, yOffset: Double) {
        self.xPerCol = xPerCol
        self.xPerRow = xPerRow
        self.xOffset = xOffset
        self.yPerCol = yPerCol
        self.yPerRow = yPerRow
        self.yOffset = yOffset
    }
}

/// `image` (rows x cols, row-major) warped by `warp` and, if given, displaced by a field (dx, dy
/// each rows x cols, in pixels, added to where each output pixel reads): bilinear resampling, with
/// everything outside the picture 0. The kernel augmentation uses, for one image at a time.
func warpImage(_ image: [Float], rows: Int, cols: Int, warp: AffineWarp,
                      displacement: (dx: [Float], dy: [Float])? = nil) -> [Float] {
    precondition(rows > 0 && cols > 0 && image.count == rows * cols, "warpImage: \(image.count) pixels are not \(rows)x\(cols)")
    precondition(displacement.map { $0.dx.count == rows * cols && $0.dy.count == rows * cols } ?? true,
                 "warpImage: the displacement field is not \(rows)x\(cols)")
    let warper = BilinearWarper(rows: rows, cols: cols)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: warper.scratchCount + 2 * rows * warper.stride)
    defer { scratch.deallocate() }
    warper.clearBorder(scratch)
    image.withUnsafeBufferPointer { warper.setPicture(scratch, from: $0.baseAddress!) }
    var field: (UnsafePointer<Float>, UnsafePointer<Float>)?
    if let displacement {
        // The field planes are rows x stride, like ElasticField's.
        let dx = scratch + warper.scratchCount, dy = dx + rows * warper.stride
        for r in 0..<rows {
            for c in 0..<cols {
                dx[r * warper.stride + c] = displacement.dx[r * cols + c]
                dy[r * warper.stride + c] = displacement.dy[r * cols + c]
            }
        }
        field = (UnsafePointer(dx), UnsafePointer(dy))
    }
    var out = [Float](repeating: 0, count: rows * cols)
    out.withUnsafeMutableBufferPointer {
        warper.resample(scratch, map: warp.samplingMap(rows: rows, cols: cols), field: field, out: $0.baseAddress!)
    }
    return out
}

/// Bilinear resampling of rows x cols pictures, on flat scratch that the caller owns.
///
/// Scratch layout: the padded picture, (rows + 3) x (cols + 3), the picture at rows 1...rows and
/// columns 1...cols with zeros around it; then one row of coordinates (stride Int32 indices and
/// stride x and y fractions). Sampling points are clamped to [−1, cols] x [−1, rows] before
/// rounding down, so every tap lands in the padded picture and a point outside reads only zeros:
/// no branch per pixel.
struct BilinearWarper {
    let rows: Int
    let cols: Int
    /// cols rounded up to whole 8-lane vectors (the row length of displacement planes).
    let stride: Int
    /// Padded row length.
    var paddedCols: Int { cols + 3 }
    var paddedCount: Int { (rows + 3) * (cols + 3) }
    /// Floats of scratch: the padded picture and one row of coordinates.
    var scratchCount: Int { paddedCount + 3 * stride }

    /// rows and cols at most `AugmentedImages.maxSide`: tap indices fit Int32 and padded
    /// coordinates stay below 2^23, where the float-to-integer trick in `resample` holds.
    init(rows: Int, cols: Int) {
        precondition(rows > 0 && cols > 0 && rows <= AugmentedImages.maxSide && cols <= AugmentedImages.maxSide,
                     "BilinearWarper: \(rows)x\(cols) pictures are not supported")
        self.rows = rows
        self.cols = cols
        stride = (cols + 7) / 8 * 8
    }

    /// Zeros the padded picture's border (once per scratch; `setPicture` leaves it alone).
    func clearBorder(_ scratch: UnsafeMutablePointer<Float>) {
        scratch.update(repeating: 0, count: paddedCount)
    }

    /// Copies a rows x cols picture into the padded picture.
    @inline(__always)
    func setPicture(_ scratch: UnsafeMutablePointer<Float>, from picture: UnsafePointer<Float>) {
        for r in 0..<rows {
            (scratch + (r + 1) * paddedCols + 1).update(from: picture + r * cols, count: cols)
        }
    }

    /// Converts a rows x cols picture of bytes into the padded picture.
    @inline(__always)
    func setPicture(_ scratch: UnsafeMutablePointer<Float>, from picture: UnsafePointer<UInt8>) {
        for r in 0..<rows {
            let target = scratch + (r + 1) * paddedCols + 1, source = picture + r * cols
            for c in 0..<cols { target[c] = Float(source[c]) }
        }
    }

    /// out is (rows, cols): the padded picture in `scratch` read at map(r, c) + (dx, dy)[r][c]
    /// (field planes rows x stride), bilinearly.
    ///
    /// Per row, a vector pass computes each point's tap index and fractions, then a scalar pass
    /// gathers the four taps. With the identity map and no field every point is a whole pixel and
    /// every fraction 0, so out is the picture bit for bit.
    func resample(_ scratch: UnsafeMutablePointer<Float>, map: SamplingMap,
                  field: (dx: UnsafePointer<Float>, dy: UnsafePointer<Float>)?, out: UnsafeMutablePointer<Float>) {
        let picture = UnsafePointer(scratch), pw = paddedCols
        // Int32 tap indices, through raw loads and stores: the scratch stays bound to Float.
        let tapRow = UnsafeMutableRawPointer(scratch + paddedCount)
        let fractionX = scratch + paddedCount + stride, fractionY = fractionX + stride
        let lane = Lanes(0, 1, 2, 3, 4, 5, 6, 7)
        let xPerCol = Float(map.xPerCol), yPerCol = Float(map.yPerCol)
        let low = Lanes(repeating: -1), highX = Lanes(repeating: Float(cols)), highY = Lanes(repeating: Float(rows))
        // Adding 2^23 to a float in [0, 2^23) leaves its integer in the low mantissa bits.
        let magic = Lanes(repeating: 0x1p23), magicBits = SIMD8<Int32>(repeating: 0x4B00_0000)
        for r in 0..<rows {
            let baseX = Lanes(repeating: Float(map.xPerRow * Double(r) + map.xOffset))
            let baseY = Lanes(repeating: Float(map.yPerRow * Double(r) + map.yOffset))
            var c0 = 0
            while c0 < cols {
                let c = lane + Lanes(repeating: Float(c0))
                var x = c * xPerCol + baseX, y = c * yPerCol + baseY
                if let field {
                    x += UnsafeRawPointer(field.dx + r * stride + c0).loadUnaligned(as: Lanes.self)
                    y += UnsafeRawPointer(field.dy + r * stride + c0).loadUnaligned(as: Lanes.self)
                }
                x = x.replacing(with: low, where: .!(x .>= low)).replacing(with: highX, where: x .> highX)
                y = y.replacing(with: low, where: .!(y .>= low)).replacing(with: highY, where: y .> highY)
                let x0 = x.rounded(.down), y0 = y.rounded(.down)
                // Padded coordinates x0 + 1, y0 + 1 are in 0...cols + 1 and 0...rows + 1.
                let ix = unsafeBitCast(x0 + 1 + magic, to: SIMD8<Int32>.self) &- magicBits
                let iy = unsafeBitCast(y0 + 1 + magic, to: SIMD8<Int32>.self) &- magicBits
                tapRow.storeBytes(of: iy &* Int32(pw) &+ ix, toByteOffset: 4 * c0, as: SIMD8<Int32>.self)
                UnsafeMutableRawPointer(fractionX + c0).storeBytes(of: x - x0, as: Lanes.self)
                UnsafeMutableRawPointer(fractionY + c0).storeBytes(of: y - y0, as: Lanes.self)
                c0 += 8
            }
            let target = out + r * cols
            for c in 0..<cols {
                let p = picture + Int(tapRow.load(fromByteOffset: 4 * c, as: Int32.self)), fx = fractionX[c], fy = fractionY[c]
                let top = p[0] + fx * (p[1] - p[0])
                let bottom = p[pw] + fx * (p[pw + 1] - p[pw])
                target[c] = top + fy * (bottom - top)
            }
        }
    }
}
