import Foundation
@testable import MNISTData
import Testing
import TestSupport

/// Datasets recognised by their checksums wherever they are, and MD5 itself.
struct KnownDatasetsTests {
    /// RFC 1321's own test suite (appendix A.5): 0 to 80 bytes, across the padding's block edges.
    @Test func md5MatchesRFC1321() {
        let suite: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"), ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"), ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (text, digest) in suite { #expect(md5Hex(Array(text.utf8)) == digest, "\(text)") }
    }

    /// The published .gz files' MD5s as `make data` checks them (the md5sums file beside the
    /// machine's shared copy), and as the table of known datasets lists them.
    static let hasSharedSums = FileManager.default.fileExists(
        atPath: TestData.repositoryRoot.appendingPathComponent("../shared/data/fashion-mnist/md5sums").path)

    @Test(.enabled(if: TestData.fashionMNIST.isPresent && hasSharedSums, "Fashion-MNIST's md5sums are missing"))
    func md5OfTheGzipFilesIsWhatTheirPublishersList() throws {
        var checked = 0
        for (set, name) in [(TestData.mnist, "mnist"), (TestData.fashionMNIST, "fashion-mnist")] where set.isPresent {
            let listed = TestData.repositoryRoot.appendingPathComponent("../shared/data/\(name)/md5sums")
            guard let text = try? String(contentsOf: listed, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                #expect(md5Hex(try readFile(set.directory + "/" + fields[1])) == String(fields[0]), "\(line)")
                #expect(KnownDataset.all.contains { $0.gzipMD5.contains(String(fields[0])) }, "\(line)")
                checked += 1
            }
        }
        #expect(checked >= 4, "no md5sums file found beside the shared data")
    }

    @Test(.enabled(if: TestData.mnist.isPresent, "MNIST is missing"))
    func mnistIsRecognisedByItsContentsAndByItsGzipFiles() throws {
        let dir = TestData.mnist.directory
        let train = try loadSplit(.train, from: dir, classCount: nil), test = try loadSplit(.test, from: dir, classCount: nil)
        #expect(knownDataset(train: train, test: test)?.name == "MNIST")
        #expect(knownDataset(gzipFilesIn: dir)?.name == "MNIST")
        #expect(recogniseDataset(in: dir, train: train, test: test)?.form == .digit)
        // The splits swapped are not MNIST's splits.
        #expect(knownDataset(train: test, test: train) == nil)
    }

    /// Fashion-MNIST in another folder, decompressed: the .gz MD5s no longer apply, the contents do.
    @Test(.enabled(if: TestData.fashionMNIST.isPresent, "Fashion-MNIST is missing"))
    func fashionMNISTIsRecognisedDecompressedAnywhere() throws {
        let source = TestData.fashionMNIST.directory
        #expect(knownDataset(gzipFilesIn: source)?.name == "Fashion-MNIST")
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        for split in Split.allCases {
            for name in [split.imagesFileName, split.labelsFileName] {
                let array = try readIDX(path: "\(source)/\(name).gz")
                _ = try Fixtures.write(Fixtures.idx(typeCode: 8, dims: array.shape, payload: array.payload), to: dir, name: name)
            }
        }
        let train = try loadSplit(.train, from: dir.path, classCount: nil), test = try loadSplit(.test, from: dir.path, classCount: nil)
        #expect(knownDataset(gzipFilesIn: dir.path) == nil)
        let known = recogniseDataset(in: dir.path, train: train, test: test)
        #expect(known?.name == "Fashion-MNIST" && known?.form == .object)
    }

    /// Data no checksum knows, gzip'd or raw, is no known dataset.
    @Test(arguments: [false, true])
    func otherDataIsNotRecognised(gzipped: Bool) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        for split in Split.allCases {
            let count = split == .train ? 30 : 10
            let images = Fixtures.idx(typeCode: 8, dims: [count, 28, 28], payload: Fixtures.pixels(count: count, pixels: 784))
            let labels = Fixtures.idx(typeCode: 8, dims: [count], payload: (0..<count).map { UInt8($0 % 10) })
            let suffix = gzipped ? ".gz" : ""
            _ = try Fixtures.write(gzipped ? Fixtures.gzip(images) : images, to: dir, name: split.imagesFileName + suffix)
            _ = try Fixtures.write(gzipped ? Fixtures.gzip(labels) : labels, to: dir, name: split.labelsFileName + suffix)
        }
        let train = try loadSplit(.train, from: dir.path, classCount: nil), test = try loadSplit(.test, from: dir.path, classCount: nil)
        #expect(recogniseDataset(in: dir.path, train: train, test: test) == nil)
    }

    /// Every known dataset's checksums are well-formed and its own: no two share a file.
    @Test func theTableIsConsistent() {
        let sums = KnownDataset.all.flatMap(\.gzipMD5)
        #expect(sums.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(sums).count == sums.count)
        #expect(Set(KnownDataset.all.map(\.name)).count == KnownDataset.all.count)
    }
}
