import Foundation
import Testing
@testable import MNISTData

private let sharedData = String(#filePath.split(separator: "/", omittingEmptySubsequences: false)
    .dropLast(3).joined(separator: "/")) + "/../shared/data"
private let suiteDirectory = sharedData + "/pngsuite"
private let referenceDirectory = sharedData + "/pngsuite-ref"
private let pngSuiteAvailable = (try? readFile(referenceDirectory + "/index.tsv")) != nil

/// `decodeGreyAlphaPNG`: the same pixels as `decodePNG`, at the file's own precision.
struct GreyAlphaDecodeTests {
    @Test func sixteenBitGreyComesBackSampleForSample() throws {
        let samples = (0..<(37 * 5)).map { UInt16(truncatingIfNeeded: $0 * 354 + 500) }
        let image = try decodeGreyAlphaPNG(encodeGreyPNG(width: 37, height: 5, grey16: samples))
        #expect(image.grey == samples && image.bitDepth == 16)
        #expect(image.alpha.allSatisfy { $0 == 65535 })
    }

    @Test func everyColourTypeAgreesWithTheEightBitDecoder() throws {
        // Colours, greys and alphas from the position; each type stores what it can of them.
        var pixels: [UInt8] = []
        for i in 0..<(16 * 9) {
            let alpha = i % 4 == 0 ? i * 20 % 256 : 255
            pixels += [UInt8(i * 37 % 256), UInt8(i * 91 % 256), UInt8(255 - i), UInt8(alpha)]
        }
        let source = RGBAImage(width: 16, height: 9, pixels: pixels)
        for type in PNGColourType.allCases {
            for depth in type.allowedBitDepths {
                let png = encodePNG(source, options: PNGEncodeOptions(colourType: type, bitDepth: depth, interlaced: depth == 8))
                let eight = try decodePNG(png), full = try decodeGreyAlphaPNG(png)
                for i in 0..<(16 * 9) {
                    let p = Array(eight.pixels[(4 * i)..<(4 * i + 4)])
                    let weighted: Int = 299 * Int(p[0]) + 587 * Int(p[1]) + 114 * Int(p[2])
                    let luma = Float(weighted) / 1000
                    #expect(abs(Float(full.grey[i]) / 257 - luma) <= 1, "\(type) \(depth), pixel \(i)")
                    #expect(scale16To8(full.alpha[i]) == p[3], "\(type) \(depth), pixel \(i)")
                }
                #expect(full.bitDepth == (type == .palette ? 8 : depth))
            }
        }
    }

    // Needs the shared PngSuite copy; skipped (with a message on stderr) on machines without it.
    @Test(.enabled(if: pngSuiteAvailable, "PngSuite is not in ../shared/data"))
    func everyPngSuiteFileAgreesWithItsReference() throws {
        let index = String(decoding: try readFile(referenceDirectory + "/index.tsv"), as: UTF8.self)
        var checked = 0
        for row in index.split(separator: "\n").dropFirst().map({ $0.split(separator: "\t") }) {
            let name = String(row[0])
            let image = try decodeGreyAlphaPNG(try readFile(suiteDirectory + "/\(name).png"))
            let reference = try readFile(referenceDirectory + "/\(name).rgba")
            var worst: Float = 0
            for i in 0..<(image.width * image.height) {
                let p = reference[(4 * i)..<(4 * i + 4)].map(Int.init)
                let weighted: Int = 299 * p[0] + 587 * p[1] + 114 * p[2]
                let luma = Float(weighted) / 1000
                worst = max(worst, abs(Float(image.grey[i]) / 257 - luma), abs(Float(image.alpha[i]) / 257 - Float(p[3])))
            }
            #expect(worst <= 1.5, "\(name): off by \(worst) of 255")
            checked += 1
        }
        #expect(checked == 161)
    }
}
