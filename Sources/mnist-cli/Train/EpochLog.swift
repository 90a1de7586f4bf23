#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore
import MNISTData

/// `train --log FILE`: a line per epoch as it ends, flushed, so a run can be watched (tail -f) or
/// plotted while it goes on. CSV (with a header) or JSON Lines, by the file's extension. A resumed
/// run appends to it; a fresh one starts it anew.
final class EpochLog {
    enum Format { case csv, jsonLines }

    let path: String
    let format: Format
    private let file: UnsafeMutablePointer<FILE>

    /// The format a log file's name asks for; nil for any other extension.
    static func format(of path: String) -> Format? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") { return .jsonLines }
        return nil
    }

    /// Opens `path` (links followed; a device, FIFO or directory refused, as for --out), emptied
    /// unless `appending`; a CSV that is new or empty gets its header.
    init(path: String, appending: Bool) throws(CLIError) {
        guard let format = Self.format(of: path) else {
            throw CLIError(file: path, "a log is .csv, .jsonl or .json", status: .usage)
        }
        let target: String
        do {
            target = try outputTarget(path)
            try checkWritable(path)
        } catch { throw CLIError(error.description, hint: "choose another --log") }
        guard let file = fopen(target, appending ? "a" : "w") else {
            throw CLIError(file: path, "cannot open: \(String(cString: strerror(errno)).lowercased())", hint: "choose another --log")
        }
        self.path = path
        self.format = format
        self.file = file
        if format == .csv && ftell(file) == 0 { write(EpochFields.names.joined(separator: ",")) }
    }

    deinit { fclose(file) }

    func append(_ epoch: EpochFields) throws(CLIError) {
        write(format == .csv ? epoch.csv : epoch.json.text)
        guard fflush(file) == 0, ferror(file) == 0 else {
            throw CLIError(file: path, "write failed: \(String(cString: strerror(errno)).lowercased())", hint: "is the disk full?")
        }
    }

    private func write(_ line: String) {
        fputs(line + "\n", file)
    }
}
