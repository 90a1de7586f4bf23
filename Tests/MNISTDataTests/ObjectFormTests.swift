@testable import MNISTData
import Testing
import TestSupport

/// The object and none forms on pictures built in code, whose answer can be worked out by hand.
struct ObjectFormTests {
    /// A textured object as Fashion-MNIST's recipe leaves one in 28x28: 28 tall, 17 wide, centred
    /// with the odd pixel on the left (x = ceil(11 / 2) = 6); levels 40 to 255, with a hole of
    /// background inside. The object form must give it back exactly.
    func framedObject() -> [UInt8] {
        (0..<784).map { i in
            let x = i % 28, y = i / 28
            guard (6..<23).contains(x) else { return 0 }
            if (10..<14).contains(x) && (8..<12).contains(y) { return 0 }
            if (x, y) == (6, 0) { return 255 }  // the strongest ink, which the form maps to 255
            return UInt8(40 + (x * 37 + y * 11) % 211)
        }
    }

    @Test func anObjectAlreadyInTheFormComesOutUnchanged() throws {
        let object = framedObject()
        #expect(try readObject(in: picture(grey: object.map { 255 - $0 }, width: 28)) == object, "dark on light")
        #expect(try readObject(in: picture(grey: object, width: 28)) == object, "light on dark")
    }

    /// A small object anywhere in a large picture: cropped to its box and scaled so its longer side
    /// fills the frame, centred; levels kept (the strongest ink 255, the paper 0).
    @Test func aSmallObjectIsFittedIntoTheWholeFrame() throws {
        // 6 wide, 3 tall at (50, 70) in 100x90, on paper at 200 with ink at 50 (solid) and 125 (half).
        let grey = (0..<(100 * 90)).map { i -> UInt8 in
            let x = i % 100, y = i / 100
            guard (50..<56).contains(x), (70..<73).contains(y) else { return 200 }
            return x < 53 ? 50 : 125
        }
        let out = try readObject(in: picture(grey: grey, width: 100))
        // Footprint 6/28: the box becomes 28 wide and 14 tall, at y = ceil(14 / 2) = 7.
        let rows = (0..<28).filter { y in (0..<28).contains { out[y * 28 + $0] > 0 } }
        #expect(rows == Array(7..<21))
        #expect(out[14 * 28 + 0] == 255 && out[14 * 28 + 27] == 128, "solid ink 255, half-strength ink half")
        #expect(out[14 * 28 + 13] == 255 && out[14 * 28 + 14] == 128)
    }

    /// Every piece is the object's, however far apart (a sandal's straps), but a speck a twentieth of
    /// the largest piece's size is not.
    @Test func allTheInkIsTheObjectButSpecks() throws {
        var grey = [UInt8](repeating: 255, count: 200 * 200)
        for y in 20..<120 { for x in 20..<40 { grey[y * 200 + x] = 0 } }    // 20 x 100
        for y in 100..<140 { for x in 150..<170 { grey[y * 200 + x] = 0 } }  // 20 x 40, far to the right
        grey[190 * 200 + 190] = 0                                            // a speck
        let out = try readObject(in: picture(grey: grey, width: 200))
        // The box is x 20..<170 (150 wide), y 20..<140 (120 tall): 28 wide, 22.4 -> 22 tall.
        let columns = (0..<28).filter { x in (0..<28).contains { out[$0 * 28 + x] > 0 } }
        let rows = (0..<28).filter { y in (0..<28).contains { out[y * 28 + $0] > 0 } }
        #expect(columns.first == 0 && columns.last == 27 && rows == Array(3..<25), "\(rows)")
    }

    @Test func noneTakesTheWholePictureWithItsBackgroundAtZero() throws {
        let object = framedObject()
        #expect(try readWhole(picture(grey: object.map { 255 - $0 }, width: 28)) == object)
        // 56x56 with a 2x2 dark block at (10, 20): one output pixel at (5, 10), full strength.
        let grey = (0..<(56 * 56)).map { i -> UInt8 in (10..<12).contains(i % 56) && (20..<22).contains(i / 56) ? 30 : 230 }
        let out = try readWhole(picture(grey: grey, width: 56))
        #expect(out[10 * 28 + 5] == 255 && out.filter { $0 > 0 }.count == 1)
    }

    @Test func blankPicturesHaveNoInk() {
        let blank = picture(grey: [UInt8](repeating: 180, count: 900), width: 30)
        for form in [InputForm.object, .none] {
            #expect(throws: DigitFormError.noInk) { try modelInput(from: blank, form: form) }
        }
    }
}
