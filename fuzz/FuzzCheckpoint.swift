// libFuzzer entry: the checkpoint loader; a checkpoint it accepts must survive a round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let checkpoint = try? Checkpoint(decoding: bytes) {
        if checkpoint.encoded() != bytes { fatalError("accepted checkpoint does not re-encode to the same bytes") }
    }
    return 0
}
