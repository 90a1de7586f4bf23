/// The eight bytes every PNG starts with. The CR LF / LF pair and the high-bit byte are there so
/// that text-mode and 7-bit transfers visibly damage it.
public let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// Decodes any valid PNG (every colour type and bit depth, palette and tRNS transparency,
/// Adam7 interlacing) to 8-bit RGBA.
///
/// 16-bit samples are rounded to 8 bits as (v * 255 + 32767) / 65535; low bit depths are scaled
/// so that the maximum is 255. Gamma and other ancillary chunks are ignored. The file is checked
/// as it is read: signature, every chunk's CRC, IHDR, the order of critical chunks, and that the
/// IDAT stream decompresses to exactly the size IHDR implies. An image larger than
/// `maxPNGPixels` is refused before any pixel memory is allocated.
public func decodePNG(_ bytes: [UInt8]) throws(PNGError) -> RGBAImage {
    let png = try readPNG(bytes)
    var pixels = [UInt8](repeating: 0, count: png.header.width * png.header.height * 4)
    try pixels.withUnsafeMutableBufferPointer { (out) throws(PNGError) in
        try png.reconstructRows { rgba, count, first, step in
            for i in 0..<count {
                let p = out.baseAddress! + (first + i * step) * 4
                for c in 0..<4 { p[c] = scale16To8(rgba[4 * i + c]) }
            }
        }
    }
    return RGBAImage(width: png.header.width, height: png.header.height, pixels: pixels)
}

/// Decodes any valid PNG, as `decodePNG` does, to the grey and alpha of each pixel at the file's
/// own precision: 16-bit samples stay 16-bit, lower depths are scaled so that the maximum is
/// 65535. Grey is the luma of the colour (BT.601, 0.299 R + 0.587 G + 0.114 B, not composited);
/// alpha is 65535 for opaque pixels. Same memory as `decodePNG` (4 bytes a pixel).
func decodeGreyAlphaPNG(_ bytes: [UInt8]) throws(PNGError) -> GreyAlphaImage {
    let png = try readPNG(bytes)
    let count = png.header.width * png.header.height
    var grey = [UInt16](repeating: 0, count: count), alpha = [UInt16](repeating: 0, count: count)
    try grey.withUnsafeMutableBufferPointer { (g) throws(PNGError) in
        try alpha.withUnsafeMutableBufferPointer { (a) throws(PNGError) in
            try png.reconstructRows { rgba, count, first, step in
                for i in 0..<count {
                    let s = rgba + 4 * i
                    g[first + i * step] = luma16(s[0], s[1], s[2])
                    a[first + i * step] = s[3]
                }
            }
        }
    }
    let depth = png.header.colourType == .palette ? 8 : png.header.bitDepth
    return GreyAlphaImage(width: png.header.width, height: png.header.height, grey: grey, alpha: alpha, bitDepth: depth)
}

/// A checked PNG whose pixels are still compressed: everything `reconstructRows` needs.
private struct CheckedPNG {
    let header: PNGHeader
    let expander: PixelExpander
    let compressed: [UInt8]

    /// Inflates and unfilters every pass and hands each row to `sink` as 16-bit RGBA samples
    /// (`count` pixels, 4 samples each), with the image pixel of its first sample and the distance
    /// in pixels between its samples in the image (more than 1 in Adam7 passes).
    func reconstructRows(_ sink: (_ rgba: UnsafePointer<UInt16>, _ count: Int, _ first: Int, _ step: Int) -> Void)
        throws(PNGError) {
        var filtered = try inflateImageData(compressed, expectedSize: header.filteredDataSize)
        try reconstruct(&filtered, header: header, expander: expander, sink: sink)
    }
}

