import ArgumentParser
import MLPCore
import MNISTData

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model as ONNX, NumPy's NPZ or safetensors, to use it outside mnist-cli.",
        discussion: """
            onnx: a graph from raw pixels to probabilities. Its input "pixels" is float32 of shape \
            [N, 784]: pixel values 0 to 255 as the IDX files store them, not divided by 255; the \
            model's normalisation is inside the graph. Its output "probabilities" is [N, classes].

            npz, safetensors: the arrays shift and scale (the normalisation, x = (pixels - shift) * \
            scale, per pixel), W1 (784 x hidden), b1, W2 (hidden x classes), b2, all float32, and the \
            activation, its slope for leaky-relu and the class names. Then probabilities = \
            softmax(f(x W1 + b1) W2 + b2). docs/export.md has the details and Python that loads each.

            The file is written atomically and replaces only a file of the same format.
            """)

    @Argument(help: ArgumentHelp("The model file written by `mnist-cli train`.", valueName: "model"),
              completion: .file(extensions: ["bin"]))
    var model: String

    @Option(help: ArgumentHelp("The format to write: onnx, npz or safetensors.", valueName: "format"))
    var format: ExportFormat

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Where to write it (default: the model's name with the format's extension, beside it).", valueName: "file"))
    var output: String?

    @OptionGroup var printing: OutputOptions

    /// `--output`, else model.bin's name with the format's extension (runs/a.bin → runs/a.onnx).
    var outputPath: String {
        if let output { return output }
        let slash = model.lastIndex(of: "/").map { model.index(after: $0) } ?? model.startIndex
        let dot = model[slash...].lastIndex(of: ".").flatMap { $0 > slash ? $0 : nil } ?? model.endIndex
        return String(model[..<dot]) + "." + format.fileExtension
    }

    func validate() throws {
        // A slip like `--output model.bin` would replace the model with its export.
        guard hasExtension(outputPath, [format.fileExtension]) else {
            throw ValidationError("--output \(outputPath): \(format.displayName) files end in .\(format.fileExtension); give such a name")
        }
    }

    func run() throws {
        let checkpoint = try ModelFile.load(model)
        let path = outputPath
        let bytes = format.encoded(checkpoint)
        do {
            let article = format == .safetensors ? "a" : "an"
            try checkReplacesOnly(path, kind: "\(article) \(format.displayName) file", headLength: ExportFormat.headLength,
                                  accepts: format.startsLikeOne)
            try writeFileAtomically(path, bytes)
        } catch {
            throw CLIError(error.description)
        }
        if printing.json {
            print(JSON.object([("wrote", .string(path)), ("format", .string(format.rawValue)), ("bytes", .integer(bytes.count)),
                               ("model", .string(model))]).text)
        } else {
            print("wrote \(path): \(format.displayName), \(ModelFile.summary(checkpoint)), \(bytes.count / 1024) KB")
        }
    }
}
