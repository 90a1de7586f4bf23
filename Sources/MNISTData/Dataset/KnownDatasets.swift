/// A published dataset recognised by its files' checksums, wherever its files are, and the input
/// form its images were made in.
public struct KnownDataset: Sendable, Equatable {
    public let name: String
    public let form: InputForm
    /// MD5 of the published gzip files, as their publishers list them: train images, train labels,
    /// test images, test labels. They match only those exact .gz files.
    let gzipMD5: [String]
    /// `LabeledImages.checksum` of the train and the test split (CRC-32 of the images then the
    /// labels, decompressed): matches the data however it is stored. Only where a copy was at hand
    /// to compute it.
    let contents: (train: UInt32, test: UInt32)?
    /// The name of each class, class 0 first, as its publishers give them; nil for digits, whose
    /// numbers are their names.
    public var classNames: [String]? { Self.names[name] }

    public static func == (a: KnownDataset, b: KnownDataset) -> Bool { a.name == b.name }

    /// Every dataset mnist-cli knows. MNIST's digits were fitted into 20x20 and centred by mass;
    /// Fashion-MNIST's products were trimmed and their longer side resized to 28, centred; KMNIST's
    /// characters and EMNIST's letters and digits likewise fill the frame, centred by their box.
    /// EMNIST's MD5s are of the .gz files inside its gzip.zip (as the `mnists` Python package lists
    /// them); its "mnist" split is left out (no checksum found).
    static let all: [KnownDataset] = [
        KnownDataset(name: "MNIST", form: .digit,
                     gzipMD5: ["f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                               "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"],
                     contents: (train: 0xdf6d_de61, test: 0x190e_897b)),
        KnownDataset(name: "Fashion-MNIST", form: .object,
                     gzipMD5: ["8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                               "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"],
                     contents: (train: 0xa8c9_1d78, test: 0xd12e_98e2)),
        KnownDataset(name: "KMNIST", form: .object,
                     gzipMD5: ["bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
                               "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134"],
                     contents: nil),
        KnownDataset(name: "EMNIST Balanced", form: .object,
                     gzipMD5: ["4041b0d6f15785d3fa35263901b5496b", "7a35cc7b2b7ee7671eddf028570fbd20",
                               "6818d20fe2ce1880476f747bbc80b22b", "acd3694070dcbf620e36670519d4b32f"],
                     contents: nil),
        KnownDataset(name: "EMNIST ByClass", form: .object,
                     gzipMD5: ["712dda0bd6f00690f32236ae4325c377", "ee299a3ee5faf5c31e9406763eae7e43",
                               "1435209e34070a9002867a9ab50160d7", "7a0f934bd176c798ecba96b36fda6657"],
                     contents: nil),
        KnownDataset(name: "EMNIST ByMerge", form: .object,
                     gzipMD5: ["4a792d4df261d7e1ba27979573bf53f3", "491be69ef99e1ab1f5b7f9ccc908bb26",
                               "8eb5d34c91f1759a55831c37ec2a283f", "c13f4cd5211cdba1b8fa992dae2be992"],
                     contents: nil),
        KnownDataset(name: "EMNIST Digits", form: .object,
                     gzipMD5: ["d2662ecdc47895a6bbfce25de9e9a677", "2223fcfee618ac9c89ef20b6e48bcf9e",
                               "a159b8b3bd6ab4ed4793c1cb71a2f5cc", "8afde66ea51d865689083ba6bb779fac"],
                     contents: nil),
        KnownDataset(name: "EMNIST Letters", form: .object,
                     gzipMD5: ["8795078f199c478165fe18db82625747", "c16de4f1848ddcdddd39ab65d2a7be52",
                               "382093a19703f68edac6d01b8dfdfcad", "d4108920cd86601ec7689a97f2de7f59"],
                     contents: nil),
    ]
}

extension KnownDataset {
    private static let digits = (0...9).map(String.init)
    private static let upper = (65...90).map { String(UnicodeScalar(UInt8($0))) }
    private static let lower = (97...122).map { String(UnicodeScalar(UInt8($0))) }
    /// EMNIST Balanced and ByMerge merge the lowercase letters shaped like their capitals.
    private static let merged = digits + upper + ["a", "b", "d", "e", "f", "g", "h", "n", "q", "r", "t"]

    static let names: [String: [String]] = [
        "Fashion-MNIST": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        // KMNIST's ten hiragana, romanised as its publishers list them.
        "KMNIST": ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
        "EMNIST Balanced": merged,
        "EMNIST ByMerge": merged,
        "EMNIST ByClass": digits + upper + lower,
        // Labels 1-26, each letter in either case; label 0 is never used.
        "EMNIST Letters": ["unused"] + zip(upper, lower).map { "\($0)/\($1)" },
    ]
}

/// Which known dataset the data loaded from `directory` is, or nil: by its decompressed contents
/// (whatever the folder, gzip'd or raw), else by the MD5s of its four files when all are .gz (the
/// only checksums published for some sets).
public func recogniseDataset(in directory: String, train: LabeledImages, test: LabeledImages) -> KnownDataset? {
    knownDataset(train: train, test: test) ?? knownDataset(gzipFilesIn: directory)
}

/// The known dataset whose splits hold exactly these images and labels.
func knownDataset(train: LabeledImages, test: LabeledImages) -> KnownDataset? {
    let contents = (train: train.checksum, test: test.checksum)
    return KnownDataset.all.first { $0.contents.map { $0 == contents } ?? false }
}

/// The known dataset whose published .gz files `directory` holds under MNIST's names. Each file is
/// read only while the ones before it still match a dataset.
func knownDataset(gzipFilesIn directory: String) -> KnownDataset? {
    let names = Split.allCases.flatMap { [$0.imagesFileName, $0.labelsFileName] }
    guard let paths = try? names.map({ name throws(DatasetError) in try splitFile(name, in: directory) }),
          paths.allSatisfy({ $0.hasSuffix(".gz") }) else { return nil }
    var candidates = KnownDataset.all
    for (k, path) in paths.enumerated() {
        guard let bytes = try? readFile(path) else { return nil }
        let sum = md5Hex(bytes)
        candidates = candidates.filter { $0.gzipMD5[k] == sum }
        if candidates.isEmpty { return nil }
    }
    return candidates.first
}
