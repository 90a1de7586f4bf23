// libFuzzer entry: the PNG decoder and the digit preprocessing on whatever it decodes.
// Built by scripts/fuzz.sh with MNISTData's sources.
//
// Two kinds of input. One starting with PNG's signature is decoded as given and, if a chunk CRC is
// wrong, again with every CRC corrected (a mutation inside a chunk would otherwise never get past
// its CRC). Anything else is a recipe for a PNG, so the fuzzer can reach the pixel code without
// having to write valid zlib streams: 13 bytes of IHDR, a palette size byte, a tRNS size byte,
// that many tRNS bytes, then the filtered scanlines, which are compressed and wrapped here.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.starts(with: pngSignature) {
        do {
            try check(decodePNG(bytes))
        } catch .badCRC {
            check(try? decodePNG(withCorrectCRCs(bytes)))
        } catch {}
    } else if let file = pngFromRecipe(bytes) {
        check(try? decodePNG(file))
    }
    return 0
}

/// What the decoder promises about an image it accepts, and the digit made from it.
private func check(_ image: RGBAImage?) {
    guard let image else { return }
    guard image.width > 0, image.height > 0, image.width * image.height <= maxPNGPixels,
          image.pixels.count == image.width * image.height * 4 else {
        fatalError("decoded a \(image.width)x\(image.height) image with \(image.pixels.count) bytes")
    }
    if let digit = try? mnistDigit(from: image, side: 28, box: 20), digit.count != 28 * 28 {
        fatalError("mnistDigit gave \(digit.count) pixels, not 784")
    }
}

/// `bytes` with each whole chunk's CRC recomputed; a truncated last chunk is left as it is.
private func withCorrectCRCs(_ bytes: [UInt8]) -> [UInt8] {
    var out = bytes
    var offset = 8
    while bytes.count - offset >= 12 {
        let length = Int(readUInt32(bytes, at: offset))
        guard length <= bytes.count - offset - 12 else { break }
        let end = offset + 8 + length
        let crc = crc32(of: bytes[(offset + 4)..<end])
        for i in 0..<4 { out[end + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
        offset = end + 4
    }
    return out
}

/// A PNG file from a recipe (see the top of this file), or nil when the recipe is too short.
/// The palette's entries are computed (entry i is (i, 255 - i, 7i)); up to 255 of them.
private func pngFromRecipe(_ recipe: [UInt8]) -> [UInt8]? {
    guard recipe.count >= 15 else { return nil }
    let paletteEntries = Int(recipe[13]), transparencyBytes = Int(recipe[14])
    guard recipe.count >= 15 + transparencyBytes else { return nil }
    var file = pngSignature
    appendChunk("IHDR", recipe[0..<13], to: &file)
    if paletteEntries > 0 {
        let palette = (0..<paletteEntries).flatMap { i in [UInt8(i), UInt8(255 - i), UInt8(truncatingIfNeeded: 7 * i)] }
        appendChunk("PLTE", palette[...], to: &file)
    }
    if transparencyBytes > 0 { appendChunk("tRNS", recipe[15..<(15 + transparencyBytes)], to: &file) }
    let scanlines = Array(recipe[(15 + transparencyBytes)...])
    appendChunk("IDAT", deflateCompress(scanlines, format: .zlib, level: 1)[...], to: &file)
    appendChunk("IEND", [][...], to: &file)
    return file
}

private func appendChunk(_ type: String, _ data: ArraySlice<UInt8>, to file: inout [UInt8]) {
    let length = UInt32(data.count)
    file += (0..<4).map { UInt8(truncatingIfNeeded: length >> (24 - 8 * $0)) }
    let start = file.count
    file += Array(type.utf8)
    file += data
    let crc = crc32(of: file[start...])
    file += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (24 - 8 * $0)) }
}
