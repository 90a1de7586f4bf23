import MNISTData

/// An RGB colour, levels 0...255.
public typealias Colour = (r: Float, g: Float, b: Float)

/// A picture being drawn by the situation renderers: RGB levels 0...255 as Floats, row-major,
/// plus a coverage (alpha) plane, so layers mix exactly before the one rounding at the end.
/// (Plain loops over flat buffers: this target is built without optimisation.)
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// (height, width, 3) row-major.
    public var rgb: [Float]
    /// (height, width), 0 (transparent) ... 1 (opaque).
    public var alpha: [Float]

    public init(width: Int, height: Int, colour: Colour, alpha: Float = 1) {
        self.width = width
        self.height = height
        rgb = [Float](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { rgb[3 * i] = colour.r; rgb[3 * i + 1] = colour.g; rgb[3 * i + 2] = colour.b }
        self.alpha = [Float](repeating: alpha, count: width * height)
    }

    /// Mixes each pixel of the rectangle towards `colourAt(x, y)` by `amount(x, y)` (0...1).
    public mutating func paint(x0: Int = 0, y0: Int = 0, x1: Int? = nil, y1: Int? = nil,
                               amount: (Int, Int) -> Float, colourAt: (Int, Int) -> Colour) {
        let xEnd = min(x1 ?? width, width), yEnd = min(y1 ?? height, height), xStart = max(0, x0), yStart = max(0, y0)
        guard xStart < xEnd, yStart < yEnd else { return }
        let w = width
        rgb.withUnsafeMutableBufferPointer { p in
            for y in yStart..<yEnd {
                for x in xStart..<xEnd {
                    let a = min(amount(x, y), 1)
                    guard a > 0 else { continue }
                    let c = colourAt(x, y), i = 3 * (y * w + x)
                    p[i] += (c.r - p[i]) * a
                    p[i + 1] += (c.g - p[i + 1]) * a
                    p[i + 2] += (c.b - p[i + 2]) * a
                }
            }
        }
    }

    /// Mixes towards one colour.
    public mutating func paint(x0: Int = 0, y0: Int = 0, x1: Int? = nil, y1: Int? = nil,
                               amount: (Int, Int) -> Float, colour: Colour) {
        paint(x0: x0, y0: y0, x1: x1, y1: y1, amount: amount) { _, _ in colour }
    }

    /// Lays an ink layer (`ink` is size x size, 0...1) with its top-left corner at (left, top).
    public mutating func lay(_ ink: InkLayer, left: Int, top: Int, colour: Colour, strength: ((Int, Int) -> Float)? = nil) {
        let n = ink.size
        ink.values.withUnsafeBufferPointer { v in
            paint(x0: left, y0: top, x1: left + n, y1: top + n, amount: { x, y in
                let a = v[(y - top) * n + (x - left)]
                return a > 0 ? a * (strength?(x, y) ?? 1) : 0
            }, colour: colour)
        }
    }

    /// Adds `amount(x, y)` to every channel (noise, shading); clamped only when encoded.
    public mutating func add(_ amount: (Int, Int) -> Float) {
        let w = width, h = height
        rgb.withUnsafeMutableBufferPointer { p in
            for y in 0..<h {
                for x in 0..<w {
                    let d = amount(x, y), i = 3 * (y * w + x)
                    p[i] += d; p[i + 1] += d; p[i + 2] += d
                }
            }
        }
    }

    /// 8-bit RGBA, rounded and clamped.
    public var image: RGBAImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        pixels.withUnsafeMutableBufferPointer { p in
            rgb.withUnsafeBufferPointer { c in
                alpha.withUnsafeBufferPointer { a in
                    for i in 0..<a.count {
                        p[4 * i] = clampToByte(c[3 * i]); p[4 * i + 1] = clampToByte(c[3 * i + 1])
                        p[4 * i + 2] = clampToByte(c[3 * i + 2]); p[4 * i + 3] = clampToByte(255 * a[i])
                    }
                }
            }
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }
}

/// A digit's ink, size x size, 0 (none) ... 1 (full): an MNIST digit scaled up, maybe thickened.
public struct InkLayer: Sendable {
    public let size: Int
    public var values: [Float]

