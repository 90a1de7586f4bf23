#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Images and their labels, in memory as the files store them (unsigned bytes).
public struct LabeledImages: Sendable {
    /// count x rows x cols, row-major, one image after another.
    public let images: [UInt8]
    /// count labels, each < classCount.
    public let labels: [UInt8]
    public let count: Int
    public let rows: Int
    public let cols: Int
    /// As given, or max label + 1 when inferred.
    public let classCount: Int

    public var pixelsPerImage: Int { rows * cols }

    /// CRC-32 of the image bytes followed by the label bytes: the same for the same data whether
    /// its files are gzip'd or not.
    public var checksum: UInt32 {
        crc32(of: labels[...], continuing: crc32(of: images[...]))
    }

    /// How many samples have each label, 0..<classCount.
    public var labelCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// For data built in code; the caller promises consistent sizes (files go through
    /// `loadLabeledImages`, which checks them and throws).
    public init(images: [UInt8], labels: [UInt8], rows: Int, cols: Int, classCount: Int) {
        precondition(rows > 0 && cols > 0 && images.count == labels.count * rows * cols,
                     "LabeledImages: \(images.count) pixels do not make \(labels.count) images of \(rows)x\(cols)")
        precondition(labels.allSatisfy { Int($0) < classCount }, "LabeledImages: a label is >= classCount \(classCount)")
        self.images = images
        self.labels = labels
        self.count = labels.count
        self.rows = rows
        self.cols = cols
        self.classCount = classCount
    }
}

/// MNIST's two standard splits.
public enum Split: String, Sendable, CaseIterable {
    case train, test

    /// The file-name prefix MNIST uses ("t10k" for test).
    var filePrefix: String { self == .train ? "train" : "t10k" }
    public var imagesFileName: String { "\(filePrefix)-images-idx3-ubyte" }
    public var labelsFileName: String { "\(filePrefix)-labels-idx1-ubyte" }
}

/// Why a dataset could not be loaded. Each case names the file at fault and what to do.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// `file` does not exist; `hint` says how to get it.
    case missingFile(file: String, hint: String)
    /// The file is not a valid IDX file.
    case badFile(IDXError)
    /// An images file that is not u8 of rank >= 2.
    case notImages(file: String, elementType: IDXElementType, shape: [Int])
    /// A labels file that is not u8 of rank 1.
    case notLabels(file: String, elementType: IDXElementType, shape: [Int])
    case countMismatch(imagesFile: String, images: Int, labelsFile: String, labels: Int)
    /// The label at `index` is not below `classCount`.
    case labelOutOfRange(file: String, index: Int, label: Int, classCount: Int)
    /// Fewer than two classes (given, or inferred as max label + 1).
    case tooFewClasses(file: String, classCount: Int, inferred: Bool)

    public var description: String {
        switch self {
        case .missingFile(let file, let hint):
            return "\(file): no such file; \(hint)"
        case .badFile(let error):
            return error.description
        case .notImages(let file, let type, let shape):
            let labelsHint = type == .uint8 && shape.count == 1 ? " (this looks like a labels file)" : ""
            return "\(file): not an images file: expected u8 of rank >= 2 (count x rows x cols), "
                + "found \(type) of shape \(shapeText(shape))\(labelsHint); give the images file"
        case .notLabels(let file, let type, let shape):
            let imagesHint = type == .uint8 && shape.count >= 2 ? " (this looks like an images file)" : ""
            return "\(file): not a labels file: expected u8 of rank 1, "
                + "found \(type) of shape \(shapeText(shape))\(imagesHint); give the labels file"
        case .countMismatch(let imagesFile, let images, let labelsFile, let labels):
            return "\(imagesFile): holds \(images) images but \(labelsFile) holds \(labels) labels; "
                + "give an images file and the labels file that belongs to it"
        case .labelOutOfRange(let file, let index, let label, let classCount):
            return "\(file): label \(index) is \(label), not below the class count \(classCount); "
                + "check that the labels file belongs with the images and the model"
        case .tooFewClasses(let file, let classCount, let inferred):
            return inferred
                ? "\(file): every label is 0, so only \(classCount) class can be inferred; a classifier needs at least 2; check the labels file"
                : "\(file): \(classCount) classes requested; a classifier needs at least 2"
        }
    }
}

