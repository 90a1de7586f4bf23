// libFuzzer entry: the BMP and GIF decoders, and the digit reading on whatever they decode.
// Built by scripts/fuzz.sh with MNISTData's sources.
//
// Neither format has checksums, so the input goes to both decoders as it is; each refuses the
// other's signature at once. Seeds (fuzz/make-seeds.py) cover every BMP header, RLE and masks,
// and GIFs interlaced, transparent and cut short.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBMPGIF(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check(try? decodeGreyAlphaBMP(bytes))
    check(try? decodeGreyAlphaGIF(bytes))
    return 0
}

/// What the decoders promise about a picture they accept, and the digits read from a small one.
private func check(_ image: GreyAlphaImage?) {
    guard let image else { return }
    let count = image.width * image.height
    guard image.width > 0, image.height > 0, count <= maxPNGPixels, image.grey.count == count,
          image.alpha.count == count, (1...16).contains(image.bitDepth) else {
        fatalError("decoded a \(image.width)x\(image.height) picture with \(image.grey.count) greys, \(image.alpha.count) alphas, depth \(image.bitDepth)")
    }
    // Large pictures are a claim a few bytes can make (an RLE end-of-bitmap, a GIF screen), and a
    // long thin one takes readDigits seconds under the sanitizers; reading digits in those is the
    // PNG fuzzer's business, and here would only slow the decoders' fuzzing down.
    guard image.width <= 256, image.height <= 256, let reading = try? readDigits(in: image, side: 28, box: 20) else { return }
    if let bad = reading.digits.first(where: { $0.pixels.count != 28 * 28 }) {
        fatalError("readDigits gave \(bad.pixels.count) pixels, not 784")
    }
}
