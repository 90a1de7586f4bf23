import Testing
import TestSupport
@testable import MNISTData

/// PngSuite and its reference decodings live outside the repository (see TestData.pngSuite), which
/// says once, loudly, when they are missing.
private let suiteDirectory = TestData.pngSuite.directory + "/pngsuite"
private let referenceDirectory = TestData.pngSuite.directory + "/pngsuite-ref"

/// The 14 deliberately corrupt files and what the error must say about each.
private let corruptFiles: [(name: String, isRightError: @Sendable (PNGError) -> Bool)] = [
    ("xs1n0g01", { "\($0)".contains("high bit") }),
    ("xs2n0g01", { if case .damagedSignature(let r) = $0 { r.contains("byte 1 ") } else { false } }),
    ("xs4n0g01", { if case .damagedSignature(let r) = $0 { r.contains("byte 3 ") } else { false } }),
    ("xs7n0g01", { if case .damagedSignature(let r) = $0 { r.contains("byte 6 ") } else { false } }),
    ("xcrn0g04", { if case .damagedSignature(let r) = $0 { r.contains("line endings") } else { false } }),
    ("xlfn0g04", { if case .damagedSignature(let r) = $0 { r.contains("line endings") } else { false } }),
    ("xc1n0g08", { $0 == .badColourType(1) }),
    ("xc9n2c08", { $0 == .badColourType(9) }),
    ("xd0n2c08", { $0 == .badBitDepth(bitDepth: 0, colourType: 2) }),
    ("xd3n2c08", { $0 == .badBitDepth(bitDepth: 3, colourType: 2) }),
    ("xd9n2c08", { $0 == .badBitDepth(bitDepth: 99, colourType: 2) }),
    ("xhdn0g08", { if case .badCRC("IHDR", 8, _, _) = $0 { true } else { false } }),
    ("xcsn0g01", { if case .badCRC("IDAT", _, _, _) = $0 { true } else { false } }),
    ("xdtn0g01", { $0 == .missingImageData }),
]

struct PngSuiteTests {
    // Needs the shared PngSuite copy; skipped (with a message on stderr) on machines without it.
    @Test(.enabled(if: TestData.pngSuite.isPresent, "PngSuite is not in ../shared/data"))
    func everyValidFileDecodesToTheReferenceWithinOne() throws {
        let index = String(decoding: try readFile(referenceDirectory + "/index.tsv"), as: UTF8.self)
        let rows = index.split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }
        #expect(rows.count == 161)  // every valid PngSuite image, the suite's own PngSuite.png included
        var checked = 0
        for row in rows {
            let name = String(row[0]), width = Int(row[1])!, height = Int(row[2])!
            let image: RGBAImage
            do {
                image = try decodePNG(try readFile(suiteDirectory + "/\(name).png"))
            } catch {
                Issue.record("\(name): \(error)")
                continue
            }
            let reference = try readFile(referenceDirectory + "/\(name).rgba")
            #expect(image.width == width && image.height == height, "\(name): size")
            #expect(image.pixels.count == reference.count, "\(name): pixel count")
            guard image.pixels.count == reference.count else { continue }
            let worst = zip(image.pixels, reference).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(worst <= 1, "\(name): largest sample difference \(worst)")
            checked += 1
        }
        #expect(checked == 161)
    }

    @Test(.enabled(if: TestData.pngSuite.isPresent, "PngSuite is not in ../shared/data"))
    func everyCorruptFileIsRejectedWithTheRightReason() throws {
        for (name, isRightError) in corruptFiles {
            let bytes = try readFile(suiteDirectory + "/\(name).png")
            do {
                let image = try decodePNG(bytes)
                Issue.record("\(name): accepted as \(image.width)x\(image.height) but is corrupt")
            } catch {
                #expect(isRightError(error), "\(name): wrong error: \(error)")
            }
        }
    }
}
