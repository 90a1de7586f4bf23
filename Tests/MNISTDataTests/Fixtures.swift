import Foundation
import MNISTData

/// Builders for IDX and gzip byte fixtures, with values derived from the index so that tests
/// compute their expectations instead of pasting them.
enum Fixtures {
    /// An IDX file: magic (0, 0, type, rank), big-endian UInt32 dims, then `payload` as given.
    static func idx(typeCode: UInt8, dims: [UInt32], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, typeCode, UInt8(dims.count)]
        for d in dims { bytes += bigEndian(d) }
        return bytes + payload
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    /// `count` elements of `type`, derived from the index (negative and fractional where the type
    /// allows), as stored big-endian bytes and as the Floats `IDXArray.floats()` should return.
    static func pattern(_ type: IDXElementType, count: Int) -> (bytes: [UInt8], values: [Float]) {
        var bytes: [UInt8] = []
        var values: [Float] = []
        for i in 0..<count {
            switch type {
            case .uint8:
                let v = UInt8((i * 37 + 11) % 256)
                bytes.append(v); values.append(Float(v))
            case .int8:
                let v = Int8(truncatingIfNeeded: i * 37 - 100)
                bytes.append(UInt8(bitPattern: v)); values.append(Float(v))
            case .int16:
                let v = Int16(truncatingIfNeeded: i * 1237 - 30_000)
                bytes += bigEndian(v); values.append(Float(v))
            case .int32:
                let v = Int32(truncatingIfNeeded: i * 100_000_007 - 1_000_000)
                bytes += bigEndian(v); values.append(Float(v))
            case .float32:
                let v = Float(i) * 0.37 - 5.5
                bytes += bigEndian(v.bitPattern); values.append(v)
            case .float64:
                let v = Double(i) * -1.25e-3 + 0.1
                bytes += bigEndian(v.bitPattern); values.append(Float(v))
            }
        }
        return (bytes, values)
    }

    /// u8 pixels for `count` images of `pixels` each: pixel p of image i.
    static func pixels(count: Int, pixels: Int) -> [UInt8] {
        (0..<count * pixels).map { k in UInt8((k / pixels * 31 + k % pixels * 17 + (k / pixels) * (k % pixels) % 7) % 256) }
    }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] { deflateCompress(bytes, format: .gzipOrZlib) }

    /// A fresh directory under the system temporary directory; removed by the caller with `remove`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mnistdata-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    static func write(_ bytes: [UInt8], to directory: URL, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Wall time of `body`, in seconds.
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
}

/// The real datasets, when present: tests that need them skip loudly otherwise.
enum RealData {
    /// Tests/MNISTDataTests/Fixtures.swift -> the package root.
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let mnist: String? = locate("MNIST", candidates: [repoRoot.appendingPathComponent("data/mnist").path])

    static let fashionMNIST: String? = locate("Fashion-MNIST", candidates: [
        repoRoot.appendingPathComponent("../shared/data/fashion-mnist").standardizedFileURL.path,
        "/work/shared/data/fashion-mnist",
    ])

    /// The first candidate holding all four files (raw or .gz); prints why tests skip when none does.
    private static func locate(_ name: String, candidates: [String]) -> String? {
        let files = Split.allCases.flatMap { [$0.imagesFileName, $0.labelsFileName] }
        for dir in candidates {
            let complete = files.allSatisfy { file in
                FileManager.default.fileExists(atPath: "\(dir)/\(file).gz")
                    || FileManager.default.fileExists(atPath: "\(dir)/\(file)")
            }
            if complete { return dir }
        }
        FileHandle.standardError.write(Data(
            "SKIPPING \(name) tests: no \(name) files in \(candidates.joined(separator: " or ")) (run `make data`)\n".utf8))
        return nil
    }
}
