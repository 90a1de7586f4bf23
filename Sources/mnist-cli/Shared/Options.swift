import ArgumentParser

/// Where the IDX files are: --data, else $MNIST_DATA, else data/mnist.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Folder holding the four MNIST-named IDX files (train-images-idx3-ubyte[.gz] and so on).",
        discussion: "Defaults to $MNIST_DATA when set, else data/mnist (filled by `make data`).",
        valueName: "dir"), completion: .directory)
    var data: String?

    static let defaultDirectory = "data/mnist"

    var directory: String { data ?? Terminal.environment("MNIST_DATA") ?? Self.defaultDirectory }

    func validate() throws {
        if data?.isEmpty == true { throw ValidationError("--data is empty; give the folder that holds the IDX files") }
    }
}

/// --json: machine-readable output for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (one object per line) instead of text.")
    var json = false
}
