/// Most pixels the JPEG decoder produces, at the scale it decodes at: the PNG decoder's limit.
let maxJPEGPixels = maxPNGPixels

/// Decodes a JPEG (baseline or progressive, Huffman-coded, 8-bit, greyscale, YCbCr or Adobe RGB,
/// any sampling factors, restart intervals; of an MPO, the first picture) to its luma, upright
/// as its EXIF orientation says.
///
/// The luma is the Y component where there is one (only Y goes through the inverse DCT; the
/// chroma is entropy-decoded only as far as interleaved scans force it), else BT.601 luma of
/// R, G, B. Grey is Y * 257, alpha 65535, bit depth 8.
///
/// Large pictures are decoded at the largest reduction (1/2, 1/4 or 1/8 per side) whose result
/// still has at least `minimumPixels` pixels, keeping only the coefficients that scale uses, so
/// memory follows the output. Before anything large is allocated, the declared size is checked
/// against `maxJPEGPixels` (at the chosen scale) and against what the file's length could encode.
func decodeGreyJPEG(_ bytes: [UInt8], minimumPixels: Int = .max) throws(JPEGError) -> GreyAlphaImage {
    try bytes.withUnsafeBufferPointer { (data) throws(JPEGError) in
        var decoder = JPEGDecoder(data: data, minimumPixels: minimumPixels)
        try decoder.readToEndOfImage()
        return try decoder.picture()
    }
}

/// How the components make the picture's colour.
enum JPEGColourModel {
    case grey, yCbCr, rgb
}

/// Everything read so far from one JPEG: tables, frame, and the coefficients of the components
/// the luma needs.
struct JPEGDecoder {
    let data: UnsafeBufferPointer<UInt8>
    let minimumPixels: Int
    var huffman = JPEGHuffmanTables()
    /// DQT tables 0...3 in natural order.
    var quantTables: [[Int32]?] = [nil, nil, nil, nil]
    var restartInterval = 0
    /// APP14 "Adobe" colour transform (0: none, so 3 components are RGB).
    var adobeTransform: Int?
    var orientation: Int?
    var frame: JPEGFrame?
    var colour = JPEGColourModel.grey
    /// Output samples per block side: 8, or 4, 2, 1 when decoding at a reduced scale.
    var side = 8
    var slots: [Int] = []
    var stores: [JPEGCoefficientStore?] = []
    var scansRead = 0
    /// Blocks visited by all scans so far; bounded by the file's length so no input takes long.
    var blockVisits = 0

    init(data: UnsafeBufferPointer<UInt8>, minimumPixels: Int) {
        self.data = data
        self.minimumPixels = minimumPixels
    }

    /// Reads the luma planes out of the coefficients and assembles the upright picture.
    func picture() throws(JPEGError) -> GreyAlphaImage {
        guard let frame, scansRead > 0 else { throw .badStructure("no image data before the end-of-image marker") }
        let width = (frame.width * side + 7) / 8, height = (frame.height * side + 7) / 8
        let idct = JPEGInverseDCT(side: side)
        var planes: [[UInt8]] = []
        var planeWidths: [Int] = []
        for (i, c) in frame.components.enumerated() where c.needed {
            guard let store = stores[i] else { continue }
            var plane = [UInt8](repeating: 0, count: c.storeWide * c.storeHigh * side * side)
            idct.transform(store, quant: c.quant ?? [Int32](repeating: 0, count: 64), into: &plane)
            planes.append(plane)
            planeWidths.append(c.storeWide * side)
        }
        let needed = frame.components.filter(\.needed)
        var grey = [UInt16](repeating: 0, count: width * height)
        grey.withUnsafeMutableBufferPointer { out in
            /// Component n's sample under output pixel (x, y): planes are at their own sampling.
            func sample(_ n: Int, _ x: Int, _ y: Int) -> UInt16 {
                let c = needed[n]
                return UInt16(planes[n][(y * c.v / frame.vMax) * planeWidths[n] + x * c.h / frame.hMax])
            }
            if colour == .rgb {
                for y in 0..<height {
                    for x in 0..<width {
                        out[y * width + x] = luma16(sample(0, x, y) * 257, sample(1, x, y) * 257, sample(2, x, y) * 257)
                    }
                }
            } else if needed[0].h == frame.hMax && needed[0].v == frame.vMax {
                planes[0].withUnsafeBufferPointer { plane in
                    for y in 0..<height {
                        let row = plane.baseAddress! + y * planeWidths[0]
                        for x in 0..<width { out[y * width + x] = UInt16(row[x]) * 257 }
                    }
                }
            } else {
                for y in 0..<height { for x in 0..<width { out[y * width + x] = sample(0, x, y) * 257 } }
            }
        }
        let upright = applyOrientation(orientation ?? 1, grey: grey, width: width, height: height)
        return GreyAlphaImage(width: upright.width, height: upright.height, grey: upright.grey,
                              alpha: [UInt16](repeating: 65535, count: grey.count), bitDepth: 8)
    }
}
