/// What a model was trained on: the data folder as given and as an absolute path, and for each
/// split its sizes and a checksum of its contents, so `eval` can find the data from any folder and
/// tell when it measures a model on other data.
public struct DataProvenance: Sendable, Equatable {
    public var folder: String
    /// The folder resolved from where training ran (DABS section); nil for files from before it
    /// was recorded. Kept apart from DATA so that older readers, which keep sections they do not
    /// know, still read the file.
    public var absoluteFolder: String?
    public var train: SplitDigest
    public var test: SplitDigest

    public init(folder: String, absoluteFolder: String? = nil, train: SplitDigest, test: SplitDigest) {
        self.folder = folder
        self.absoluteFolder = absoluteFolder
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

    /// DABS: the absolute folder in UTF-8, starting with "/"; nil when there is none to write.
    func encodedAbsoluteFolder() -> [UInt8]? {
        guard let absoluteFolder, absoluteFolder.hasPrefix("/"), absoluteFolder.utf8.count <= Self.maxFolderBytes else { return nil }
        return Array(absoluteFolder.utf8)
    }

    static func decodedAbsoluteFolder(_ payload: [UInt8]) throws(CheckpointError) -> String {
        guard (1...maxFolderBytes).contains(payload.count), payload.first == UInt8(ascii: "/"),
              let path = String(validating: payload, as: UTF8.self) else {
            throw .badSection(tag: Checkpoint.absoluteFolderTag,
                              reason: "holds \(payload.count) bytes, not an absolute path (\"/\" first, at most \(maxFolderBytes) bytes of UTF-8)")
        }
        return path
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
    var labels: Int
    public var checksum: UInt32

    public init(images: Int, labels: Int, checksum: UInt32) {
        self.images = images
        self.labels = labels
        self.checksum = checksum
    }
}