/// Reads and checks the chunks of a PNG file up to IEND (see `decodePNG`).
private func readPNG(_ bytes: [UInt8]) throws(PNGError) -> CheckedPNG {
    try checkSignature(bytes)
    var chunks = PNGChunkReader(bytes: bytes)
    guard let first = try chunks.next() else { throw .truncated(offset: 8, expected: "the IHDR chunk") }
    guard first.type == "IHDR" else { throw .firstChunkNotIHDR(found: first.type) }
    let header = try parseHeader(first.data)

    var palette: ArraySlice<UInt8>?
    var transparency: ArraySlice<UInt8>?
    var compressed = [UInt8]()
    var sawImageData = false, imageDataEnded = false
    readChunks: while true {
        guard let chunk = try chunks.next() else {
            throw .truncated(offset: bytes.count, expected: "more chunks up to IEND")
        }
        func misplaced(_ reason: String) -> PNGError {
            .misplacedChunk(chunk: chunk.type, offset: chunk.offset, reason: reason)
        }
        switch chunk.type {
        case "IEND":
            break readChunks
        case "IDAT":
            if imageDataEnded { throw misplaced("IDAT chunks must follow one another without other chunks between") }
            compressed.append(contentsOf: chunk.data)
            sawImageData = true
            continue readChunks
        case "IHDR":
            throw misplaced("a PNG has exactly one IHDR, at the start")
        case "PLTE":
            if sawImageData { throw misplaced("PLTE must come before the image data") }
            if palette != nil { throw misplaced("a PNG has at most one PLTE") }
            if transparency != nil { throw misplaced("PLTE must come before tRNS") }
            if header.colourType == .grey || header.colourType == .greyAlpha {
                throw misplaced("greyscale images have no palette")
            }
            palette = chunk.data
        case "tRNS":
            if sawImageData { throw misplaced("tRNS must come before the image data") }
            if transparency != nil { throw misplaced("a PNG has at most one tRNS") }
            if header.colourType == .palette && palette == nil { throw misplaced("tRNS must come after PLTE") }
            transparency = chunk.data
        default:
            // Bit 5 of the first type byte clear (an upper-case letter) marks a critical chunk.
            if chunk.type.utf8.first! & 0x20 == 0 {
                throw .unknownCriticalChunk(chunk: chunk.type, offset: chunk.offset)
            }
        }
        if sawImageData { imageDataEnded = true }
    }
    guard sawImageData else { throw .missingImageData }

    let expander = try PixelExpander(header: header, palette: palette, transparency: transparency)
    return CheckedPNG(header: header, expander: expander, compressed: compressed)
}

/// Throws unless `bytes` start with PNG's signature, saying what the file seems to be instead.
func checkSignature(_ bytes: [UInt8]) throws(PNGError) {
    let head = Array(bytes.prefix(8))
    if head == pngSignature { return }
    if !head.isEmpty && head.count < 8 && head == Array(pngSignature.prefix(head.count)) {
        throw .truncated(offset: head.count, expected: "the rest of the PNG signature")
    }
    if let reason = signatureDamage(head) { throw .damagedSignature(reason: reason) }
    throw .notPNG(looksLike: recogniseFormat(bytes))
}

/// Explains how an almost-correct signature was damaged, or nil when it is not almost correct.
private func signatureDamage(_ head: [UInt8]) -> String? {
    guard head.count == 8 else { return nil }
    let binaryAgain = "copy the file again in binary mode"
    if head[0] == 0x09 && head[1...] == pngSignature[1...] {
        return "the first byte is 0x09 instead of 0x89 (its high bit was stripped by a 7-bit transfer); \(binaryAgain)"
    }
    if head[0...3] == pngSignature[0...3] && head[4...] != pngSignature[4...]
        && head[4...6].allSatisfy({ [0x0A, 0x0D, 0x1A].contains($0) }) {
        let found = head[4...].map { hexDigits($0) }.joined(separator: " ")
        return "bytes 4-7 are \(found) instead of 0d 0a 1a 0a: line endings were converted (text-mode transfer); \(binaryAgain)"
    }
    let wrong = (0..<8).filter { head[$0] != pngSignature[$0] }
    if wrong.count == 1, let i = wrong.first {
        return "byte \(i) is \(hex(head[i])) instead of \(hex(pngSignature[i])); the file is damaged, \(binaryAgain)"
    }
    return nil
}

