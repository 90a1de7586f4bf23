import Foundation
import Testing
import TestSupport
@testable import MNISTData

/// BMP and GIF files written by Pillow (scripts/make-bmp-gif-fixtures.py), decoded pixel for pixel
/// as Pillow reads them back.
struct BMPGIFReferenceTests {
    static let directory = TestData.repositoryRoot.appendingPathComponent("Tests/Fixtures/bmp-gif").path

    @Test func everyFixtureMatchesPillowsPixels() throws {
        let index = String(decoding: try readFile(Self.directory + "/reference.tsv"), as: UTF8.self)
        var checked: [String] = []
        for row in index.split(separator: "\n").dropFirst().map({ $0.split(separator: "\t").map(String.init) }) {
            let (name, width, height) = (row[0], Int(row[1])!, Int(row[2])!)
            let greys = row[3].split(separator: ",").map { UInt16($0)! }, alphas = row[4].split(separator: ",").map { UInt16($0)! }
            let bytes = try readFile(Self.directory + "/" + name)
            let image = name.hasSuffix(".gif") ? try decodeGreyAlphaGIF(bytes) : try decodeGreyAlphaBMP(bytes)
            #expect(image.width == width && image.height == height, "\(name)")
            #expect(image.grey == greys, "\(name)")
            #expect(image.alpha == alphas, "\(name)")
            checked.append(name)
        }
        #expect(checked.count == 9)
    }

    /// The fixtures hold what they are named for, so the test above covers it.
    @Test func theFixturesAreInterlacedAndTransparentWhereTheySaySo() throws {
        let interlaced = try readFile(Self.directory + "/interlaced.gif")
        let descriptor = interlaced.firstIndex(of: 0x2C)!
        #expect(interlaced[descriptor + 9] & 0x40 != 0)
        let transparent = try decodeGreyAlphaGIF(try readFile(Self.directory + "/transparent.gif"))
        #expect(transparent.alpha.contains(0) && transparent.alpha.contains(65535))
        let bilevel = try readFile(Self.directory + "/bilevel1.bmp")
        #expect(bilevel[28] == 1)
    }
}
