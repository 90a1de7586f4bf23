import Testing
@testable import MNISTData

/// A width x height image every sample of which the given colour type and depth store exactly,
/// with values derived from the position so that rows and passes all differ.
private func representableImage(_ type: PNGColourType, depth: Int, width: Int = 13, height: Int = 11) -> RGBAImage {
    let levels = depth == 16 ? 256 : 1 << depth
    let step = 255 / (levels - 1)  // 8-bit value of one level (255, 85, 17, 1)
    func level(_ x: Int, _ y: Int, _ c: Int) -> UInt8 { UInt8(((x * 7 + y * 3 + c * 5) % levels) * step) }
    var pixels = [UInt8](repeating: 0, count: width * height * 4)
    for y in 0..<height {
        for x in 0..<width {
            let p = (y * width + x) * 4
            switch type {
            case .palette:
                let i = (x * 7 + y * 3) % levels
                pixels[p] = UInt8(i * 37 % 256); pixels[p + 1] = UInt8(i * 91 % 256); pixels[p + 2] = UInt8(255 - i)
                pixels[p + 3] = i % 3 == 0 ? UInt8(i * 20 % 256) : 255
            case .grey, .greyAlpha:
                let g = level(x, y, 0)
                pixels[p] = g; pixels[p + 1] = g; pixels[p + 2] = g
                pixels[p + 3] = type == .greyAlpha ? level(x, y, 3) : 255
            case .rgb, .rgba:
                for c in 0..<3 { pixels[p + c] = level(x, y, c) }
                pixels[p + 3] = type == .rgba ? level(x, y, 3) : 255
            }
        }
    }
    // Types without alpha: make every fifth pixel transparent in one colour no opaque pixel has
    // (it must survive as a tRNS key). With 1-bit grey no colour is left over, so skip it there.
    if (type == .grey && depth > 1) || type == .rgb {
        let opaque = Set(stride(from: 0, to: pixels.count, by: 4).map { Array(pixels[$0..<($0 + 3)]) })
        let key = (0...255).map { UInt8($0 / step * step) }.map { [$0, $0, $0] }.first { !opaque.contains($0) }
        if let key {
            for p in stride(from: 0, to: pixels.count, by: 20) { pixels[p..<(p + 4)] = ArraySlice(key + [0]) }
        }
    }
    return RGBAImage(width: width, height: height, pixels: pixels)
}

/// Chunk types of a PNG file in order (the encoder's output is assumed well-formed here;
/// the decoder checks it properly).
private func chunkTypes(_ png: [UInt8]) -> [String] {
    var types: [String] = [], offset = 8
    while offset + 8 <= png.count {
        let length = Int(readUInt32(png, at: offset))
        types.append(String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self))
        offset += 12 + length
    }
    return types
}

struct PNGEncodeTests {
    @Test func everyColourTypeDepthAndInterlaceRoundTripsExactly() throws {
        var cases = 0
        for type in PNGColourType.allCases {
            for depth in type.allowedBitDepths {
                for interlaced in [false, true] {
                    let image = representableImage(type, depth: depth)
                    let options = PNGEncodeOptions(colourType: type, bitDepth: depth, interlaced: interlaced)
                    let png = encodePNG(image, options: options)
                    #expect(png[24] == UInt8(depth) && png[25] == type.rawValue && png[28] == (interlaced ? 1 : 0))
                    let decoded = try decodePNG(png)
                    #expect(decoded == image, "\(type) depth \(depth) interlaced \(interlaced)")
                    cases += 1
                }
            }
        }
        #expect(cases == 2 * (5 + 4 + 2 + 2 + 2))
    }

    @Test func transparencyKeyIsWrittenForGreyAndRGB() throws {
        for type in [PNGColourType.grey, .rgb] {
            let image = representableImage(type, depth: 8)
            let png = encodePNG(image, options: PNGEncodeOptions(colourType: type))
            #expect(chunkTypes(png) == ["IHDR", "tRNS", "IDAT", "IEND"])
            #expect(try decodePNG(png).pixels[3] == 0)  // pixel 0 is one of the transparent ones
        }
    }

    @Test(arguments: PNGFilter.allCases)
    func eachFixedFilterRoundTrips(filter: PNGFilter) throws {
        for type in [PNGColourType.grey, .rgba] {
            for depth in [2, 16] where type.allowedBitDepths.contains(depth) {
                let image = representableImage(type, depth: depth, width: 17, height: 9)
                let png = encodePNG(image, options: PNGEncodeOptions(colourType: type, bitDepth: depth, filter: filter))
                #expect(try decodePNG(png) == image)
            }
        }
    }