/// Names common formats by their magic numbers, for a helpful "not a PNG" message.
private func recogniseFormat(_ bytes: [UInt8]) -> String? {
    func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
    if bytes.isEmpty { return "an empty file" }
    if starts([0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
    if starts(Array("GIF8".utf8)) { return "a GIF image" }
    if starts(Array("BM".utf8)) { return "a BMP image" }
    if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "a TIFF image" }
    if starts(Array("RIFF".utf8)) && bytes.count >= 12 && bytes[8..<12].elementsEqual("WEBP".utf8) {
        return "a WebP image"
    }
    if starts([0x1F, 0x8B]) { return "gzip-compressed data" }
    if bytes.count >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x08 { return "an IDX data file" }
    return nil
}

// MARK: - Chunks

/// One chunk as it sits in the file; `offset` is where its length field starts.
struct PNGChunk {
    var type: String
    var offset: Int
    var data: ArraySlice<UInt8>
}

/// Walks the chunks after the signature, checking each one's length, type letters and CRC.
struct PNGChunkReader {
    let bytes: [UInt8]
    var offset = 8

    /// The next chunk, or nil at the exact end of the file.
    mutating func next() throws(PNGError) -> PNGChunk? {
        let start = offset
        if start == bytes.count { return nil }
        guard bytes.count - start >= 8 else { throw .truncated(offset: bytes.count, expected: "a chunk header") }
        let length = readUInt32(bytes, at: start)
        let typeBytes = bytes[(start + 4)..<(start + 8)]
        guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw .badChunkType(offset: start)
        }
        let type = String(decoding: typeBytes, as: UTF8.self)
        guard length <= 0x7FFF_FFFF else { throw .badChunkLength(chunk: type, offset: start, length: length) }
        let dataStart = start + 8, dataEnd = dataStart + Int(length)
        guard bytes.count - dataEnd >= 4 else {
            throw .truncated(offset: bytes.count, expected: "the rest of chunk \(type) (\(length) data bytes and a CRC)")
        }
        let stored = readUInt32(bytes, at: dataEnd)
        let computed = crc32(of: bytes[(start + 4)..<dataEnd])
        guard stored == computed else {
            throw .badCRC(chunk: type, offset: start, stored: stored, computed: computed)
        }
        offset = dataEnd + 4
        return PNGChunk(type: type, offset: start, data: bytes[dataStart..<dataEnd])
    }
}

/// Big-endian UInt32 at `index` (any collection indexable by Int, e.g. an ArraySlice).
func readUInt32<C: Collection>(_ bytes: C, at index: Int) -> UInt32 where C.Element == UInt8, C.Index == Int {
    (UInt32(bytes[index]) << 24) | (UInt32(bytes[index + 1]) << 16) | (UInt32(bytes[index + 2]) << 8) | UInt32(bytes[index + 3])
}

/// Validates IHDR's 13 bytes; refuses images over `maxPNGPixels` so nothing large is allocated.
func parseHeader(_ data: ArraySlice<UInt8>) throws(PNGError) -> PNGHeader {
    guard data.count == 13 else { throw .badHeaderLength(data.count) }
    let base = data.startIndex
    let width = readUInt32(data, at: base), height = readUInt32(data, at: base + 4)
    guard (1...0x7FFF_FFFF).contains(width), (1...0x7FFF_FFFF).contains(height) else {
        throw .badDimensions(width: width, height: height)
    }
    guard Int(width) * Int(height) <= maxPNGPixels else {
        throw .tooLarge(width: Int(width), height: Int(height), limit: maxPNGPixels)
    }
    let bitDepth = data[base + 8], colourByte = data[base + 9]
    guard let colourType = PNGColourType(rawValue: colourByte) else { throw .badColourType(colourByte) }
    guard colourType.allowedBitDepths.contains(Int(bitDepth)) else {
        throw .badBitDepth(bitDepth: bitDepth, colourType: colourByte)
    }
    guard data[base + 10] == 0 else { throw .unknownMethod(field: "compression", value: data[base + 10]) }
    guard data[base + 11] == 0 else { throw .unknownMethod(field: "filter", value: data[base + 11]) }
    guard data[base + 12] <= 1 else { throw .unknownMethod(field: "interlace", value: data[base + 12]) }
    return PNGHeader(width: Int(width), height: Int(height), bitDepth: Int(bitDepth),
                     colourType: colourType, interlaced: data[base + 12] == 1)
}

/// Inflates the concatenated IDAT data, which must come to exactly `expectedSize` bytes.
private func inflateImageData(_ compressed: [UInt8], expectedSize: Int) throws(PNGError) -> [UInt8] {
    do throws(InflateError) {
        return try inflateExactly(compressed, expectedSize: expectedSize, format: .zlib)
    } catch {
        switch error {
        case .shortOutput(let expected, let got): throw .imageDataTooShort(expected: expected, got: got)
        case .tooLong: throw .imageDataTooLong(expected: expectedSize)
        default: throw .compressedData(error)
        }
    }
}

