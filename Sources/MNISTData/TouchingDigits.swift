#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Digits written so close that their ink touches ("2026" in a hurry) make one mark much wider than
/// a digit. Such a mark is offered cut in two at a few of the columns where its ink is thinnest,
/// each piece cut again while it is still that wide; whether pieces are read or the whole, and
/// which cut, is decided by whoever can read them (see `touchingDigitsApart`), since only a
/// classifier can tell a wide 0 from a 10.

/// A mark's ink is wide enough to be two digits when its solid ink is at least 0.9 times as wide as
/// tall: MNIST's digits are about 0.6 (a 1 much less, a wide 0 or 2 up to about 1).
let touchingWidthRatio: Float = 0.9

/// How many times a mark is cut at most: up to 8 touching digits.
let touchingDepth = 3

/// Where a wide mark may be cut: the columns of least ink (column sums) that are local minima
/// within the middle 60% of the solid ink's width, at most `count` of them, a twelfth of the width
/// apart; empty when the mark is not wide enough to hold two digits (see `touchingWidthRatio`).
func cutColumns(_ ink: GreyImage, count: Int = 5) -> [Int] {
    guard let solid = inkBounds(ink, above: 64), solid.height >= 4,
          Float(solid.width) >= touchingWidthRatio * Float(solid.height) else { return [] }
    var sums = [Float](repeating: 0, count: ink.width)
    for y in 0..<ink.height {
        for x in 0..<ink.width { sums[x] += ink[x, y] }
    }
    let first = max(1, solid.x + solid.width / 5), last = min(ink.width - 2, solid.x + solid.width * 4 / 5)
    guard first <= last else { return [] }
    let minima = (first...last).filter { x in sums[x] <= sums[x - 1] && sums[x] <= sums[x + 1] }.sorted { sums[$0] < sums[$1] }
    var chosen: [Int] = []
    for x in minima where chosen.count < count && chosen.allSatisfy({ 12 * abs($0 - x) >= solid.width }) { chosen.append(x) }
    return chosen
}

/// The ink cut in two at column `cut`: with that column's ink set aside, each connected piece of
/// ink (above an eighth of full strength, 8-connected) goes to the side its centre lies on, so
/// digits whose boxes overlap (a 7's bar over the next digit) come apart whole; the rest (faint
/// fringes, the cut column itself) goes by its own column. Each piece keeps the whole window.
func cutInTwo(_ ink: GreyImage, at cut: Int) -> (left: GreyImage, right: GreyImage) {
    let w = ink.width, h = ink.height
    var piece = [Int32](repeating: -1, count: w * h)
    var isLeft: [Bool] = []
    for start in 0..<(w * h) where piece[start] < 0 && ink.values[start] > 32 && start % w != cut {
        let id = Int32(isLeft.count)
        var stack = [start], members: [Int] = [], sumX = 0
        piece[start] = id
        while let i = stack.popLast() {
            members.append(i)
            sumX += i % w
            let x = i % w, y = i / w
            for ny in max(0, y - 1)...min(h - 1, y + 1) {
                for nx in max(0, x - 1)...min(w - 1, x + 1) where nx != cut {
                    let j = ny * w + nx
                    if piece[j] < 0 && ink.values[j] > 32 { piece[j] = id; stack.append(j) }
                }
            }
        }
        isLeft.append(sumX < cut * members.count)
    }
    var left = ink, right = ink
    for i in 0..<(w * h) {
        let goesLeft = piece[i] >= 0 ? isLeft[Int(piece[i])] : i % w <= cut
        if goesLeft { right.values[i] = 0 } else { left.values[i] = 0 }
    }
    return (left, right)
}

/// The ways a mark's ink may be read as touching digits when it is wide enough for several (see
/// `cutColumns`): for each cut, the two pieces, each with its own ways, at most `depth` cuts deep.
/// `place` turns a box in the ink's window into the picture's pixels.
func touchingSplits(of ink: GreyImage, side: Int, box: Int, depth: Int = touchingDepth, place: (PixelRect) -> MarkBounds) -> [[FoundDigit]] {
    guard depth > 0 else { return [] }
    return cutColumns(ink).compactMap { cut in
        let (left, right) = cutInTwo(ink, at: cut)
        let pieces = [left, right].compactMap { piece -> FoundDigit? in
            guard let bounds = inkBounds(piece, above: 64) else { return nil }
            return FoundDigit(pixels: fittedIntoField(piece, side: side, box: box), bounds: place(bounds), shape: .digit,
                              splits: touchingSplits(of: piece, side: side, box: box, depth: depth - 1, place: place))
        }
        return pieces.count == 2 ? pieces : nil
    }
}

/// `reading` with each mark that is better read as touching digits replaced by them: of a mark's
/// ways to split (each piece itself so resolved first), the one whose pieces have the highest
/// geometric mean of `confidence` (the top probability a classifier gives) replaces the mark when
/// that beats the mark's own. The main digit stays the main one (its first piece, when it is split).
public func touchingDigitsApart(_ reading: DigitReading, confidence: ([UInt8]) -> Float) -> DigitReading {
    func score(_ digits: [FoundDigit]) -> Float {
        var logSum: Float = 0
        for digit in digits { logSum += log(max(confidence(digit.pixels), 1e-9)) }
        return exp(logSum / Float(digits.count))
    }
    func resolved(_ digit: FoundDigit) -> [FoundDigit] {
        let ways = digit.splits.map { $0.flatMap(resolved) }
        guard let best = ways.max(by: { score($0) < score($1) }), score(best) > confidence(digit.pixels) else { return [digit] }
        return best
    }
    var digits: [FoundDigit] = [], main = 0
    for (k, digit) in reading.digits.enumerated() {
        if k == reading.main { main = digits.count }
        digits += resolved(digit)
    }
    return DigitReading(digits: digits, main: main)
}
