#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Digits written so close that their ink touches ("2026" in a hurry) make one mark much wider than
/// a digit. Such a mark is offered cut in two where its ink is thinnest, each piece cut again while
/// it is still that wide; whether the pieces are read or the whole is decided by whoever can read
/// them (see `touchingDigitsApart`), since only a classifier can tell a wide 0 from a 10.

/// A mark's ink is wide enough to be two digits when its solid ink is at least 0.9 times as wide as
/// tall: MNIST's digits are about 0.6 (a 1 much less, a wide 0 or 2 up to about 1).
let touchingWidthRatio: Float = 0.9

/// The ink of a mark cut in two at its thinnest column, or nil when it is not wide enough to hold
/// two digits (see `touchingWidthRatio`). The cut is made where the column sums of ink are smallest,
/// within the middle 60% of the solid ink's width (nearest the middle among equals): where two
/// digits touch, only the touching strokes cross that column. Each piece keeps the whole window,
/// with the other piece's columns cleared.
func cutInTwo(_ ink: GreyImage) -> (left: GreyImage, right: GreyImage)? {
    guard let solid = inkBounds(ink, above: 64), solid.height >= 4,
          Float(solid.width) >= touchingWidthRatio * Float(solid.height) else { return nil }
    var best = -1, bestSum = Float.infinity, bestDistance = Int.max
    let middle = solid.x + solid.width / 2
    for x in (solid.x + solid.width / 5)...(solid.x + solid.width * 4 / 5) {
        var sum: Float = 0
        for y in 0..<ink.height { sum += ink[x, y] }
        let distance = abs(x - middle)
        if sum < bestSum || (sum == bestSum && distance < bestDistance) { (best, bestSum, bestDistance) = (x, sum, distance) }
    }
    guard best > 0 else { return nil }
    var left = ink, right = ink
    for y in 0..<ink.height {
        for x in 0..<ink.width {
            if x < best { right[x, y] = 0 } else { left[x, y] = 0 }
        }
    }
    return (left, right)
}

/// The digits a mark's ink may be read as when it is wide enough for several (see `cutInTwo`):
/// the two pieces, each with its own pieces, at most `depth` cuts deep. `place` turns a box in the
/// ink's window into the picture's pixels.
func touchingPieces(of ink: GreyImage, side: Int, box: Int, depth: Int = 3, place: (PixelRect) -> MarkBounds) -> [FoundDigit] {
    guard depth > 0, let (left, right) = cutInTwo(ink) else { return [] }
    return [left, right].compactMap { piece in
        guard let bounds = inkBounds(piece, above: 64) else { return nil }
        return FoundDigit(pixels: fittedIntoField(piece, side: side, box: box), bounds: place(bounds), shape: .digit,
                          pieces: touchingPieces(of: piece, side: side, box: box, depth: depth - 1, place: place))
    }
}

/// `reading` with each mark that is better read as touching digits replaced by them: a mark's
/// pieces (themselves so resolved first) replace it when the geometric mean of their `confidence`
/// (the top probability a classifier gives) beats the mark's own. The main digit stays the main
/// one (its first piece, when it is split).
public func touchingDigitsApart(_ reading: DigitReading, confidence: ([UInt8]) -> Float) -> DigitReading {
    func resolved(_ digit: FoundDigit) -> [FoundDigit] {
        guard !digit.pieces.isEmpty else { return [digit] }
        let pieces = digit.pieces.flatMap(resolved)
        var logSum: Float = 0
        for piece in pieces { logSum += log(max(confidence(piece.pixels), 1e-9)) }
        return exp(logSum / Float(pieces.count)) > confidence(digit.pixels) ? pieces : [digit]
    }
    var digits: [FoundDigit] = [], main = 0
    for (k, digit) in reading.digits.enumerated() {
        if k == reading.main { main = digits.count }
        digits += resolved(digit)
    }
    return DigitReading(digits: digits, main: main)
}