/// Loads `images`/`labels` IDX files (u8 images of rank >= 2: N x rows x cols, or N x features
/// treated as rows=1; u8 labels of rank 1). classCount nil = infer max+1 (must be >= 2).
///
/// Ranks above 3 keep `rows = shape[1]` and fold the remaining dimensions into `cols`.
func loadLabeledImages(imagesPath: String, labelsPath: String,
                              classCount: Int?) throws(DatasetError) -> LabeledImages {
    let missingHint = "check the path"
    try requireExists(imagesPath, hint: missingHint)
    try requireExists(labelsPath, hint: missingHint)
    return try load(imagesPath: imagesPath, labelsPath: labelsPath, classCount: classCount)
}

/// MNIST's file names inside `directory`: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
/// t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] (the .gz one wins if both exist).
public func loadSplit(_ split: Split, from directory: String,
                      classCount: Int?) throws(DatasetError) -> LabeledImages {
    let imagesPath = try splitFile(split.imagesFileName, in: directory)
    let labelsPath = try splitFile(split.labelsFileName, in: directory)
    return try load(imagesPath: imagesPath, labelsPath: labelsPath, classCount: classCount)
}

/// `directory/name.gz` if it exists, else `directory/name` if that exists.
func splitFile(_ name: String, in directory: String) throws(DatasetError) -> String {
    let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
    if exists(base + ".gz") { return base + ".gz" }
    try requireExists(base, hint: "nor \(name).gz; a dataset folder holds MNIST's four files under MNIST's names")
    return base
}

private func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

private func requireExists(_ path: String, hint: String) throws(DatasetError) {
    guard exists(path) else { throw .missingFile(file: path, hint: hint) }
}

private func load(imagesPath: String, labelsPath: String, classCount: Int?) throws(DatasetError) -> LabeledImages {
    let imageArray: IDXArray, labelArray: IDXArray
    do {
        labelArray = try readIDX(path: labelsPath)
        imageArray = try readIDX(path: imagesPath)
    } catch {
        throw .badFile(error)
    }
    guard imageArray.elementType == .uint8, imageArray.shape.count >= 2 else {
        throw .notImages(file: imagesPath, elementType: imageArray.elementType, shape: imageArray.shape)
    }
    guard labelArray.elementType == .uint8, labelArray.shape.count == 1 else {
        throw .notLabels(file: labelsPath, elementType: labelArray.elementType, shape: labelArray.shape)
    }
    let count = imageArray.shape[0]
    guard count == labelArray.shape[0] else {
        throw .countMismatch(imagesFile: imagesPath, images: count, labelsFile: labelsPath, labels: labelArray.shape[0])
    }
    let labels = labelArray.payload
    let classes: Int
    if let classCount {
        guard classCount >= 2 else { throw .tooFewClasses(file: labelsPath, classCount: classCount, inferred: false) }
        if let bad = labels.firstIndex(where: { Int($0) >= classCount }) {
            throw .labelOutOfRange(file: labelsPath, index: bad, label: Int(labels[bad]), classCount: classCount)
        }
        classes = classCount
    } else {
        classes = Int(labels.max() ?? 0) + 1
        guard classes >= 2 else { throw .tooFewClasses(file: labelsPath, classCount: classes, inferred: true) }
    }
    let rows = imageArray.shape.count == 2 ? 1 : imageArray.shape[1]
    let cols = imageArray.shape.dropFirst().reduce(1, *) / rows
    return LabeledImages(trusted: imageArray.payload, labels: labels, count: count, rows: rows, cols: cols,
                         classCount: classes)
}

extension LabeledImages {
    /// Sizes already validated by `load`; skips the public initialiser's checks.
    fileprivate init(trusted images: [UInt8], labels: [UInt8], count: Int, rows: Int, cols: Int, classCount: Int) {
        self.images = images
        self.labels = labels
        self.count = count
        self.rows = rows
        self.cols = cols
        self.classCount = classCount
    }
}
