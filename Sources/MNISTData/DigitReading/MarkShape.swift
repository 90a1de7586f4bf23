#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a mark looks like, for the warning `predict` gives when it is not a digit at all.
public enum MarkShape: String, Sendable, Equatable {
    /// Strokes: anything that could be a digit.
    case digit
    /// A round, solid blob with no hole: a dot, a full stop, a filled disc.
    case dot
    /// A thin straight stroke closer to horizontal than a 1 is ever slanted: a dash, a rule.
    case line
}

/// The second moments of a set of pixels, enough to tell a line from a blob and which way it points.
struct Moments {
    var count = 0.0, sumX = 0.0, sumY = 0.0, sumXX = 0.0, sumYY = 0.0, sumXY = 0.0

    init() {}

    init(_ r: Region) {
        count = Double(r.area)
        sumX = r.sumX; sumY = r.sumY; sumXX = r.sumXX; sumYY = r.sumYY; sumXY = r.sumXY
    }

    static func + (a: Moments, b: Moments) -> Moments {
        var m = a
        m.count += b.count; m.sumX += b.sumX; m.sumY += b.sumY
        m.sumXX += b.sumXX; m.sumYY += b.sumYY; m.sumXY += b.sumXY
        return m
    }

    /// Covariances of x and y, counting each pixel as a unit square (hence the 1/12).
    private var covariance: (xx: Double, yy: Double, xy: Double) {
        let mx = sumX / count, my = sumY / count
        return (sumXX / count - mx * mx + 1.0 / 12, sumYY / count - my * my + 1.0 / 12, sumXY / count - mx * my)
    }

    /// Standard deviations along the principal axes, major first.
    private var axes: (major: Double, minor: Double) {
        let c = covariance
        let mean = (c.xx + c.yy) / 2, spread = (((c.xx - c.yy) / 2) * ((c.xx - c.yy) / 2) + c.xy * c.xy).squareRoot()
        return ((mean + spread).squareRoot(), max(0, mean - spread).squareRoot())
    }

    /// Minor over major axis: about 0 for a thin line, 1 for a disc or a square.
    var roundness: Double { count > 0 ? axes.minor / axes.major : 1 }

    /// Angle between the major axis and the vertical, 0...90 degrees.
    var degreesFromVertical: Double {
        let c = covariance
        let fromHorizontal = 0.5 * atan2(2 * c.xy, c.xx - c.yy) * 180 / Double.pi  // -90...90
        return 90 - abs(fromHorizontal)
    }
}

/// The shape of a digit's marks (their moments, ink area, box, whether any has a hole and whether
/// they are one convex piece): a line is thin (minor axis under 0.15 of the major) and within 30
/// degrees of horizontal, where no 1 leans; a dot is one round (over 0.7), convex piece with no
/// hole that fills most of its box (a disc fills 79%, a small one drawn in pixels less).
func markShape(_ m: Moments, boxArea: Int, hasHole: Bool, convex: Bool) -> MarkShape {
    if m.roundness < 0.15 && m.degreesFromVertical > 60 { return .line }
    if m.roundness > 0.7 && m.count >= 0.65 * Double(boxArea) && !hasHole && convex { return .dot }
    return .digit
}
