import Foundation

extension Fixtures {
    /// A fresh empty directory under the system's temporary directory; the caller removes it
    /// (`remove`) when done.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mnist-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a temporary directory and everything in it; a failure only leaves litter behind.
    public static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `directory`/`name` and returns the file's path.
    @discardableResult
    public static func write(_ bytes: [UInt8], to directory: URL, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}
