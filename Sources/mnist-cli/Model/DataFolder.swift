#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore

/// Where a model's data is, for the commands that measure it: --data or $MNIST_DATA when given,
/// else the folder the model was trained on (as given when that is it from here, else its absolute
/// path, so a model measured from another folder still finds it), else data/mnist.
enum DataFolder {
    static func resolve(_ options: DataOptions, for checkpoint: Checkpoint, model: String) throws(CLIError) -> String {
        if let given = options.given { return given }
        guard let provenance = checkpoint.provenance else { return DataOptions.defaultDirectory }
        // The folder as given when from here it is the same folder: it reads as the user wrote it.
        if let absolute = provenance.absoluteFolder, Self.absolute(provenance.folder) == absolute { return provenance.folder }
        let recorded = [provenance.absoluteFolder, provenance.folder].compactMap { $0 }
        if let found = recorded.first(where: PictureFolder.isFolder) { return found }
        // A model from elsewhere measured where MNIST was fetched: the provenance check then warns
        // if that is not the data it was trained on.
        if PictureFolder.isFolder(DataOptions.defaultDirectory) { return DataOptions.defaultDirectory }
        let places = recorded.count == 2 && recorded[0] != recorded[1] ? "\(recorded[1]) (\(recorded[0]))" : recorded[0]
        throw CLIError(file: model, "was trained on the data in \(places), which is not there",
                       hint: "pass --data DIR, the folder that holds its IDX files")
    }

    /// `path` as an absolute path from where the process runs, links resolved; nil when it cannot
    /// be resolved (it is then not recorded).
    static func absolute(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension DataOptions {
    /// The folder the user named (--data, else $MNIST_DATA), nil when neither.
    var given: String? { data ?? Terminal.environment("MNIST_DATA") }
}
