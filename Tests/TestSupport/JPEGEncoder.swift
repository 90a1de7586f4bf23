import Foundation
import MNISTData

/// A small baseline JPEG encoder, for tests only: greyscale, or YCbCr with 4:2:0 chroma, with the
/// standard tables of T.81 Annex K (quantisation scaled by quality as libjpeg scales it, the
/// typical Huffman tables). Enough to make the JPEGs phones and editors make of a picture.
public func encodeGreyJPEG(width: Int, height: Int, grey: [UInt8], quality: Int) -> [UInt8] {
    precondition(grey.count == width * height && width > 0 && height > 0, "encodeGreyJPEG: \(grey.count) samples for \(width)x\(height)")
    var encoder = BaselineJPEGEncoder(width: width, height: height, quality: quality, components: 1)
    encoder.encode(planes: [grey], planeWidth: width, planeHeight: height)
    return encoder.file
}

/// RGB (3 bytes a pixel) as YCbCr (JFIF's BT.601 full-range conversion), chroma averaged over 2x2.
public func encodeColourJPEG(width: Int, height: Int, rgb: [UInt8], quality: Int) -> [UInt8] {
    precondition(rgb.count == width * height * 3 && width > 0 && height > 0, "encodeColourJPEG: \(rgb.count) bytes for \(width)x\(height)")
    var y = [UInt8](repeating: 0, count: width * height)
    var cb = [Float](repeating: 0, count: width * height), cr = cb
    for i in 0..<(width * height) {
        let r = Float(rgb[3 * i]), g = Float(rgb[3 * i + 1]), b = Float(rgb[3 * i + 2])
        y[i] = UInt8(max(0, min(255, (0.299 * r + 0.587 * g + 0.114 * b).rounded())))
        cb[i] = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
        cr[i] = 0.5 * r - 0.418688 * g - 0.081312 * b + 128
    }
    let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
    func halve(_ plane: [Float]) -> [UInt8] {
        (0..<(chromaWidth * chromaHeight)).map { i in
            let cx = i % chromaWidth, cy = i / chromaWidth
            var sum: Float = 0, n: Float = 0
            for yy in (2 * cy)..<min(height, 2 * cy + 2) { for xx in (2 * cx)..<min(width, 2 * cx + 2) { sum += plane[yy * width + xx]; n += 1 } }
            return UInt8(max(0, min(255, (sum / n).rounded())))
        }
    }
    var encoder = BaselineJPEGEncoder(width: width, height: height, quality: quality, components: 3)
    encoder.encode(planes: [y, halve(cb), halve(cr)], planeWidth: width, planeHeight: height)
    return encoder.file
}

/// A PNG (as `renderSituation` makes them) saved as a JPEG at `quality`: greyscale when every
/// pixel is grey, else colour; transparency is composited over white, as a JPEG has none.
public func jpegOfPNG(_ png: [UInt8], quality: Int) throws -> [UInt8] {
    let image = try decodePNG(png)
    let count = image.width * image.height
    var rgb = [UInt8](repeating: 0, count: count * 3)
    var isGrey = true
    for i in 0..<count {
        let a = Int(image.pixels[4 * i + 3])
        for c in 0..<3 { rgb[3 * i + c] = UInt8((Int(image.pixels[4 * i + c]) * a + 255 * (255 - a) + 127) / 255) }
        if rgb[3 * i] != rgb[3 * i + 1] || rgb[3 * i] != rgb[3 * i + 2] { isGrey = false }
    }
    if isGrey {
        return encodeGreyJPEG(width: image.width, height: image.height, grey: (0..<count).map { rgb[3 * $0] }, quality: quality)
    }
    return encodeColourJPEG(width: image.width, height: image.height, rgb: rgb, quality: quality)
}

private struct BaselineJPEGEncoder {
    let width: Int, height: Int, components: Int
    let quant: [[Int]]  // natural order: luma, chroma
    var file: [UInt8] = []
    private var accumulator: UInt32 = 0, bitCount = 0

    init(width: Int, height: Int, quality: Int, components: Int) {
        self.width = width
        self.height = height
        self.components = components
        let q = max(1, min(100, quality))
        let scale = q < 50 ? 5000 / q : 200 - 2 * q
        quant = [annexKLumaQuant, annexKChromaQuant].map { table in table.map { max(1, min(255, ($0 * scale + 50) / 100)) } }
    }