// MARK: - Pixels

/// Undoes the filters of every pass in place and hands each row's pixels to `sink` as 16-bit RGBA.
/// `filtered` holds each pass's rows in turn, each row a filter byte followed by its bytes.
private func reconstruct(_ filtered: inout [UInt8], header: PNGHeader, expander: PixelExpander,
                         sink: (_ rgba: UnsafePointer<UInt16>, _ count: Int, _ first: Int, _ step: Int) -> Void)
    throws(PNGError) {
    let stride = header.filterStride
    var rgba = [UInt16](repeating: 0, count: header.width * 4)
    var failure: PNGError?
    filtered.withUnsafeMutableBufferPointer { data in
        rgba.withUnsafeMutableBufferPointer { out in
            let zeros = [UInt8](repeating: 0, count: header.rowBytes(pixels: header.width))
            zeros.withUnsafeBufferPointer { zeroRow in
                var position = 0
                for pass in passes(width: header.width, height: header.height, interlaced: header.interlaced)
                where pass.width > 0 && pass.height > 0 {
                    let rowBytes = header.rowBytes(pixels: pass.width)
                    for j in 0..<pass.height {
                        guard let filter = PNGFilter(rawValue: data[position]) else {
                            failure = .badFilterType(value: data[position], row: j, pass: pass.number)
                            return
                        }
                        let row = data.baseAddress! + position + 1
                        let previous = j == 0 ? zeroRow.baseAddress! : UnsafePointer(row - rowBytes - 1)
                        unfilterRow(filter, row: row, previous: previous, count: rowBytes, stride: stride)
                        do throws(PNGError) {
                            try expander.expand(row: row, pixels: pass.width, into: out.baseAddress!)
                        } catch {
                            failure = error
                            return
                        }
                        sink(out.baseAddress!, pass.width, (pass.y0 + j * pass.dy) * header.width + pass.x0, pass.dx)
                        position += 1 + rowBytes
                    }
                }
            }
        }
    }
    if let failure { throw failure }
}

/// Rounds a 16-bit sample to 8 bits: round(v * 255 / 65535). Exact for v = 257 * b: gives b.
@inline(__always)
func scale16To8(_ v: UInt16) -> UInt8 { UInt8((UInt32(v) * 255 + 32767) / 65535) }

/// BT.601 luma of a 16-bit colour, rounded: (299 R + 587 G + 114 B) / 1000 (exact when R = G = B).
@inline(__always)
func luma16(_ r: UInt16, _ g: UInt16, _ b: UInt16) -> UInt16 {
    let weighted: UInt32 = 299 * UInt32(r) + 587 * UInt32(g) + 114 * UInt32(b)
    return UInt16((weighted + 500) / 1000)
}

/// Turns one unfiltered scanline into 16-bit RGBA samples for a given colour type and bit depth,
/// applying the palette and tRNS transparency. Samples below 16 bits are scaled so that their
/// maximum is 65535 (an 8-bit b becomes 257 * b, exactly).
struct PixelExpander {
    let header: PNGHeader
    /// For palette images and greyscale of depth <= 8: 8-bit RGBA of each possible sample value.
    private var table: [UInt8] = []
    private var tableEntries = 0
    /// tRNS key colour (raw samples at the image's bit depth) for 16-bit grey and RGB images.
    private var key: (r: Int, g: Int, b: Int)?

