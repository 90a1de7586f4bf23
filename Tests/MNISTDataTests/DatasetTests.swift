import Foundation
@testable import MNISTData
import Testing
import TestSupport

/// Writes an images file and a labels file into `dir`, returns their paths.
private func writePair(in dir: URL, imageDims: [UInt32], labels: [UInt8], gzipped: Bool = false,
                       imagesName: String = "images.idx", labelsName: String = "labels.idx") throws -> (String, String) {
    let pixels = Int(imageDims.reduce(1, *))
    let images = Fixtures.idx(typeCode: 8, dims: imageDims, payload: Fixtures.pixels(count: 1, pixels: pixels))
    let labelFile = Fixtures.idx(typeCode: 8, dims: [UInt32(labels.count)], payload: labels)
    return (try Fixtures.write(gzipped ? Fixtures.gzip(images) : images, to: dir, name: imagesName),
            try Fixtures.write(gzipped ? Fixtures.gzip(labelFile) : labelFile, to: dir, name: labelsName))
}

@Suite struct DatasetTests {
    @Test(arguments: [false, true])
    func loadsImagesAndLabels(gzipped: Bool) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let labels: [UInt8] = (0..<5).map { UInt8($0 * 3 % 7) }  // 0 3 6 2 5: max 6
        let (images, labelsPath) = try writePair(in: dir, imageDims: [5, 3, 4], labels: labels, gzipped: gzipped)
        let data = try loadLabeledImages(imagesPath: images, labelsPath: labelsPath, classCount: nil)
        #expect((data.count, data.rows, data.cols, data.pixelsPerImage) == (5, 3, 4, 12))
        #expect(data.images == Fixtures.pixels(count: 1, pixels: 60))
        #expect(data.labels == labels)
        #expect(data.classCount == 7)
        let given = try loadLabeledImages(imagesPath: images, labelsPath: labelsPath, classCount: 10)
        #expect(given.classCount == 10)
    }

    @Test func rankTwoIsOneRowOfFeaturesAndRankFourFoldsIntoColumns() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (flat, flatLabels) = try writePair(in: dir, imageDims: [4, 9], labels: [0, 1, 0, 1],
                                               imagesName: "flat", labelsName: "flat-labels")
        let a = try loadLabeledImages(imagesPath: flat, labelsPath: flatLabels, classCount: nil)
        #expect((a.count, a.rows, a.cols, a.classCount) == (4, 1, 9, 2))
        let (deep, deepLabels) = try writePair(in: dir, imageDims: [2, 3, 4, 5], labels: [1, 0],
                                               imagesName: "deep", labelsName: "deep-labels")
        let b = try loadLabeledImages(imagesPath: deep, labelsPath: deepLabels, classCount: nil)
        #expect((b.count, b.rows, b.cols) == (2, 3, 20))
    }

    @Test func splitPrefersTheGzippedFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        // Raw files say labels 0,1,2; the .gz ones say 2,1,0: the .gz ones must win.
        _ = try writePair(in: dir, imageDims: [3, 2, 2], labels: [0, 1, 2],
                          imagesName: "t10k-images-idx3-ubyte", labelsName: "t10k-labels-idx1-ubyte")
        _ = try writePair(in: dir, imageDims: [3, 2, 2], labels: [2, 1, 0], gzipped: true,
                          imagesName: "t10k-images-idx3-ubyte.gz", labelsName: "t10k-labels-idx1-ubyte.gz")
        #expect(try loadSplit(.test, from: dir.path, classCount: nil).labels == [2, 1, 0])
        // Without the .gz pair, the raw pair is used; a trailing slash is fine.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        #expect(try loadSplit(.test, from: dir.path + "/", classCount: nil).labels == [0, 1, 2])
    }

    @Test func missingSplitFilesAreNamedWithTheirGzipAlternative() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let error = caughtError { () throws(DatasetError) in try loadSplit(.train, from: dir.path, classCount: nil) }
        guard case .missingFile(let file, let hint)? = error else {
            Issue.record("expected missingFile, got \(String(describing: error))")
            return
        }
        #expect(file == dir.path + "/train-images-idx3-ubyte")
        #expect(hint.contains("train-images-idx3-ubyte.gz"))
        #expect(error?.description.hasPrefix("\(file): no such file; nor train-images-idx3-ubyte.gz") == true)
        try Data([0, 0, 8, 1, 0, 0, 0, 0]).write(to: dir.appendingPathComponent("train-images-idx3-ubyte"))
        let labelsMissing = caughtError { () throws(DatasetError) in try loadSplit(.train, from: dir.path, classCount: nil) }
        guard case .missingFile(let labels, let labelsHint)? = labelsMissing else {
            Issue.record("expected missingFile, got \(String(describing: labelsMissing))")
            return
        }
        #expect(labels == dir.path + "/train-labels-idx1-ubyte" && labelsHint.contains("train-labels-idx1-ubyte.gz"))
    }

    @Test func missingExplicitFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (images, _) = try writePair(in: dir, imageDims: [2, 2, 2], labels: [0, 1])
        let labels = dir.appendingPathComponent("absent").path
        let error = caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: labels, classCount: nil)
        }
        #expect(error == .missingFile(file: labels, hint: "check the path"))
    }

    @Test func directoryInsteadOfFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (_, labels) = try writePair(in: dir, imageDims: [2, 2, 2], labels: [0, 1])
        let error = caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: dir.path, labelsPath: labels, classCount: nil)
        }
        #expect(error == .badFile(.unreadable(file: dir.path, reason: "is a directory, not a file")))
    }

    @Test func imagesAndLabelsCountMismatch() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (images, labels) = try writePair(in: dir, imageDims: [4, 2, 2], labels: [0, 1, 1])
        let error = caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: labels, classCount: nil)
        }
        #expect(error == .countMismatch(imagesFile: images, images: 4, labelsFile: labels, labels: 3))
        #expect(error?.description.contains("holds 4 images but \(labels) holds 3 labels") == true)
    }

    @Test func labelOutOfRange() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (images, labels) = try writePair(in: dir, imageDims: [5, 2, 2], labels: [0, 2, 1, 3, 4])
        let error = caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: labels, classCount: 3)
        }
        #expect(error == .labelOutOfRange(file: labels, index: 3, label: 3, classCount: 3))
        #expect(error?.description.contains("label 3 is 3, not below the class count 3") == true)
    }

    @Test func tooFewClasses() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (images, labels) = try writePair(in: dir, imageDims: [3, 2, 2], labels: [0, 0, 0])
        #expect(caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: labels, classCount: nil)
        } == .tooFewClasses(file: labels, classCount: 1, inferred: true))
        #expect(caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: labels, classCount: 1)
        } == .tooFewClasses(file: labels, classCount: 1, inferred: false))
    }

    @Test func labelsFileGivenAsImagesAndTheReverse() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (images, labels) = try writePair(in: dir, imageDims: [3, 2, 2], labels: [0, 1, 2])
        let swapped = caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: labels, labelsPath: images, classCount: nil)
        }
        #expect(swapped == .notImages(file: labels, elementType: .uint8, shape: [3]))
        #expect(swapped?.description.contains("this looks like a labels file") == true)
        let bothImages = caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: images, classCount: nil)
        }
        #expect(bothImages == .notLabels(file: images, elementType: .uint8, shape: [3, 2, 2]))
        let wideLabels = try Fixtures.write(Fixtures.idx(typeCode: 0x0C, dims: [3], payload: Fixtures.pattern(.int32, count: 3).bytes),
                                            to: dir, name: "i32-labels")
        #expect(caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: wideLabels, classCount: nil)
        } == .notLabels(file: wideLabels, elementType: .int32, shape: [3]))
    }

    @Test func invalidIDXIsWrapped() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let (images, _) = try writePair(in: dir, imageDims: [2, 2, 2], labels: [0, 1])
        let labels = try Fixtures.write(Fixtures.idx(typeCode: 8, dims: [2], payload: [0, 1, 1]), to: dir, name: "long")
        let error = caughtError { () throws(DatasetError) in
            try loadLabeledImages(imagesPath: images, labelsPath: labels, classCount: nil)
        }
        #expect(error == .badFile(.trailingData(file: labels, extraBytes: 1, atLeast: false)))
        #expect(error?.description == IDXError.trailingData(file: labels, extraBytes: 1, atLeast: false).description)
    }

    // MARK: - Real data

    // Needs data/mnist (`make data`); TestData prints a SKIPPED line when it is absent.
    @Test(.enabled(if: TestData.mnist.isPresent, "MNIST is missing (run `make data`)"))
    func mnistSplits() throws {
        let dir = TestData.mnist.directory
        let train = try loadSplit(.train, from: dir, classCount: nil)
        #expect((train.count, train.rows, train.cols, train.classCount) == (60000, 28, 28, 10))
        #expect(train.images.count == 60000 * 784)
        let test = try loadSplit(.test, from: dir, classCount: 10)
        #expect((test.count, test.rows, test.cols) == (10000, 28, 28))
        var histogram = [Int](repeating: 0, count: 10)
        for label in test.labels { histogram[Int(label)] += 1 }
        #expect(histogram == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }

    // Needs Fashion-MNIST; TestData prints a SKIPPED line when it is absent.
    @Test(.enabled(if: TestData.fashionMNIST.isPresent, "Fashion-MNIST is missing"))
    func fashionMNISTTrainSplit() throws {
        let dir = TestData.fashionMNIST.directory
        let train = try loadSplit(.train, from: dir, classCount: nil)
        #expect((train.count, train.rows, train.cols, train.classCount) == (60000, 28, 28, 10))
        var histogram = [Int](repeating: 0, count: 10)
        for label in train.labels { histogram[Int(label)] += 1 }
        #expect(histogram == [Int](repeating: 6000, count: 10))
    }
}
