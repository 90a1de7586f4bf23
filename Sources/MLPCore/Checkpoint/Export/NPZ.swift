/// NumPy's .npz: a zip of .npy files, one per array, stored without compression (np.load reads it
/// with allow_pickle=False: no array holds Python objects).
enum NPZ {
    static func encoded(_ exported: ExportedTensors) -> [UInt8] {
        var members = exported.tensors.map { tensor in
            (name: tensor.name + ".npy", bytes: npy(descr: "<f4", shape: tensor.shape, data: tensor.littleEndianBytes))
        }
        members.append((name: "activation.npy", bytes: npyText([exported.activation.rawValue], shape: [])))
        if exported.activation == .leakyRelu {
            members.append((name: "leak.npy", bytes: npy(descr: "<f4", shape: [], data: NamedTensor(name: "leak", shape: [], values: [exported.leak]).littleEndianBytes)))
        }
        members.append((name: "classes.npy", bytes: npyText(exported.classNames, shape: [exported.classNames.count])))
        return StoredZip.encoded(members)
    }

    /// An .npy file, format version 1.0: magic, header length, a Python dict literal padded with
    /// spaces to a multiple of 64 bytes (as NumPy pads it), then the data in C order.
    static func npy(descr: String, shape: [Int], data: [UInt8]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }".utf8)
        let preamble = 10  // magic (6), version (2), header length (2)
        let padded = (preamble + header.count + 1 + 63) / 64 * 64
        header += [UInt8](repeating: 0x20, count: padded - preamble - header.count - 1) + [0x0A]
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        out += [UInt8(truncatingIfNeeded: header.count), UInt8(truncatingIfNeeded: header.count >> 8)]
        return out + header + data
    }

    /// Strings as a NumPy unicode array ('<Un'): each one n UTF-32 code units, zero-padded.
    static func npyText(_ strings: [String], shape: [Int]) -> [UInt8] {
        let width = max(1, strings.map { $0.unicodeScalars.count }.max() ?? 1)
        var out = ByteWriter()
        for string in strings {
            let scalars = Array(string.unicodeScalars)
            for i in 0..<width { out.u32(i < scalars.count ? scalars[i].value : 0) }
        }
        return npy(descr: "<U\(width)", shape: shape, data: out.bytes)
    }
}

/// A zip archive of files stored as they are (method 0), as NumPy's own np.savez writes: a local
/// header and the bytes of each file, then the central directory. No zip64: an exported model is
/// at most the 1 GiB a model file may be.
enum StoredZip {
    /// 1980-01-01, the earliest date zip can say; a fixed date keeps exports byte-identical.
    private static let dosDate: UInt16 = 0x21, versionNeeded: UInt16 = 20

    static func encoded(_ members: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var out = ByteWriter(), directory = ByteWriter()
        for member in members {
            let name = Array(member.name.utf8), sum = crc(member.bytes[...])
            let offset = UInt32(truncatingIfNeeded: out.bytes.count), size = UInt32(truncatingIfNeeded: member.bytes.count)
            out.u32(0x0403_4B50)
            fields(&out, name: name, crc: sum, size: size)
            out.u16(0)  // extra field length
            out.bytes += name + member.bytes

            directory.u32(0x0201_4B50)
            directory.u16(versionNeeded)  // version made by
            fields(&directory, name: name, crc: sum, size: size)
            for _ in 0..<4 { directory.u16(0) }  // extra, comment, disk, internal attributes
            directory.u32(0)  // external attributes
            directory.u32(offset)
            directory.bytes += name
        }
        let directoryOffset = UInt32(truncatingIfNeeded: out.bytes.count)
        out.bytes += directory.bytes
        out.u32(0x0605_4B50)
        out.u16(0)  // this disk
        out.u16(0)  // the directory's disk
        out.u16(UInt16(truncatingIfNeeded: members.count))
        out.u16(UInt16(truncatingIfNeeded: members.count))
        out.u32(UInt32(truncatingIfNeeded: directory.bytes.count))
        out.u32(directoryOffset)
        out.u16(0)  // comment length
        return out.bytes
    }

    /// The fields local headers and directory entries share, up to the name's length.
    private static func fields(_ out: inout ByteWriter, name: [UInt8], crc: UInt32, size: UInt32) {
        out.u16(versionNeeded)
        out.u16(0)  // flags
        out.u16(0)  // method: stored
        out.u16(0)  // time
        out.u16(dosDate)
        out.u32(crc)
        out.u32(size)  // compressed
        out.u32(size)  // uncompressed
        out.u16(UInt16(truncatingIfNeeded: name.count))
    }
}