    init(header: PNGHeader, palette: ArraySlice<UInt8>?, transparency: ArraySlice<UInt8>?) throws(PNGError) {
        self.header = header
        switch header.colourType {
        case .palette:
            guard let palette else { throw .missingPalette }
            guard palette.count % 3 == 0, (3...768).contains(palette.count) else {
                throw .badPalette(reason: "\(palette.count) bytes is not 1 to 256 RGB entries of 3 bytes")
            }
            tableEntries = palette.count / 3
            let alphas = transparency ?? []
            guard alphas.count <= tableEntries else {
                throw .badTransparency(reason: "\(alphas.count) alpha values for a palette of \(tableEntries) entries")
            }
            table = [UInt8](repeating: 255, count: tableEntries * 4)
            for i in 0..<tableEntries {
                for c in 0..<3 { table[i * 4 + c] = palette[palette.startIndex + i * 3 + c] }
                if i < alphas.count { table[i * 4 + 3] = alphas[alphas.startIndex + i] }
            }
        case .grey:
            let keyGrey = try transparency.map { t throws(PNGError) -> Int in
                guard t.count == 2 else { throw .badTransparency(reason: "\(t.count) bytes for a greyscale image, 2 expected") }
                return Int(t[t.startIndex]) << 8 | Int(t[t.startIndex + 1])
            }
            if header.bitDepth == 16 {
                key = keyGrey.map { ($0, $0, $0) }
            } else {
                tableEntries = 1 << header.bitDepth
                let scale = 255 / (tableEntries - 1)
                table = [UInt8](repeating: 255, count: tableEntries * 4)
                for v in 0..<tableEntries {
                    for c in 0..<3 { table[v * 4 + c] = UInt8(v * scale) }
                    if v == keyGrey { table[v * 4 + 3] = 0 }
                }
            }
        case .rgb:
            if let t = transparency {
                guard t.count == 6 else { throw .badTransparency(reason: "\(t.count) bytes for an RGB image, 6 expected") }
                let s = t.startIndex
                key = (Int(t[s]) << 8 | Int(t[s + 1]), Int(t[s + 2]) << 8 | Int(t[s + 3]), Int(t[s + 4]) << 8 | Int(t[s + 5]))
            }
        case .greyAlpha, .rgba:
            break  // tRNS is not allowed here; like other decoders we ignore it
        }
    }

    /// row: the scanline's bytes; writes `pixels` pixels of 4 samples each to `out`.
    func expand(row: UnsafePointer<UInt8>, pixels: Int, into out: UnsafeMutablePointer<UInt16>) throws(PNGError) {
        let depth = header.bitDepth
        @inline(__always) func sample(_ k: Int) -> UInt16 {
            depth == 8 ? UInt16(row[k]) * 257 : UInt16(row[2 * k]) << 8 | UInt16(row[2 * k + 1])
        }
        @inline(__always) func raw(_ k: Int) -> Int { depth == 8 ? Int(row[k]) : Int(sample(k)) }

        if !table.isEmpty { return try expandThroughTable(row: row, pixels: pixels, into: out) }
        switch header.colourType {
        case .palette:
            break  // always through the table
        case .grey:  // 16-bit; lower depths go through the table
            for i in 0..<pixels {
                let v = sample(i), p = out + 4 * i
                p[0] = v; p[1] = v; p[2] = v
                p[3] = key.map { $0.r == Int(v) } == true ? 0 : 65535
            }
        case .rgb:
            for i in 0..<pixels {
                let p = out + 4 * i
                p[0] = sample(3 * i); p[1] = sample(3 * i + 1); p[2] = sample(3 * i + 2)
                if let key, key.r == raw(3 * i), key.g == raw(3 * i + 1), key.b == raw(3 * i + 2) {
                    p[3] = 0
                } else {
                    p[3] = 65535
                }
            }
        case .greyAlpha:
            for i in 0..<pixels {
                let p = out + 4 * i, g = sample(2 * i)
                p[0] = g; p[1] = g; p[2] = g; p[3] = sample(2 * i + 1)
            }
        case .rgba:
            for i in 0..<pixels {
                let p = out + 4 * i
                for c in 0..<4 { p[c] = sample(4 * i + c) }
            }
        }
    }

    /// Palette images and greyscale up to 8 bits: each sample (1, 2, 4 or 8 bits, MSB first) indexes `table`.
    private func expandThroughTable(row: UnsafePointer<UInt8>, pixels: Int,
                                    into out: UnsafeMutablePointer<UInt16>) throws(PNGError) {
        let depth = header.bitDepth, mask = (1 << depth) - 1
        try table.withUnsafeBufferPointer { (table) throws(PNGError) in
            for i in 0..<pixels {
                let index: Int
                if depth == 8 {
                    index = Int(row[i])
                } else {
                    let bit = i * depth
                    index = (Int(row[bit >> 3]) >> (8 - depth - (bit & 7))) & mask
                }
                guard index < tableEntries else {
                    throw .paletteIndexOutOfRange(index: index, paletteSize: tableEntries)
                }
                for c in 0..<4 { out[4 * i + c] = UInt16(table[index * 4 + c]) * 257 }
            }
        }
    }
}
