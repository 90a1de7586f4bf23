import ArgumentParser
import MLPCore
import MNISTData

struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw what a model learned and where it fails, as PNG pictures (and an SVG chart).",
        discussion: """
            mnist-cli draw templates model.bin  # hidden units' weights: templates.png
            mnist-cli draw classes model.bin    # what each class responds to: classes.png
            mnist-cli draw mistakes model.bin   # misclassified test images: mistakes.png
            mnist-cli draw confusion model.bin  # confusion heat map: confusion.png
            mnist-cli draw curves model.bin     # loss and accuracy per epoch: curves.svg

            Weights are drawn blue (negative), white (zero), red (positive), each tile scaled by its \
            own largest |weight|. `mnist-cli report` puts them all in one HTML page.
            """,
        subcommands: [DrawTemplates.self, DrawClasses.self, DrawMistakes.self, DrawConfusion.self, DrawCurves.self])
}

/// The model to draw and where the picture goes; `fileExtension` is the only form each picture has.
struct PictureOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The model file written by `mnist-cli train`.", valueName: "model"),
              completion: .file(extensions: ["bin"]))
    var model: String

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the picture (replaced atomically).", valueName: "file"))
    var output: String?

    @OptionGroup var format: OutputOptions

    /// `output`, or `name` in the current folder; a usage error when it does not end in `.ext`.
    func outputPath(default name: String) throws -> String {
        let path = output ?? name
        let ext = String(name.split(separator: ".").last!)
        guard hasExtension(path, [ext]) else {
            throw ValidationError("--output \(path): this picture is written as \(ext.uppercased()); give a file name ending in .\(ext)")
        }
        return path
    }
}

/// Writes a picture atomically and says so on standard output: a line of text, or with --json an
/// object naming the file, its size, what it shows and `details` (the confusion matrix's counts).
func writePicture(_ bytes: [UInt8], to path: String, _ description: String, json: Bool = false,
                  details: [(String, JSON)] = []) throws(CLIError) {
    do {
        try writeFileAtomically(path, bytes)
    } catch {
        throw CLIError(error.description)
    }
    if json {
        print(JSON.object([("wrote", .string(path)), ("bytes", .integer(bytes.count)), ("description", .string(description))] + details).text)
    } else {
        print("wrote \(path): \(description)")
    }
}

extension PictureCanvas {
    var size: String { "\(width)x\(height)" }
}
