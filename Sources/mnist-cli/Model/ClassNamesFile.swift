#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore
import MNISTData

/// The names file of a dataset that is not digits: `classes.txt` beside the IDX files, or `--classes`.
enum ClassNamesFile {
    static let defaultName = "classes.txt"
    /// Ten names take ~100 bytes; a file past this is not a names file.
    static let sizeLimit = 1 << 20

    static func read(_ path: String, classes: Int) throws(CLIError) -> [String] {
        let bytes: [UInt8]
        do { bytes = try readFile(path, limit: sizeLimit) } catch { throw CLIError(error.description) }
        do { return try ClassNames.parse(bytes, classes: classes) } catch {
            throw CLIError(file: path, "\(error)", hint: "one name per line, \(classes) lines, class 0 first")
        }
    }
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

extension Checkpoint {
    /// "7", or "7 Sneaker" when the model knows its classes' names.
    func label(_ index: Int) -> String {
        guard let names = classNames, names.indices.contains(index) else { return String(index) }
        return "\(index) \(names[index])"
    }

    /// What pictures call each class: its name, or its number when the model knows no names.
    var classLabels: [String] {
        (0..<model.shape.outputs).map { index in classNames.flatMap { $0.indices.contains(index) ? $0[index] : nil } ?? String(index) }
    }
}
