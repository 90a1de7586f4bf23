#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MNISTData

/// The pictures `predict DIR` reads: the folder's regular files (links followed), not hidden, not
/// in subfolders, in the byte order of their names so every machine lists them alike. A file is
/// taken when its name ends in a picture extension or its first bytes are a picture format's;
/// the rest (notes, models, CSVs) are skipped and counted, so one that is meant as a picture but
/// is damaged is still reported, not silently dropped.
struct PictureFolder {
    static let pictureExtensions = ["png", "jpg", "jpeg", "bmp", "gif"]

    let path: String
    /// Full paths of the files to read, in order.
    var pictures: [String] = []
    /// Regular files that are pictures neither by name nor by content.
    var skipped: [String] = []

    /// True when `path` is a directory (links followed): predict reads the pictures in it.
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Lists `path`, which must be a directory.
    init(_ path: String) throws(CLIError) {
        self.path = path
        guard let dir = opendir(path) else {
            throw CLIError(file: path, "cannot list the folder: \(String(cString: strerror(errno)).lowercased())")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if !name.hasPrefix(".") { names.append(name) }
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let base = path.hasSuffix("/") ? path : path + "/"
        for name in names {
            let file = base + name
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if hasExtension(name, Self.pictureExtensions) || startsWithPictureSignature(file) {
                pictures.append(file)
            } else {
                skipped.append(file)
            }
        }
    }
}

/// True when the file's first bytes are those of a picture format (`PictureFormat`), one predict
/// decodes or one it names with a conversion.
private func startsWithPictureSignature(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var head = [UInt8](repeating: 0, count: 64)
    let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 64) }
    guard n > 0 else { return false }
    return PictureFormat(sniffing: Array(head.prefix(n))) != nil
}