    /// `digit` (28x28, MNIST's form) scaled by `scale` (any factor >= 1), bilinear between pixel
    /// centres: round(28 * scale) pixels a side.
    public init(digit: [UInt8], scale: Float, side: Int = 28) {
        let n = max(1, Int((Float(side) * scale).rounded()))
        let s = Float(n) / Float(side)
        func at(_ x: Int, _ y: Int) -> Float {
            Float(digit[min(max(y, 0), side - 1) * side + min(max(x, 0), side - 1)]) / 255
        }
        var values = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            let sy = (Float(y) + 0.5) / s - 0.5, y0 = Int(sy.rounded(.down)), fy = sy - Float(y0)
            for x in 0..<n {
                let sx = (Float(x) + 0.5) / s - 0.5, x0 = Int(sx.rounded(.down)), fx = sx - Float(x0)
                let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
                let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
                values[y * n + x] = top * (1 - fy) + bottom * fy
            }
        }
        size = n
        self.values = values
    }

    /// The box of pixels holding ink above `level`: (x, y, width, height), or nil without any.
    public func bounds(above level: Float = 0.25) -> (x: Int, y: Int, width: Int, height: Int)? {
        var minX = size, minY = size, maxX = -1, maxY = -1
        for y in 0..<size {
            for x in 0..<size where values[y * size + x] > level {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return maxX < 0 ? nil : (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }

    /// The ink at a point (pixel units, pixel centres at +0.5), bilinear; 0 outside the layer.
    public func sample(_ x: Float, _ y: Float) -> Float {
        let sx = x - 0.5, sy = y - 0.5, x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
        let fx = sx - Float(x0), fy = sy - Float(y0)
        func at(_ i: Int, _ j: Int) -> Float { i >= 0 && j >= 0 && i < size && j < size ? values[j * size + i] : 0 }
        return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    }

    /// The strokes made thicker, as by a round pen `radius` pixels wider on each side: each pixel
    /// takes the most ink within that distance (the layer grows by the radius on every side).
    public func thickened(radius: Float) -> InkLayer {
        let r = Int(radius.rounded(.up)), n = size + 2 * r
        var out = [Float](repeating: 0, count: n * n)
        var offsets: [(Int, Int)] = []
        for dy in -r...r {
            for dx in -r...r where Float(dx * dx + dy * dy) <= radius * radius { offsets.append((dx, dy)) }
        }
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<size {
                    for x in 0..<size {
                        let a = v[y * size + x]
                        guard a > 0 else { continue }
                        for (dx, dy) in offsets {
                            let j = (y + r + dy) * n + x + r + dx
                            if o[j] < a { o[j] = a }
                        }
                    }
                }
            }
        }
        return InkLayer(size: n, values: out)
    }

    /// Straight pen strokes (segments in 0...1 coordinates of a size x size square), `width`
    /// pixels wide with round ends, anti-aliased: a digit drawn in code, no data needed.
    public init(strokes: [(x0: Float, y0: Float, x1: Float, y1: Float)], size: Int, width: Float) {
        var values = [Float](repeating: 0, count: size * size)
        let n = Float(size)
        for y in 0..<size {
            for x in 0..<size {
                let px = Float(x) + 0.5, py = Float(y) + 0.5
                let d = strokes.map { segmentDistance(px, py, ($0.x0 * n, $0.y0 * n), ($0.x1 * n, $0.y1 * n)) }.min() ?? .infinity
                values[y * size + x] = coverage(distance: d - width / 2)
            }
        }
        self.init(size: size, values: values)
    }

    init(size: Int, values: [Float]) {
        self.size = size
        self.values = values
    }
}

/// A 4 drawn in three strokes, and a 7 in two, for `InkLayer(strokes:size:width:)`.
public let strokesOfFour: [(x0: Float, y0: Float, x1: Float, y1: Float)] = [
    (0.62, 0.12, 0.62, 0.88), (0.62, 0.12, 0.2, 0.62), (0.2, 0.62, 0.8, 0.62),
]
public let strokesOfSeven: [(x0: Float, y0: Float, x1: Float, y1: Float)] = [
    (0.22, 0.15, 0.78, 0.15), (0.78, 0.15, 0.4, 0.88),
]

/// Deterministic noise in -1...1 from a pixel position and a salt (an integer hash, no state).
public func hashNoise(_ x: Int, _ y: Int, salt: Int = 0) -> Float {
    Float(mixedHash(UInt64(truncatingIfNeeded: x &* 73_856_093 ^ y &* 19_349_663 ^ salt &* 83_492_791)) >> 40)
        / Float(1 << 23) - 1
}

/// Roughly Gaussian noise with standard deviation 1: the sum of three uniforms on -1...1.
public func gaussianNoise(_ x: Int, _ y: Int, salt: Int = 0) -> Float {
    hashNoise(x, y, salt: salt) + hashNoise(x, y, salt: salt &+ 1) + hashNoise(x, y, salt: salt &+ 2)
}

/// A deterministic number in 0..<1 for the k-th choice made for digit `index`.
public func choice(_ index: Int, _ k: Int) -> Float {
    Float(mixedHash(UInt64(truncatingIfNeeded: index &* 1_000_003 &+ k &* 7919)) >> 40) / Float(1 << 24)
}

/// SplitMix64's finaliser: a well-mixed deterministic hash for test noise.
public func mixedHash(_ x: UInt64) -> UInt64 {
    var h = x &+ 0x9E37_79B9_7F4A_7C15
    h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
    return h ^ (h >> 31)
}

func clampToByte(_ v: Float) -> UInt8 { UInt8(min(255, max(0, v.rounded()))) }
