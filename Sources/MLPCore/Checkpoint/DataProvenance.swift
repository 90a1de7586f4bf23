/// What a model was trained on: the data folder as given, and for each split its sizes and a
/// checksum of its contents, so `eval` can tell when it measures a model on other data.
public struct DataProvenance: Sendable, Equatable {
    public var folder: String
    public var train: SplitDigest
    public var test: SplitDigest

    public init(folder: String, train: SplitDigest, test: SplitDigest) {
        self.folder = folder
        self.train = train
        self.test = test
    }

    /// Longest folder name kept (a path beyond this is not one a person typed).
    static let maxFolderBytes = 4096

    func encoded() -> [UInt8] {
        var out = ByteWriter()
        var name = folder
        while name.utf8.count > Self.maxFolderBytes { name.removeLast() }
        out.string(name)
        for split in [train, test] {
            out.u32(UInt32(truncatingIfNeeded: split.images))
            out.u32(UInt32(truncatingIfNeeded: split.labels))
            out.u32(split.checksum)
        }
        return out.bytes
    }

    init(decoding payload: [UInt8]) throws(CheckpointError) {
        var input = ByteReader(bytes: payload, offset: 0)
        guard input.remaining >= 4 else { throw .badSection(tag: "DATA", reason: "too short for the folder's length") }
        let length = Int(input.u32())
        guard length <= Self.maxFolderBytes, input.remaining == length + 24 else {
            throw .badSection(tag: "DATA", reason: "holds \(payload.count) bytes, not a folder name of \(length) and two split digests")
        }
        guard let name = String(validating: input.raw(length), as: UTF8.self) else {
            throw .badSection(tag: "DATA", reason: "the folder name is not UTF-8")
        }
        folder = name
        train = SplitDigest(images: Int(input.u32()), labels: Int(input.u32()), checksum: input.u32())
        test = SplitDigest(images: Int(input.u32()), labels: Int(input.u32()), checksum: input.u32())
    }
}

/// One split of a dataset in brief: how many images and labels, and the CRC-32 of the images'
/// bytes followed by the labels' bytes (the same whether the files are gzip'd or not).
public struct SplitDigest: Sendable, Equatable {
    public var images: Int
    public var labels: Int
    public var checksum: UInt32

    public init(images: Int, labels: Int, checksum: UInt32) {
        self.images = images
        self.labels = labels
        self.checksum = checksum
    }
}
