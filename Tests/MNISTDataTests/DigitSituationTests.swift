import Testing
import TestSupport
@testable import MNISTData

/// `readDigits` finds the digit in the situations people make pictures in, each built in code
/// around strokes whose plain reading (dark ink on white) is the expectation.
struct DigitSituationTests {
    static let four = InkLayer(strokes: strokesOfFour, size: 60, width: 6)
    static let seven = InkLayer(strokes: strokesOfSeven, size: 60, width: 6)

    /// The strokes as dark ink on plain white paper, read: what every situation must come back to.
    static func plain(_ ink: InkLayer) throws -> [UInt8] {
        var page = Canvas(width: ink.size + 20, height: ink.size + 20, colour: (255, 255, 255))
        page.lay(ink, left: 10, top: 10, colour: (0, 0, 0))
        return try readDigits(in: GreyAlphaImage(page.image)).pixels
    }

    static func read(_ canvas: Canvas) throws -> DigitReading { try readDigits(in: GreyAlphaImage(canvas.image)) }

    @Test(arguments: [0, 60, 120, 200, 230] as [Float])
    func aSheetOnADeskWhateverTheDesk(desk: Float) throws {
        // A white sheet whose left edge is in shadow, on a desk of any grey, with sensor noise.
        var photo = Canvas(width: 160, height: 130, colour: (desk, desk * 0.9, desk * 0.8))
        photo.paint(x0: 30, y0: 20, x1: 130, y1: 115, amount: { _, _ in 1 }) { x, _ in
            let shade = max(0, 40 - 4 * Float(x - 30))
            return (250 - shade, 250 - shade, 245 - shade)
        }
        photo.lay(Self.four, left: 55, top: 35, colour: (20, 20, 30))
        photo.add { x, y in 2 * gaussianNoise(x, y) }
        #expect(correlation(try Self.read(photo).pixels, try Self.plain(Self.four)) > 0.97)
    }

    @Test(arguments: [false, true])
    func aScreenshotOfACanvasInLightGreyChrome(titleBar: Bool) throws {
        var shot = Canvas(width: 200, height: 150, colour: (236, 236, 236))
        if titleBar {
            shot.paint(y1: 20, amount: { _, _ in 1 }, colour: (45, 45, 50))
            shot.paint(x0: 8, y0: 5, x1: 18, y1: 15, amount: { _, _ in 1 }, colour: (250, 95, 90))  // a window button
        }
        shot.paint(x0: 60, y0: 26, x1: 76, y1: 40, amount: { _, _ in 1 }, colour: (70, 70, 80))  // a toolbar icon
        shot.paint(x0: 40, y0: 45, x1: 190, y1: 145, amount: { _, _ in 1 }, colour: (255, 255, 255))
        shot.lay(Self.four, left: 90, top: 65, colour: (0, 0, 0))
        let reading = try Self.read(shot)
        #expect(reading.digits.count == 1)
        #expect(correlation(reading.pixels, try Self.plain(Self.four)) > 0.99)
    }

    @Test func aFormBoxAroundTheDigitIsNotPartOfIt() throws {
        var form = Canvas(width: 120, height: 110, colour: (246, 245, 240))
        form.paint(x0: 20, y0: 15, x1: 100, y1: 95, amount: { x, y in
            (23..<97).contains(x) && (18..<92).contains(y) ? 0 : 1  // 3-pixel lines
        }, colour: (60, 70, 130))
        form.lay(Self.seven, left: 30, top: 25, colour: (20, 20, 30))
        #expect(correlation(try Self.read(form).pixels, try Self.plain(Self.seven)) > 0.99)
    }

    @Test func chalkOnABlackboardInALightFrame() throws {
        var board = Canvas(width: 140, height: 120, colour: (190, 150, 100))
        board.paint(x0: 12, y0: 12, x1: 128, y1: 108, amount: { _, _ in 1 }, colour: (45, 60, 50))
        board.lay(Self.four, left: 40, top: 30, colour: (235, 235, 225))
        board.add { x, y in 2 * gaussianNoise(x, y) }
        #expect(correlation(try Self.read(board).pixels, try Self.plain(Self.four)) > 0.97)
    }

