/// An opaque 8-bit colour.
public struct RGBColour: Sendable, Equatable, Hashable {
    var r: UInt8, g: UInt8, b: UInt8

    init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    static let white = RGBColour(255, 255, 255)
    public static let black = RGBColour(0, 0, 0)

    /// "#1f77b4", for SVG and CSS.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + String([r, g, b].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// Linear mix: `self` at t = 0, `other` at t = 1 (t clamped to 0...1).
    func mixed(with other: RGBColour, _ t: Float) -> RGBColour {
        let t = t.isNaN ? 0 : min(max(t, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Float(a) + (Float(b) - Float(a)) * t).rounded()) }
        return RGBColour(channel(r, other.r), channel(g, other.g), channel(b, other.b))
    }
}

/// Blue–white–red around zero, for weights: t in −1...1 (clamped), negative blue, positive red,
/// white at 0, so hue gives the sign and distance from white the size. Every channel moves
/// monotonically with |t| on each side, so a larger |t| is never paler.
func divergingColour(_ t: Float) -> RGBColour {
    t >= 0 ? RGBColour.white.mixed(with: positiveColour, t) : RGBColour.white.mixed(with: negativeColour, -t)
}

/// The ends of `divergingColour` (ColorBrewer's RdBu ends, darkened less so the tiles stay bright).
let positiveColour = RGBColour(202, 0, 32)
let negativeColour = RGBColour(5, 48, 160)

/// White to dark blue for counts: t in 0...1 (clamped). Every channel falls as t rises, so a
/// larger t is darker in each channel.
func heatColour(_ t: Float) -> RGBColour {
    RGBColour.white.mixed(with: RGBColour(8, 48, 107), t)
}
