// libFuzzer entry: the IDX reader (raw and gzip'd) must reject or accept any bytes without
// crashing, hanging or allocating beyond what the input really holds. Built by scripts/fuzz.sh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let array = try? parseIDX(bytes, file: "fuzz") {
        _ = array.floats().count
    }
    return 0
}
