#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MNISTData

/// `predict --save-input`: writes each image the model saw as an 8-bit grey PNG. Only ever
/// creates a file or replaces a PNG: a device (/dev/null), a FIFO, a socket or a directory at the
/// target is an error, and so is a file that holds anything else or a name not ending in .png (the
/// name rule draw and report follow too: a slip must not put a picture in place of a model).
struct InputSaver {
    /// A directory to write NAME.input.png files into, or the one file to write.
    let path: String
    let isDirectory: Bool
    private var used: Set<String> = []

    /// Checks `path` before anything is classified: an existing directory, or a file that may be
    /// created or replaced, which only one image (`single`) may go to.
    init(path: String, single: Bool) throws(CLIError) {
        self.path = path
        switch fileKind(path) {
        case .directory:
            isDirectory = true
        case .other(let kind):
            throw CLIError(file: path, "is \(kind), not a regular file or a directory",
                           hint: "--save-input writes PNG files and replaces nothing else; choose another path")
        case .regular, .absent:
            isDirectory = false
            guard hasExtension(path, ["png"]) else {
                throw CLIError(file: path, "--save-input writes a PNG; give a file name ending in .png, or an existing directory")
            }
            guard single else {
                throw CLIError(file: path, "is not a directory, and several images are to be saved (several inputs, or --each)",
                               hint: "give --save-input an existing directory")
            }
            do {
                try checkReplacesOnly(path, startingWith: pngSignature, format: "PNG")
                try checkWritable(path)
            } catch {
                throw CLIError(error.description, hint: "choose another --save-input")
            }
        }
    }

    /// Where the image for `input` goes (mark k of `marks` under --each): for a directory,
    /// NAME.input.png after the input's file name without its picture extension ("stdin" for -,
    /// FILE-N for IDX item N, -K appended for marks), with the input's place in the list added
    /// should two share a name.
    mutating func target(for input: PredictInput, position: Int, mark: Int?) -> String {
        guard isDirectory else { return path }
        var name: String
        if input.name == "<stdin>" {
            name = "stdin"
        } else {
            name = String(input.name.split(separator: "/").last ?? "image")
            if hasExtension(name, PictureFolder.pictureExtensions), let dot = name.lastIndex(of: ".") {
                name = String(name[..<dot])
            }
            if let index = input.index { name += "-\(index)" }
        }
        if let mark { name += "-\(mark)" }
        if used.contains(name) { name += "-\(position)" }
        used.insert(name)
        return (path.hasSuffix("/") ? path : path + "/") + name + ".input.png"
    }

    /// Writes `pixels` (side x side) to `target` atomically; refuses anything but a PNG or nothing
    /// there, and the input file itself.
    func save(_ pixels: [UInt8], side: Int, to target: String, input: String) throws(CLIError) {
        switch fileKind(target) {
        case .absent, .regular:
            break
        case .directory:
            throw CLIError(file: target, "is a directory, not a regular file",
                           hint: "--save-input writes PNG files and replaces nothing else; choose another path")
        case .other(let kind):
            throw CLIError(file: target, "is \(kind), not a regular file",
                           hint: "--save-input writes PNG files and replaces nothing else; choose another path")
        }
        if sameFile(target, input) {
            throw CLIError(file: target, "is the input picture itself", hint: "choose another --save-input")
        }
        do {
            try checkReplacesOnly(target, startingWith: pngSignature, format: "PNG")
            try writeFileAtomically(target, encodeGreyPNG(width: side, height: side, grey: pixels))
        } catch {
            throw CLIError(error.description, hint: "choose another --save-input")
        }
    }
}

private enum FileKind {
    case absent, regular, directory
    case other(String)
}

/// What is at `path`, following symbolic links.
private func fileKind(_ path: String) -> FileKind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .absent }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .directory
    case S_IFCHR: return .other("a character device")
    case S_IFBLK: return .other("a block device")
    case S_IFIFO: return .other("a FIFO")
    case S_IFSOCK: return .other("a socket")
    default: return .other("a special file")
    }
}

/// True when both paths name the same existing file (device and inode).
private func sameFile(_ a: String, _ b: String) -> Bool {
    var x = stat(), y = stat()
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
}