    @Test func adaptiveFilteringUsesSeveralFilterTypes() throws {
        let image = representableImage(.rgba, depth: 8, width: 40, height: 40)
        let png = encodePNG(image, options: PNGEncodeOptions(colourType: .rgba, compressionLevel: 0))
        // Level 0 stores the scanlines verbatim, so the filter bytes can be read back from the
        // stored block: zlib header (2) + block header (5), then rows of 1 + 40 * 4 bytes.
        #expect(chunkTypes(png) == ["IHDR", "IDAT", "IEND"])
        let idatData = png[(33 + 8)...]
        let filters = Set((0..<40).map { idatData[idatData.startIndex + 7 + $0 * 161] })
        #expect(filters.count >= 2 && filters.allSatisfy { $0 <= 4 })
        #expect(try decodePNG(png) == image)
    }

    @Test func smallIDATLimitSplitsTheStreamAndStillDecodes() throws {
        let image = representableImage(.rgba, depth: 8)
        let png = encodePNG(image, options: PNGEncodeOptions(maxIDATSize: 7))
        let types = chunkTypes(png)
        let idats = types.filter { $0 == "IDAT" }.count
        #expect(idats >= 3, "\(types)")  // the patterned image compresses to a few dozen bytes
        #expect(types.first == "IHDR" && types.last == "IEND")
        #expect(try decodePNG(png) == image)
    }

    @Test func greyPNGRoundTripsAndIsEightBitGrey() throws {
        let grey = (0..<(29 * 31)).map { UInt8(($0 * 13) % 256) }
        let png = encodeGreyPNG(width: 29, height: 31, grey: grey)
        #expect(png[24] == 8 && png[25] == 0)
        let decoded = try decodePNG(png)
        #expect(decoded.width == 29 && decoded.height == 31)
        #expect(stride(from: 0, to: decoded.pixels.count, by: 4).map { decoded.pixels[$0] } == grey)
        #expect(stride(from: 3, to: decoded.pixels.count, by: 4).allSatisfy { decoded.pixels[$0] == 255 })
    }

    @Test func greyConversionIsLumaAndLowDepthsRoundToNearestLevel() throws {
        let pixels: [UInt8] = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 100, 100, 100, 255]
        let image = RGBAImage(width: 4, height: 1, pixels: pixels)
        let grey8 = try decodePNG(encodePNG(image, options: PNGEncodeOptions(colourType: .grey)))
        #expect(stride(from: 0, to: 16, by: 4).map { grey8.pixels[$0] } == [76, 150, 29, 100])
        // 2-bit levels are 0, 85, 170, 255: 76 -> 85, 150 -> 170, 29 -> 0, 100 -> 85.
        let grey2 = try decodePNG(encodePNG(image, options: PNGEncodeOptions(colourType: .grey, bitDepth: 2)))
        #expect(stride(from: 0, to: 16, by: 4).map { grey2.pixels[$0] } == [85, 170, 0, 85])
    }

    @Test func paletteWithTooManyColoursKeepsTheCommonOnesAndMapsTheRestNearby() throws {
        // 4-bit palette (16 entries): 12 frequent colours and 40 rare near-copies of them.
        var pixels: [UInt8] = []
        for i in 0..<(12 * 10) { pixels += [UInt8(i % 12 * 20), 50, 200, 255] }
        for i in 0..<40 { pixels += [UInt8(i % 12 * 20 + 3), 52, 199, 255] }
        let image = RGBAImage(width: 40, height: 4, pixels: pixels)
        let decoded = try decodePNG(encodePNG(image, options: PNGEncodeOptions(colourType: .palette, bitDepth: 4)))
        #expect(decoded.pixels[..<(12 * 10 * 4)] == pixels[..<(12 * 10 * 4)])
        let worst = zip(decoded.pixels, pixels).map { abs(Int($0) - Int($1)) }.max()!
        #expect(worst > 0 && worst <= 3)
    }

    @Test func unsupportedDepthFallsBackToAnAllowedOne() throws {
        let image = representableImage(.rgb, depth: 8)
        let png = encodePNG(image, options: PNGEncodeOptions(colourType: .rgb, bitDepth: 4))
        #expect(png[24] == 8)
        #expect(try decodePNG(png) == image)
    }
}
