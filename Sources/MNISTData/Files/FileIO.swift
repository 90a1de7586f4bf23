#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read or written, with the path and a plain-words reason.
public struct FileError: Error, Equatable, CustomStringConvertible {
    let path: String
    public let reason: String

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

private func lastErrorText() -> String { String(cString: strerror(errno)) }

/// Reads a whole regular file. Refuses directories and files larger than `limit` bytes
/// before reading them (the size comes from the file system, not from the file's contents).
public func readFile(_ path: String, limit: Int = 1 << 31) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        let reason = errno == ENOENT ? "no such file" : lastErrorText().lowercased()
        throw FileError(path: path, reason: reason)
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError(path: path, reason: lastErrorText().lowercased()) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError(path: path, reason: "is a directory, not a file") }
    let size = Int(info.st_size)
    guard size <= limit else {
        throw FileError(path: path, reason: "file is \(size) bytes, more than the \(limit) allowed")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileError(path: path, reason: lastErrorText().lowercased())
        }
        if n == 0 { break }  // shrank while we read it
        done += n
    }
    if done < size { bytes.removeLast(size - done) }
    // A pipe or a file still growing: take what else is there, up to the limit.
    if (info.st_mode & S_IFMT) != S_IFREG { try readRest(fd, path: path, into: &bytes, limit: limit) }
    return bytes
}

/// Reads standard input (or any non-seekable stream) to its end, refusing more than `limit` bytes.
public func readStandardInput(limit: Int = 1 << 28) throws(FileError) -> [UInt8] {
    var bytes = [UInt8]()
    try readRest(0, path: "<stdin>", into: &bytes, limit: limit)
    return bytes
}

private func readRest(_ fd: Int32, path: String, into bytes: inout [UInt8], limit: Int) throws(FileError) {
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileError(path: path, reason: lastErrorText().lowercased())
        }
        if n == 0 { return }
        guard bytes.count + n <= limit else {
            throw FileError(path: path, reason: "more than the \(limit) bytes allowed")
        }
        bytes.append(contentsOf: chunk[0..<n])
    }
}

/// Where a write to `path` lands: `path` itself, or, when it is a symbolic link, the file at the end
/// of the chain (which need not exist yet), so a link such as current.bin -> models/v1.bin keeps
/// pointing at the new model. Refuses a path that exists and is not a regular file: a device, a
/// FIFO, a socket or a directory would be destroyed by replacing it (as root, even /dev/null).
public func outputTarget(_ path: String) throws(FileError) -> String {
    var current = path
    for _ in 0..<40 {
        var info = stat()
        guard lstat(current, &info) == 0 else {
            if errno == ENOENT { return current }
            throw FileError(path: path, reason: lastErrorText().lowercased())
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFREG { return current }
        guard kind == S_IFLNK else {
            let what = current == path ? "is" : "is a symbolic link to \(current), which is"
            throw FileError(path: path, reason: "\(what) \(fileKind(kind)), not a regular file; refusing to replace it")
        }
        current = try linkTarget(current, of: path)
    }
    throw FileError(path: path, reason: "too many levels of symbolic links")
}

/// Where the symbolic link `link` points, relative targets taken from the link's directory.
private func linkTarget(_ link: String, of path: String) throws(FileError) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(link, &buffer, buffer.count - 1)
    guard n >= 0 else { throw FileError(path: path, reason: "cannot read the symbolic link \(link): \(lastErrorText().lowercased())") }
    let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if target.hasPrefix("/") || !link.contains("/") { return target }
    return directoryName(of: link) + "/" + target
}

private func fileKind(_ kind: mode_t) -> String {
    switch kind {
    case S_IFDIR: return "a directory"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFSOCK: return "a socket"
    default: return "not a regular file"
    }
}

/// Checks, without touching the file itself, that `path` could be written by `writeFileAtomically`:
/// it is a regular file or nothing yet (links followed), and its directory exists and is writable.
public func checkWritable(_ path: String) throws(FileError) {
    let dir = directoryName(of: try outputTarget(path))
    var info = stat()
    guard stat(dir, &info) == 0 else { throw FileError(path: path, reason: "directory \(dir) does not exist") }
    guard access(dir, W_OK) == 0 else { throw FileError(path: path, reason: "directory \(dir) is not writable") }
}

/// Checks that a write to `path` would replace only a file of the kind it writes: an existing
/// regular file (links followed) must start with `signature` (PNG's eight bytes, say), so a slip of
/// the name cannot put a picture in place of a model. A new path or an empty file passes.
public func checkReplacesOnly(_ path: String, startingWith signature: [UInt8], format: String) throws(FileError) {
    try checkReplacesOnly(path, kind: "a \(format) file", headLength: signature.count) { $0 == signature }
}

/// `checkReplacesOnly` for a format known by a test of its first `headLength` bytes rather than a
/// fixed signature; `accepts` sees as many of them as the file has. `kind` is how the message
/// names the format ("an ONNX file").
public func checkReplacesOnly(_ path: String, kind: String, headLength: Int, accepts: ([UInt8]) -> Bool) throws(FileError) {
    let target = try outputTarget(path)  // refuses devices and FIFOs before anything is opened
    let fd = open(target, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        if errno == ENOENT { return }
        throw FileError(path: path, reason: lastErrorText().lowercased())
    }
    defer { close(fd) }
    var head = [UInt8](repeating: 0, count: headLength)
    let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress!, headLength) }
    guard n == 0 || (n > 0 && accepts(Array(head.prefix(n)))) else {
        throw FileError(path: path, reason: "exists and is not \(kind); refusing to replace it")
    }
}

/// Writes `bytes` so that `path` holds either its old contents or all of the new ones, never a
/// mix: a temporary file beside the target (`outputTarget`: links followed, nothing but a regular
/// file replaced), fsync, rename over the target, fsync the directory. An existing file keeps its
/// permissions.
public func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws(FileError) {
    let target = try outputTarget(path)
    let dir = directoryName(of: target)
    var existing = stat()
    let mode = stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
    var template = Array("\(target).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
        // The usual cause, said as checkWritable says it.
        if errno == ENOENT { throw FileError(path: path, reason: "directory \(dir) does not exist") }
        throw FileError(path: path, reason: "cannot create a temporary file: \(lastErrorText().lowercased())")
    }
    let tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var ok = false
    defer {
        if !ok { unlink(tempPath) }
    }
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            let reason = lastErrorText().lowercased()
            close(fd)
            throw FileError(path: path, reason: "write failed: \(reason)")
        }
        done += n
    }
    fchmod(fd, mode)
    guard fsync(fd) == 0 else {
        let reason = lastErrorText().lowercased()
        close(fd)
        throw FileError(path: path, reason: "fsync failed: \(reason)")
    }
    close(fd)
    guard rename(tempPath, target) == 0 else {
        throw FileError(path: path, reason: "rename failed: \(lastErrorText().lowercased())")
    }
    ok = true
    let dirFD = open(dir, O_RDONLY | O_DIRECTORY)
    if dirFD >= 0 {
        fsync(dirFD)
        close(dirFD)
    }
}

/// The directory part of a path ("." for a bare file name).
func directoryName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let dir = String(path[..<slash])
    return dir.isEmpty ? "/" : dir
}
