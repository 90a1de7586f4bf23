// libFuzzer entry: the checkpoint loader. Built by scripts/fuzz.sh with MLPCore's sources.
//
// Each input is decoded as given and, if only its CRC is wrong, again with the CRC corrected, so
// mutations of the header and blobs are not all stopped by the checksum. A version-2 checkpoint
// the loader accepts must re-encode to exactly the same bytes; a version-1 one (no sections) is
// written back as version 2, which must decode and re-encode to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try roundTrip(bytes)
    } catch .badCRC(_, let computed) {
        for i in 0..<4 { bytes[size - 4 + i] = UInt8(truncatingIfNeeded: computed >> (8 * i)) }
        try? roundTrip(bytes)
    } catch {}
    return 0
}

private func roundTrip(_ bytes: [UInt8]) throws(CheckpointError) {
    let checkpoint = try Checkpoint(decoding: bytes)
    let encoded = checkpoint.encoded()
    if bytes[8] == 1 {
        if (try Checkpoint(decoding: encoded)).encoded() != encoded { fatalError("a version-1 checkpoint does not convert stably") }
    } else if encoded != bytes {
        fatalError("accepted checkpoint does not re-encode to the same bytes")
    }
}
