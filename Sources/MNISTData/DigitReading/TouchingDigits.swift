#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Digits written so close that their ink touches ("2026" in a hurry) make one mark much wider than
/// a digit. Such a mark keeps its ink, to be cut in two at a few of the columns where its ink is
/// thinnest, each piece cut again while it is still that wide; whether pieces are read or the
/// whole, and which cut, is decided by whoever can read them (see `touchingDigitsApart`), since
/// only a classifier can tell a wide 0 from a 10.

/// A mark's ink is wide enough to be two digits when its solid ink is at least 0.9 times as wide as
/// tall: MNIST's digits are about 0.6 (a 1 much less, a wide 0 or 2 up to about 1).
let touchingWidthRatio: Float = 0.9

/// How many times a mark is cut at most: up to 8 touching digits.
let touchingDepth = 3

/// A piece of a cut is kept only when its solid ink is at least this share of the mark's height:
/// digits written side by side are about as tall as each other, and a cut that leaves a short piece
/// has taken a stroke off one digit (a 7's bar, a 5's flag) rather than parted two of them.
let touchingPieceHeight: Float = 0.8

/// Where a wide mark may be cut, when it is wide enough to hold two digits (see
/// `touchingWidthRatio`); empty otherwise. With `count`, the columns of least ink (column sums)
/// that are local minima within the middle 60% of the solid ink's width, at most `count` of them, a
/// twelfth of the width apart; without, every other column of that middle 60%, since the thinnest
/// column is often not where two touching digits meet (the least ink lies inside a 0 or a 4).
func cutColumns(_ ink: GreyImage, count: Int? = nil) -> [Int] {
    guard let solid = inkBounds(ink, above: 64), solid.height >= 4,
          Float(solid.width) >= touchingWidthRatio * Float(solid.height) else { return [] }
    let first = max(1, solid.x + solid.width / 5), last = min(ink.width - 2, solid.x + solid.width * 4 / 5)
    guard first <= last else { return [] }
    guard let count else { return Array(stride(from: first, through: last, by: 2)) }
    var sums = [Float](repeating: 0, count: ink.width)
    for y in 0..<ink.height {
        for x in 0..<ink.width { sums[x] += ink[x, y] }
    }
    let minima = (first...last).filter { x in sums[x] <= sums[x - 1] && sums[x] <= sums[x + 1] }.sorted { sums[$0] < sums[$1] }
    var chosen: [Int] = []
    for x in minima where chosen.count < count && chosen.allSatisfy({ 12 * abs($0 - x) >= solid.width }) { chosen.append(x) }
    return chosen
}

/// The ink cut in two at column `cut`: with that column's ink set aside, each connected piece of
/// ink (above an eighth of full strength, 8-connected) goes to the side its centre lies on, so
/// digits whose boxes overlap (a 7's bar over the next digit) come apart whole; the rest (faint
/// fringes, the cut column itself) goes by its own column, and so does everything when the pieces
/// so found leave either side under 15% of the ink. Each piece keeps the whole window.
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
    // When the column does not part the ink (the digits touch along more than it), its own side.
    var leftInk: Float = 0, total: Float = 0
    for i in 0..<(w * h) {
        total += ink.values[i]
        if piece[i] >= 0 ? isLeft[Int(piece[i])] : i % w <= cut { leftInk += ink.values[i] }
    }
    let parted = leftInk >= 0.15 * total && leftInk <= 0.85 * total
    var left = ink, right = ink
    for i in 0..<(w * h) {
        let goesLeft = parted && piece[i] >= 0 ? isLeft[Int(piece[i])] : i % w <= cut
        if goesLeft { right.values[i] = 0 } else { left.values[i] = 0 }
    }
    return (left, right)
}

/// A mark's ink, kept so that it can be cut apart when asked (see `touchingDigitsApart`): its window
/// of the working picture, where that window is, and how the digits are to be formed.
struct MarkInk {
    var ink: GreyImage
    var origin: (x: Int, y: Int)
    /// How much the working picture was shrunk from the original.
    var factor: Int
    var side: Int, box: Int

    /// `ink` as a mark when it is wide enough to be touching digits (see `touchingWidthRatio`).
    static func ifWide(_ ink: GreyImage, origin: (x: Int, y: Int), factor: Int, side: Int, box: Int) -> MarkInk? {
        guard let solid = inkBounds(ink, above: 64), Float(solid.width) >= touchingWidthRatio * Float(solid.height) else { return nil }
        return MarkInk(ink: ink, origin: origin, factor: factor, side: side, box: box)
    }

    /// One piece of this mark's ink (the rest cleared) as a digit of its own, its window cropped to
    /// its ink; nil when it holds no solid ink or too little of the mark's height to be a digit
    /// beside another (`touchingPieceHeight`).
    func digit(_ piece: GreyImage) -> FoundDigit? {
        guard let solid = inkBounds(piece, above: 64), let extent = inkBounds(piece),
              let whole = inkBounds(ink, above: 64), Float(solid.height) >= touchingPieceHeight * Float(whole.height) else { return nil }
        var cropped = GreyImage(width: extent.width, height: extent.height)
        for y in 0..<extent.height {
            for x in 0..<extent.width { cropped[x, y] = piece[extent.x + x, extent.y + y] }
        }
        let at = (x: origin.x + extent.x, y: origin.y + extent.y)
        return FoundDigit(pixels: fittedIntoField(cropped, side: side, box: box),
                          bounds: MarkBounds(x: (origin.x + solid.x) * factor, y: (origin.y + solid.y) * factor,
                                             width: solid.width * factor, height: solid.height * factor),
                          shape: .digit, wideInk: MarkInk.ifWide(cropped, origin: at, factor: factor, side: side, box: box))
    }
}

/// `reading` with each mark that is better read as touching digits replaced by them. A mark wide
/// enough for several (`touchingWidthRatio`) is cut at every other column of its middle (`cutColumns`;
/// its pieces at their two thinnest, at most `touchingDepth` cuts deep), pieces too short to be a
/// digit beside another refused (`touchingPieceHeight`), and each piece resolved the same
/// way; of these ways, the one whose pieces have the highest geometric mean of `confidence` (the
/// top probability a classifier gives) replaces the mark when that beats the mark's own. The main
/// digit stays the main one (its first piece, when it is split).
public func touchingDigitsApart(_ reading: DigitReading, confidence: ([UInt8]) -> Float) -> DigitReading {
    func score(_ digits: [FoundDigit]) -> Float {
        var logSum: Float = 0
        for digit in digits { logSum += log(max(confidence(digit.pixels), 1e-9)) }
        return exp(logSum / Float(digits.count))
    }
    func resolved(_ digit: FoundDigit, depth: Int) -> [FoundDigit] {
        guard depth > 0, let mark = digit.wideInk else { return [digit] }
        let ways = cutColumns(mark.ink, count: depth == touchingDepth ? nil : 2).compactMap { cut -> [FoundDigit]? in
            let (left, right) = cutInTwo(mark.ink, at: cut)
            let pieces = [left, right].compactMap(mark.digit)
            return pieces.count == 2 ? pieces.flatMap { resolved($0, depth: depth - 1) } : nil
        }
        guard let best = ways.max(by: { score($0) < score($1) }), score(best) > confidence(digit.pixels) else { return [digit] }
        return best
    }
    var digits: [FoundDigit] = [], main = 0
    for (k, digit) in reading.digits.enumerated() {
        if k == reading.main { main = digits.count }
        digits += resolved(digit, depth: touchingDepth)
    }
    return DigitReading(digits: digits, main: main)
}
