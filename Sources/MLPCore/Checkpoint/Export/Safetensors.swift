/// The safetensors format: the header's length (u64, little-endian), a JSON header naming each
/// tensor's dtype, shape and byte range, then the tensors' bytes back to back. The header is padded
/// with spaces to a multiple of 8 bytes, so every tensor starts aligned. String metadata goes in
/// the header's "__metadata__".
enum Safetensors {
    static func encoded(_ exported: ExportedTensors) -> [UInt8] {
        var entries: [String] = [], data: [UInt8] = []
        for tensor in exported.tensors {
            let bytes = tensor.littleEndianBytes
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(data.count),\(data.count + bytes.count)]}")
            data += bytes
        }
        var metadata = [("activation", exported.activation.rawValue)]
        if exported.activation == .leakyRelu { metadata.append(("leak", "\(exported.leak)")) }
        metadata.append(("classes", jsonArray(exported.classNames)))
        let metadataText = metadata.map { jsonString($0.0) + ":" + jsonString($0.1) }.joined(separator: ",")
        var header = Array(("{\"__metadata__\":{\(metadataText)}," + entries.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var out = ByteWriter()
        out.u64(UInt64(header.count))
        return out.bytes + header + data
    }
}
