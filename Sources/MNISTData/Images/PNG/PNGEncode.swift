/// How `encodePNG` stores an image.
public struct PNGEncodeOptions: Sendable {
    var colourType: PNGColourType
    /// Bits per sample. A depth the colour type does not allow becomes the nearest allowed one above
    /// it (or the largest): 8 for RGB at depth 4, for example.
    var bitDepth: Int
    /// Adam7 interlacing.
    var interlaced: Bool
    /// nil chooses a filter per row (least sum of absolute differences, the usual heuristic);
    /// otherwise every row uses this one.
    var filter: PNGFilter?
    /// zlib level, 0 (store) ... 9.
    var compressionLevel: Int
    /// The compressed stream is split into IDAT chunks of at most this many bytes (at least 1).
    var maxIDATSize: Int

    public init(colourType: PNGColourType = .rgba, bitDepth: Int = 8, interlaced: Bool = false,
                filter: PNGFilter? = nil, compressionLevel: Int = 6, maxIDATSize: Int = 1 << 16) {
        self.colourType = colourType
        self.bitDepth = bitDepth
        self.interlaced = interlaced
        self.filter = filter
        self.compressionLevel = compressionLevel
        self.maxIDATSize = maxIDATSize
    }
}

/// Encodes `image` as a PNG in the form `options` asks for, converting as that form requires:
///
/// - grey types take the luma (299 R + 587 G + 114 B) / 1000, which is exact when R = G = B;
/// - depths below 8 round each sample to the nearest level; 16-bit samples are v * 257, so
///   decoding gives back v exactly;
/// - colour types without alpha keep binary transparency through a tRNS key colour when every
///   non-opaque pixel is fully transparent and a colour unused by opaque pixels exists;
///   otherwise alpha is dropped;
/// - palette: the distinct RGBA colours, or, when there are more than the depth allows, the most
///   frequent ones with every other pixel mapped to its nearest entry.
///
/// Precondition: `image.pixels.count == width * height * 4` and both sides are at least 1
/// (an image the caller built; files are never encoded from unchecked input).
public func encodePNG(_ image: RGBAImage, options: PNGEncodeOptions) -> [UInt8] {
    precondition(image.width >= 1 && image.height >= 1 && image.pixels.count == image.width * image.height * 4,
                 "encodePNG: \(image.width)x\(image.height) image with \(image.pixels.count) bytes")
    let colourType = options.colourType
    let allowed = colourType.allowedBitDepths
    let bitDepth = allowed.first { $0 >= options.bitDepth } ?? allowed.last!
    let header = PNGHeader(width: image.width, height: image.height, bitDepth: bitDepth,
                           colourType: colourType, interlaced: options.interlaced)
    let encoded = samples(of: image, header: header)
    return assemblePNG(header: header, samples: encoded.samples, palette: encoded.palette,
                       transparency: encoded.transparency, options: options)
}

/// The simplest PNG: 8-bit greyscale, not interlaced. grey is (height, width), one byte per pixel.
public func encodeGreyPNG(width: Int, height: Int, grey: [UInt8]) -> [UInt8] {
    precondition(width >= 1 && height >= 1 && grey.count == width * height,
                 "encodeGreyPNG: \(width)x\(height) image with \(grey.count) bytes")
    let header = PNGHeader(width: width, height: height, bitDepth: 8, colourType: .grey, interlaced: false)
    return assemblePNG(header: header, samples: grey.map(UInt16.init), palette: [], transparency: [],
                       options: PNGEncodeOptions(colourType: .grey))
}

/// 8-bit RGB (colour type 2), not interlaced: rgb is (height, width, 3). The pictures' form: opaque,
/// so it skips `encodePNG`'s search for a transparency key, which costs a set insert per pixel.
func encodeRGBPNG(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
    precondition(width >= 1 && height >= 1 && rgb.count == width * height * 3,
                 "encodeRGBPNG: \(width)x\(height) image with \(rgb.count) bytes")
    let header = PNGHeader(width: width, height: height, bitDepth: 8, colourType: .rgb, interlaced: false)
    return assemblePNG(header: header, samples: rgb.map(UInt16.init), palette: [], transparency: [],
                       options: PNGEncodeOptions(colourType: .rgb))
}

/// 16-bit greyscale, not interlaced, keeping every sample as given: grey is (height, width).
public func encodeGreyPNG(width: Int, height: Int, grey16 grey: [UInt16]) -> [UInt8] {
    precondition(width >= 1 && height >= 1 && grey.count == width * height,
                 "encodeGreyPNG: \(width)x\(height) image with \(grey.count) samples")
    let header = PNGHeader(width: width, height: height, bitDepth: 16, colourType: .grey, interlaced: false)
    return assemblePNG(header: header, samples: grey, palette: [], transparency: [],
                       options: PNGEncodeOptions(colourType: .grey, bitDepth: 16))
}

// MARK: - Converting pixels to samples

