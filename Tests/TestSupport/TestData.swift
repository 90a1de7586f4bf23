import Foundation
import MNISTData

/// A data set some tests need that is not in the repository: where it is, and whether it is there.
public struct TestDataset: Sendable {
    /// Where it was found; when missing, the first place it was looked for.
    public let directory: String
    public let isPresent: Bool

    /// The first of `candidates` (paths under the repository root) where `isComplete` holds. When
    /// none does, says so on stderr: one loud line per missing data set, since each is a `static let`
    /// of `TestData` and so made once per test run.
    init(_ name: String, candidates: [String], howToGetIt: String, isComplete: (String) -> Bool) {
        let directories = candidates.map { TestData.repositoryRoot.appendingPathComponent($0).standardizedFileURL.path }
        if let found = directories.first(where: isComplete) {
            directory = found
            isPresent = true
        } else {
            directory = directories[0]
            isPresent = false
            FileHandle.standardError.write(Data(("SKIPPED: every test that needs \(name): it is not in "
                + "\(directories.joined(separator: " or ")) (\(howToGetIt))\n").utf8))
        }
    }
}

/// The data sets found beside the code, looked up once per test run.
public enum TestData {
    /// The repository root, from this file's path (Tests/TestSupport/TestData.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// MNIST's four files, raw or gzip'd, where `make data` puts them.
    public static let mnist = TestDataset("MNIST", candidates: ["data/mnist"], howToGetIt: "run `make data`",
                                          isComplete: holdsBothSplits)

    /// Fashion-MNIST, from `make data DATASET=fashion-mnist` or the machine's shared copy beside the clone.
    public static let fashionMNIST = TestDataset("Fashion-MNIST", candidates: ["data/fashion-mnist", "../shared/data/fashion-mnist"],
                                                 howToGetIt: "run `make data DATASET=fashion-mnist`",
                                                 isComplete: holdsBothSplits)

    /// PngSuite (pngsuite/) and its reference decodings as raw RGBA (pngsuite-ref/), in the
    /// machine's shared data beside the clone.
    public static let pngSuite = TestDataset("PngSuite", candidates: ["../shared/data"],
                                             howToGetIt: "copy pngsuite/ and pngsuite-ref/ into ../shared/data") { dir in
        ["pngsuite/basn0g01.png", "pngsuite-ref/index.tsv"].allSatisfy { FileManager.default.fileExists(atPath: dir + "/" + $0) }
    }

    /// True when `dir` holds the images and labels files of both splits, each raw or gzip'd.
    private static func holdsBothSplits(_ dir: String) -> Bool {
        Split.allCases.flatMap { [$0.imagesFileName, $0.labelsFileName] }.allSatisfy { file in
            FileManager.default.fileExists(atPath: "\(dir)/\(file).gz") || FileManager.default.fileExists(atPath: "\(dir)/\(file)")
        }
    }
}
