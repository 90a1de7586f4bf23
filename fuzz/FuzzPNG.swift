// libFuzzer entry: the PNG decoder and the digit preprocessing on whatever it decodes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let image = try? decodePNG(bytes) {
        _ = try? mnistDigit(from: image, side: 28, box: 20)
    }
    return 0
}