/// The image as samples at the header's depth, (height, width, channels) row-major, with the
/// PLTE and tRNS contents that go with them (empty when not needed).
private func samples(of image: RGBAImage, header: PNGHeader)
    -> (samples: [UInt16], palette: [UInt8], transparency: [UInt8]) {
    let pixelCount = image.width * image.height
    let maxValue = (1 << header.bitDepth) - 1
    let p = image.pixels
    /// An 8-bit value at the header's depth (rounded down to fewer levels, or widened to 16 bits).
    func level(_ v: UInt8) -> UInt16 {
        UInt16(header.bitDepth == 16 ? Int(v) * 257 : (Int(v) * maxValue + 127) / 255)
    }
    func luma(_ i: Int) -> UInt8 {
        let r = 299 * Int(p[4 * i]), g = 587 * Int(p[4 * i + 1]), b = 114 * Int(p[4 * i + 2])
        return UInt8((r + g + b + 500) / 1000)
    }

    switch header.colourType {
    case .palette:
        return paletteSamples(of: image, maxEntries: maxValue + 1)
    case .greyAlpha, .rgba:
        let colours = header.colourType == .rgba ? 3 : 1
        var out = [UInt16](repeating: 0, count: pixelCount * (colours + 1))
        for i in 0..<pixelCount {
            for c in 0..<colours {
                out[i * (colours + 1) + c] = level(colours == 3 ? p[4 * i + c] : luma(i))
            }
            out[i * (colours + 1) + colours] = level(p[4 * i + 3])
        }
        return (out, [], [])
    case .grey, .rgb:
        let colours = header.colourType.channels
        var out = [UInt16](repeating: 0, count: pixelCount * colours)
        for i in 0..<pixelCount {
            for c in 0..<colours { out[i * colours + c] = level(colours == 3 ? p[4 * i + c] : luma(i)) }
        }
        guard let key = transparencyKey(image: image, samples: out, channels: colours, maxValue: maxValue) else {
            return (out, [], [])
        }
        for i in 0..<pixelCount where p[4 * i + 3] == 0 {
            for c in 0..<colours { out[i * colours + c] = key[c] }
        }
        return (out, [], key.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
    }
}

/// A colour (one sample per channel) that no opaque pixel has, to mark the transparent pixels
/// through tRNS; nil when the image is opaque, has partial alpha, or every candidate is taken.
private func transparencyKey(image: RGBAImage, samples: [UInt16], channels: Int, maxValue: Int) -> [UInt16]? {
    let pixelCount = image.width * image.height
    var firstTransparent: Int?
    var opaqueColours = Set<[UInt16]>()
    for i in 0..<pixelCount {
        switch image.pixels[4 * i + 3] {
        case 255: opaqueColours.insert(Array(samples[(i * channels)..<((i + 1) * channels)]))
        case 0: firstTransparent = firstTransparent ?? i
        default: return nil
        }
    }
    guard let first = firstTransparent else { return nil }
    let own = Array(samples[(first * channels)..<((first + 1) * channels)])
    if !opaqueColours.contains(own) { return own }
    return (0...maxValue).lazy.map { [UInt16](repeating: UInt16($0), count: channels) }
        .first { !opaqueColours.contains($0) }
}

/// Palette indices (one sample per pixel), PLTE and tRNS for an image of at most `maxEntries`
/// colours; more colours keep the most frequent and map the rest to the nearest (RGBA distance).
/// Entries with alpha below 255 come first so tRNS stays short.
private func paletteSamples(of image: RGBAImage, maxEntries: Int)
    -> (samples: [UInt16], palette: [UInt8], transparency: [UInt8]) {
    let pixelCount = image.width * image.height
    let p = image.pixels
    func colour(_ i: Int) -> UInt32 {
        let r = UInt32(p[4 * i]) << 24, g = UInt32(p[4 * i + 1]) << 16
        return r | g | UInt32(p[4 * i + 2]) << 8 | UInt32(p[4 * i + 3])
    }
    var counts: [UInt32: Int] = [:]
    var firstSeen: [UInt32] = []
    for i in 0..<pixelCount {
        let c = colour(i)
        if counts[c] == nil { firstSeen.append(c) }
        counts[c, default: 0] += 1
    }
    var chosen = firstSeen
    if chosen.count > maxEntries {
        chosen = Array(firstSeen.enumerated().sorted {
            counts[$0.element]! != counts[$1.element]! ? counts[$0.element]! > counts[$1.element]! : $0.offset < $1.offset
        }.prefix(maxEntries).map(\.element))
    }
    chosen = chosen.filter { $0 & 0xFF != 0xFF } + chosen.filter { $0 & 0xFF == 0xFF }
    var indexOf: [UInt32: UInt16] = [:]
    for (i, c) in chosen.enumerated() { indexOf[c] = UInt16(i) }
    func nearest(_ c: UInt32) -> UInt16 {
        func distance(_ a: UInt32, _ b: UInt32) -> Int {
            stride(from: 0, to: 32, by: 8).reduce(0) {
                let d = Int((a >> UInt32($1)) & 0xFF) - Int((b >> UInt32($1)) & 0xFF)
                return $0 + d * d
            }
        }
        let best = chosen.indices.min { distance(chosen[$0], c) < distance(chosen[$1], c) }!
        indexOf[c] = UInt16(best)  // remember, so each colour is searched once
        return UInt16(best)
    }
    var indices = [UInt16](repeating: 0, count: pixelCount)
    for i in 0..<pixelCount {
        let c = colour(i)
        indices[i] = indexOf[c] ?? nearest(c)
    }
    let palette = chosen.flatMap { [UInt8($0 >> 24), UInt8(($0 >> 16) & 0xFF), UInt8(($0 >> 8) & 0xFF)] }
    let transparency = chosen.prefix { $0 & 0xFF != 0xFF }.map { UInt8($0 & 0xFF) }
    return (indices, palette, transparency)
}

// MARK: - Writing the file

/// Filters, compresses and wraps samples ((height, width, channels) at the header's depth) in chunks.
private func assemblePNG(header: PNGHeader, samples: [UInt16], palette: [UInt8], transparency: [UInt8],
                         options: PNGEncodeOptions) -> [UInt8] {
    var file = pngSignature
    var ihdr = [UInt8]()
    appendUInt32(UInt32(header.width), to: &ihdr)
    appendUInt32(UInt32(header.height), to: &ihdr)
    ihdr += [UInt8(header.bitDepth), header.colourType.rawValue, 0, 0, header.interlaced ? 1 : 0]
    appendChunk("IHDR", ihdr, to: &file)
    if !palette.isEmpty { appendChunk("PLTE", palette, to: &file) }
    if !transparency.isEmpty { appendChunk("tRNS", transparency, to: &file) }
    let compressed = deflateCompress(filteredScanlines(header: header, samples: samples, filter: options.filter),
                                     format: .zlib, level: Int32(min(max(options.compressionLevel, 0), 9)))
    let chunkSize = max(1, options.maxIDATSize)
    for start in stride(from: 0, to: compressed.count, by: chunkSize) {
        appendChunk("IDAT", compressed[start..<min(start + chunkSize, compressed.count)], to: &file)
    }
    appendChunk("IEND", [], to: &file)
    return file
}

/// Packs each pass's rows (MSB first below 8 bits, big-endian at 16) and filters them:
/// the bytes of the decompressed IDAT stream.
private func filteredScanlines(header: PNGHeader, samples: [UInt16], filter fixed: PNGFilter?) -> [UInt8] {
    let channels = header.colourType.channels, depth = header.bitDepth
    var out = [UInt8]()
    out.reserveCapacity(header.filteredDataSize)
    for pass in passes(width: header.width, height: header.height, interlaced: header.interlaced)
    where pass.width > 0 && pass.height > 0 {
        let rowBytes = header.rowBytes(pixels: pass.width)
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var row = [UInt8](repeating: 0, count: rowBytes)
        var candidate = [UInt8](repeating: 0, count: rowBytes)
        var best = [UInt8](repeating: 0, count: rowBytes)
        for j in 0..<pass.height {
            for k in 0..<rowBytes { row[k] = 0 }
            for i in 0..<pass.width {
                let pixel = (pass.y0 + j * pass.dy) * header.width + pass.x0 + i * pass.dx
                for c in 0..<channels {
                    let v = samples[pixel * channels + c], s = i * channels + c
                    switch depth {
                    case 16: row[2 * s] = UInt8(v >> 8); row[2 * s + 1] = UInt8(v & 0xFF)
                    case 8: row[s] = UInt8(v)
                    default: row[(s * depth) >> 3] |= UInt8(v) << (8 - depth - ((s * depth) & 7))
                    }
                }
            }
            var bestFilter = PNGFilter.none, bestCost = Int.max
            for filter in fixed.map({ [$0] }) ?? PNGFilter.allCases {
                row.withUnsafeBufferPointer { r in
                    previous.withUnsafeBufferPointer { p in
                        candidate.withUnsafeMutableBufferPointer { c in
                            filterRow(filter, row: r.baseAddress!, previous: p.baseAddress!, count: rowBytes,
                                      stride: header.filterStride, into: c.baseAddress!)
                        }
                    }
                }
                let cost = candidate.reduce(0) { $0 + abs(Int(Int8(bitPattern: $1))) }
                if cost < bestCost { bestCost = cost; bestFilter = filter; swap(&best, &candidate) }
            }
            out.append(bestFilter.rawValue)
            out += best
            swap(&previous, &row)
        }
    }
    return out
}

private func appendUInt32(_ v: UInt32, to out: inout [UInt8]) {
    out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
}

/// Length, type, data, and CRC over type and data.
private func appendChunk<D: Collection>(_ type: String, _ data: D, to file: inout [UInt8]) where D.Element == UInt8 {
    appendUInt32(UInt32(data.count), to: &file)
    let typeStart = file.count
    file += Array(type.utf8)
    file += data
    appendUInt32(crc32(of: file[typeStart...]), to: &file)
}
