import Foundation
import Testing
@testable import MNISTData

struct RuledLinesTests {
    /// Paper (250) 100x40 with a dark bar (50) on rows 18...20 from x = 10 to 89; beyond it, on the
    /// same rows, `ends` (a JPEG's faint halo at 245, or the bar itself carried to the edges).
    private func bar(ends: Float) -> GreyImage {
        var grey = GreyImage(width: 100, height: 40)
        for y in 0..<40 {
            for x in 0..<100 { grey[x, y] = (18...20).contains(y) ? ((10..<90).contains(x) ? 50 : ends) : 250 }
        }
        return grey
    }

    @Test func aLineReachingTheEdgesOnlyThroughAFaintHaloIsNoLine() {
        #expect(lineBands(bar(ends: 50), threshold: 3).map(\.rows) == [17...21])
        #expect(lineBands(bar(ends: 245), threshold: 3).isEmpty)
    }

    /// A rule (170 on 250 paper, rows 18 and 19) wavering by 4 levels along its length, as a JPEG's
    /// does, crossed by a vertical stroke (20) at x = 40...44: the rule goes, the stroke stays.
    @Test func aWaveringRuleGoesAndTheStrokeAcrossItStays() {
        var grey = GreyImage(width: 100, height: 40)
        for y in 0..<40 {
            for x in 0..<100 {
                let stroke = (40...44).contains(x) && (8...30).contains(y)
                grey[x, y] = stroke ? 20 : ((18...19).contains(y) ? 170 + 4 * Float(sin(Double(x) * 1.7)) : 250)
            }
        }
        let cleaned = withoutRuledLines(grey, noise: 0, quantum: 0.5)
        let rule = (18...19).flatMap { y in (0..<100).filter { !(40...44).contains($0) }.map { cleaned[$0, y] } }
        let stroke = (18...19).flatMap { y in (40...44).map { cleaned[$0, y] } }
        #expect(rule.min() ?? 0 >= 245, "rule left at \(rule.min() ?? 0)")
        #expect(stroke.max() ?? 255 <= 30, "stroke on the rule at \(stroke.max() ?? 255)")
    }
}