    /// planes: Y at full size, then (colour) Cb and Cr at half size each way.
    mutating func encode(planes: [[UInt8]], planeWidth: Int, planeHeight: Int) {
        writeHeaders()
        let mcuSide = components == 1 ? 8 : 16
        let mcusWide = (width + mcuSide - 1) / mcuSide, mcusHigh = (height + mcuSide - 1) / mcuSide
        var predictions = [0, 0, 0]
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        for my in 0..<mcusHigh {
            for mx in 0..<mcusWide {
                let lumaBlocks = components == 1 ? 1 : 2
                for by in 0..<lumaBlocks {
                    for bx in 0..<lumaBlocks {
                        let block = samples(planes[0], width, height, x0: mx * mcuSide + bx * 8, y0: my * mcuSide + by * 8)
                        encodeBlock(block, table: 0, prediction: &predictions[0])
                    }
                }
                if components == 3 {
                    for c in 1...2 {
                        let block = samples(planes[c], chromaWidth, chromaHeight, x0: mx * 8, y0: my * 8)
                        encodeBlock(block, table: 1, prediction: &predictions[c])
                    }
                }
            }
        }
        if bitCount > 0 { put(Int((1 << (8 - bitCount)) - 1), bitCount: 8 - bitCount) }
        file += [0xFF, 0xD9]
    }

    /// An 8x8 block at (x0, y0), edge samples repeated past the plane's edge.
    private func samples(_ plane: [UInt8], _ w: Int, _ h: Int, x0: Int, y0: Int) -> [Float] {
        (0..<64).map { i in Float(plane[min(h - 1, y0 + i / 8) * w + min(w - 1, x0 + i % 8)]) - 128 }
    }

    private mutating func encodeBlock(_ block: [Float], table: Int, prediction: inout Int) {
        var rows = [Float](repeating: 0, count: 64), coefficients = [Int](repeating: 0, count: 64)
        for y in 0..<8 { for u in 0..<8 { rows[y * 8 + u] = (0..<8).reduce(0) { $0 + dctBasis[u * 8 + $1] * block[y * 8 + $1] } } }
        for v in 0..<8 {
            for u in 0..<8 {
                let c = (0..<8).reduce(Float(0)) { $0 + dctBasis[v * 8 + $1] * rows[$1 * 8 + u] }
                coefficients[v * 8 + u] = Int((c / Float(quant[table][v * 8 + u])).rounded())
            }
        }
        let zigzag = zigzagOrder.map { coefficients[$0] }
        let dc = table == 0 ? dcLumaCodes : dcChromaCodes, ac = table == 0 ? acLumaCodes : acChromaCodes
        let diff = zigzag[0] - prediction
        prediction = zigzag[0]
        putCoded(dc, symbol: magnitudeBits(diff), value: diff)
        var run = 0
        for k in 1..<64 {
            if zigzag[k] == 0 { run += 1; continue }
            while run > 15 {
                putCode(ac[0xF0]!)
                run -= 16
            }
            putCoded(ac, symbol: run << 4 | magnitudeBits(zigzag[k]), value: zigzag[k])
            run = 0
        }
        if run > 0 { putCode(ac[0]!) }
    }

    private func magnitudeBits(_ v: Int) -> Int { v == 0 ? 0 : Int.bitWidth - abs(v).leadingZeroBitCount }

    private mutating func putCoded(_ codes: [Int: (code: Int, length: Int)], symbol: Int, value: Int) {
        putCode(codes[symbol]!)
        let size = symbol & 15
        if size > 0 { put(value >= 0 ? value : value - 1, bitCount: size) }
    }

    private mutating func putCode(_ code: (code: Int, length: Int)) { put(code.code, bitCount: code.length) }

    private mutating func put(_ value: Int, bitCount n: Int) {
        accumulator = accumulator << UInt32(n) | UInt32(value & ((1 << n) - 1))
        bitCount += n
        while bitCount >= 8 {
            let byte = UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount - 8))
            file.append(byte)
            if byte == 0xFF { file.append(0) }
            bitCount -= 8
        }
        accumulator &= (1 << UInt32(bitCount)) - 1
    }

    private mutating func segment(_ marker: UInt8, _ payload: [UInt8]) {
        file += [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 255)] + payload
    }

    private mutating func writeHeaders() {
        file = [0xFF, 0xD8]
        segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        for t in 0..<(components == 1 ? 1 : 2) { segment(0xDB, [UInt8(t)] + zigzagOrder.map { UInt8(quant[t][$0]) }) }
        var frame: [UInt8] = [8, UInt8(height >> 8), UInt8(height & 255), UInt8(width >> 8), UInt8(width & 255), UInt8(components)]
        frame += components == 1 ? [1, 0x11, 0] : [1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        segment(0xC0, frame)
        let tables = components == 1 ? [(0x00, dcLuma), (0x10, acLuma)] : [(0x00, dcLuma), (0x10, acLuma), (0x01, dcChroma), (0x11, acChroma)]
        for (id, spec) in tables { segment(0xC4, [UInt8(id)] + spec.counts + spec.symbols) }
        let scan: [UInt8] = components == 1 ? [1, 1, 0x00] : [3, 1, 0x00, 2, 0x11, 3, 0x11]
        segment(0xDA, scan + [0, 63, 0])
    }
}