    @Test func dustUnderlinesAndEdgeStripsAreLeftOut() throws {
        let clean = try Self.plain(Self.four)
        var page = Canvas(width: 110, height: 110, colour: (255, 255, 255))
        page.lay(Self.four, left: 20, top: 15, colour: (0, 0, 0))
        page.paint(x0: 2, y0: 104, x1: 5, y1: 107, amount: { _, _ in 1 }, colour: (30, 30, 30))      // a 3x3 speck in a corner
        page.paint(x0: 95, y0: 30, x1: 97, y1: 32, amount: { _, _ in 1 }, colour: (60, 60, 60))       // a 2x2 one
        page.paint(x0: 10, y0: 82, x1: 96, y1: 87, amount: { _, _ in 1 }, colour: (10, 10, 10))       // an underline
        page.paint(x0: 0, y0: 0, x1: 110, y1: 4, amount: { _, _ in 1 }, colour: (90, 80, 70))         // a strip of desk
        let reading = try readDigits(in: GreyAlphaImage(page.image))
        #expect(reading.digits.count == 1)
        #expect(correlation(reading.pixels, clean) > 0.99)
    }

    @Test func severalDigitsAreFoundLeftToRightAndTheLargestIsMain() throws {
        let small = InkLayer(strokes: strokesOfSeven, size: 50, width: 5)
        var page = Canvas(width: 150, height: 90, colour: (255, 255, 255))
        page.lay(small, left: 10, top: 20, colour: (0, 0, 0))
        page.lay(Self.four, left: 80, top: 15, colour: (0, 0, 0))
        let reading = try readDigits(in: GreyAlphaImage(page.image))
        #expect(reading.digits.count == 2)
        #expect(reading.main == 1)
        #expect(reading.digits[0].bounds.x < reading.digits[1].bounds.x)
        #expect(correlation(reading.digits[0].pixels, try Self.plain(small)) > 0.97)
        #expect(correlation(reading.digits[1].pixels, try Self.plain(Self.four)) > 0.97)
    }

    @Test func dotsAndLinesAreNamedAndADigitIsADigit() throws {
        func shape(_ strokes: [(x0: Float, y0: Float, x1: Float, y1: Float)], width: Float) throws -> MarkShape {
            var page = Canvas(width: 80, height: 80, colour: (255, 255, 255))
            page.lay(InkLayer(strokes: strokes, size: 60, width: width), left: 10, top: 10, colour: (0, 0, 0))
            let reading = try readDigits(in: GreyAlphaImage(page.image))
            return reading.digits[reading.main].shape
        }
        #expect(try shape([(0.5, 0.5, 0.5, 0.5)], width: 12) == .dot)
        #expect(try shape([(0.1, 0.5, 0.9, 0.52)], width: 4) == .line)
        #expect(try shape([(0.5, 0.1, 0.5, 0.9)], width: 5) == .digit)   // a 1
        #expect(try shape([(0.65, 0.1, 0.35, 0.9)], width: 5) == .digit)  // a slanted 1
        #expect(try shape(strokesOfFour, width: 6) == .digit)
    }

    @Test func thickStrokesAreThinnedAndHairlinesThickenedTowardsMNISTsPen() throws {
        for width: Float in [1, 6, 16] {
            let ink = InkLayer(strokes: strokesOfFour, size: 120, width: width)
            var page = Canvas(width: 150, height: 150, colour: (255, 255, 255))
            page.lay(ink, left: 15, top: 15, colour: (0, 0, 0))
            let pixels = try readDigits(in: GreyAlphaImage(page.image)).pixels
            let pen = strokeWidth(GreyImage(width: 28, height: 28, values: pixels.map(Float.init)))
            #expect(mnistStrokeWidths.contains(pen), "drawn \(width) px wide, read \(pen)")
        }
    }

    @Test func aDigitCutByThePicturesEdgeIsStillFound() throws {
        var crop = Canvas(width: 50, height: 64, colour: (255, 255, 255))
        crop.lay(Self.seven, left: -15, top: 0, colour: (0, 0, 0))  // the 7's bar starts 2 pixels outside
        let reading = try readDigits(in: GreyAlphaImage(crop.image))
        #expect(reading.digits.count == 1)
        #expect(reading.digits[0].bounds.x == 0)
    }
}
