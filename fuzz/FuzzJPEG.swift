// libFuzzer entry: the JPEG decoder, at full size and at a reduced scale, and the digit reader on
// what it decodes (small pictures only, to keep runs fast).
// Built by scripts/fuzz.sh with MNISTData's sources.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let full = try? decodeGreyJPEG(bytes)
    // As predict decodes (through the format sniffing); a minimum of 64 pixels picks 1/2, 1/4 or
    // 1/8 for anything of more than 256 pixels.
    let reduced = try? decodeGreyAlphaPicture(bytes, minimumPixels: 64)
    check(full)
    check(reduced)
    // The scale changes only the inverse DCT: the same bits are decoded and checked either way.
    // (predict's sniffing wants FF D8 FF; the decoder itself only FF D8.)
    if (full == nil) != (reduced == nil) && bytes.starts(with: [0xFF, 0xD8, 0xFF]) { fatalError("decoded at one scale but not the other") }
    if let full, let reduced, reduced.grey.count < 64, reduced.grey.count != full.grey.count {
        fatalError("reduced to \(reduced.grey.count) pixels, below the 64 asked for")
    }
    return 0
}

/// What the decoder promises about a picture it accepts, and the digit made from it.
private func check(_ image: GreyAlphaImage?) {
    guard let image else { return }
    let pixels = image.width * image.height
    guard image.width > 0, image.height > 0, pixels <= maxJPEGPixels, image.grey.count == pixels,
          image.alpha.count == pixels, image.alpha.allSatisfy({ $0 == 65535 }), image.bitDepth == 8 else {
        fatalError("decoded a \(image.width)x\(image.height) picture with \(image.grey.count) grey, \(image.alpha.count) alpha")
    }
    if pixels <= 1 << 12, let reading = try? readDigits(in: image), reading.digits.contains(where: { $0.pixels.count != 784 }) {
        fatalError("readDigits gave a digit that is not 28x28")
    }
}