/// dctBasis[u * 8 + x] = C(u) / 2 * cos((2x + 1) u π / 16): the forward DCT is basis · samples.
private let dctBasis: [Float] = (0..<64).map { i in
    let u = i / 8, x = i % 8
    return Float((u == 0 ? 1 / 2.0.squareRoot() : 1) / 2 * cos(Double((2 * x + 1) * u) * Double.pi / 16))
}

private let zigzagOrder: [Int] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]

// T.81 Annex K.1 (tables K.1, K.2, natural order) and K.3 (tables K.3 to K.6).
private let annexKLumaQuant = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
private let annexKChromaQuant = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
                                 47, 66, 99, 99, 99, 99, 99, 99] + [Int](repeating: 99, count: 32)

private struct HuffmanSpec {
    let counts: [UInt8]
    let symbols: [UInt8]
}

private func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
}

private let dcLuma = HuffmanSpec(counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], symbols: Array(0...11))
private let dcChroma = HuffmanSpec(counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], symbols: Array(0...11))
private let acLuma = HuffmanSpec(counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D], symbols: hexBytes(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738"
    + "393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5"
    + "a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"))
private let acChroma = HuffmanSpec(counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], symbols: hexBytes(
    "000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a3536"
    + "3738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999a"
    + "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa"))

/// Symbol → canonical code (T.81 C.2).
private func canonicalCodes(_ spec: HuffmanSpec) -> [Int: (code: Int, length: Int)] {
    var codes: [Int: (code: Int, length: Int)] = [:]
    var code = 0, k = 0
    for length in 1...16 {
        for _ in 0..<Int(spec.counts[length - 1]) {
            codes[Int(spec.symbols[k])] = (code, length)
            code += 1
            k += 1
        }
        code <<= 1
    }
    return codes
}

private let dcLumaCodes = canonicalCodes(dcLuma), acLumaCodes = canonicalCodes(acLuma)
private let dcChromaCodes = canonicalCodes(dcChroma), acChromaCodes = canonicalCodes(acChroma)

/// `jpeg` with an EXIF segment (APP1, big-endian TIFF, one IFD entry) saying how to turn it for
/// display, right after its SOI marker: what phones write when they store a photo sideways.
public func withEXIFOrientation(_ jpeg: [UInt8], _ orientation: UInt16) -> [UInt8] {
    precondition(jpeg.starts(with: [0xFF, 0xD8]), "withEXIFOrientation: not a JPEG")
    let tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8]     // header, IFD0 at offset 8
        + [0, 1]                                                      // one entry
        + [0x01, 0x12, 0, 3, 0, 0, 0, 1, UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0, 0]
        + [0, 0, 0, 0]                                                // no next IFD
    let payload = Array("Exif".utf8) + [0, 0] + tiff
    let length = payload.count + 2
    return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + jpeg.dropFirst(2)
}

/// A PNG taken as a phone stores it: turned a quarter to the left in the file, as colour JPEG at
/// `quality`, with EXIF orientation 6 (turn a quarter to the right to display) to set it upright.
public func phonePhoto(ofPNG png: [UInt8], quality: Int) throws -> [UInt8] {
    let image = try decodePNG(png)
    let (w, h) = (image.width, image.height)
    var rgb = [UInt8](repeating: 0, count: w * h * 3)
    // Stored pixel (x, y) of the h x w file is upright pixel (w - 1 - y, x).
    for y in 0..<w {
        for x in 0..<h {
            let from = (x * w + (w - 1 - y)) * 4, to = (y * h + x) * 3
            let a = Int(image.pixels[from + 3])
            for c in 0..<3 { rgb[to + c] = UInt8((Int(image.pixels[from + c]) * a + 255 * (255 - a) + 127) / 255) }
        }
    }
    return withEXIFOrientation(encodeColourJPEG(width: h, height: w, rgb: rgb, quality: quality), 6)
}
