import ArgumentParser
import MLPCore
import MNISTData

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify digit images: PNG files, a PNG on stdin (-), or items of an IDX file.",
        discussion: """
            A PNG is first brought into MNIST's own form, as MNIST's digits were made: alpha over \
            white, grey, inverted when the ink is darker than the paper, background removed, cropped \
            to the ink, scaled to fit 20x20 keeping the aspect ratio, centred by centre of mass in \
            28x28. --show prints that 28x28 image.

            A file that cannot be read is reported and the others are still classified; the exit \
            status is then 1.
            """)

    @Argument(help: ArgumentHelp("PNG files to classify; - reads one PNG from standard input.", valueName: "image"),
              completion: .file(extensions: ["png"]))
    var images: [String] = []

    @Option(help: ArgumentHelp("The model file written by `mnist-cli train`.", valueName: "file"),
            completion: .file(extensions: ["bin"]))
    var model = "model.bin"

    @Option(help: ArgumentHelp("Classify items of this IDX image file (with --index) instead of PNGs.", valueName: "file"),
            completion: .file())
    var idx: String?

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Item of the --idx file to classify (0-based; repeat for several).", valueName: "n"))
    var index: [Int] = []

    @Option(parsing: .unconditional, help: "How many of the most likely classes to list.")
    var top = 3

    @Flag(help: "Print the 28x28 image the model saw, as text.")
    var show = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if idx == nil && images.isEmpty { throw ValidationError("give at least one PNG file, - for stdin, or --idx FILE --index N") }
        if idx != nil && !images.isEmpty { throw ValidationError("give PNG files or --idx, not both") }
        if idx != nil && index.isEmpty { throw ValidationError("--idx needs at least one --index N") }
        if idx == nil && !index.isEmpty { throw ValidationError("--index goes with --idx FILE") }
        if images.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        guard top >= 1 else { throw ValidationError("--top must be 1 or more, got \(top)") }
    }

    func run() throws {
        let checkpoint = try ModelFile.load(model)
        let classifier = Classifier(checkpoint)
        let printer = PredictionPrinter(json: output.json, show: show, top: top)
        var failures = 0
        for input in try inputs(inputs: checkpoint.model.shape.inputs) {
            do {
                let pixels = try input.pixels()
                printer.print(name: input.name, index: input.index, pixels: pixels,
                              probabilities: classifier.probabilities(pixels), side: input.side)
            } catch {
                failures += 1
                Terminal.errorLine("error: \(error)")
                printer.printFailure(name: input.name, index: input.index, error: error)
            }
        }
        let total = images.count + index.count
        if failures > 0 && total > 1 {
            throw CLIError("\(failures) of \(total) inputs could not be classified")
        }
        if failures > 0 { throw ExitCode(ExitStatus.failure.rawValue) }  // its one error line is out already
    }

    /// The images named on the command line, each still to be read (so one bad file does not stop the rest).
    private func inputs(inputs: Int) throws(CLIError) -> [PredictInput] {
        if let idx {
            let file = try IDXImages.open(idx, modelInputs: inputs)
            return index.map { n in PredictInput(name: idx, index: n, side: file.cols) { () throws(CLIError) in try file.image(n) } }
        }
        let side = try digitSide(modelInputs: inputs)
        return images.map { path in
            PredictInput(name: path == "-" ? "<stdin>" : path, index: nil, side: side) { () throws(CLIError) in
                try pngDigit(path: path, side: side)
            }
        }
    }
}

/// One thing to classify and how to get its pixels (ink 255 on 0, side x side).
struct PredictInput {
    let name: String
    let index: Int?
    let side: Int
    let pixels: () throws(CLIError) -> [UInt8]
}

/// The side of the square images a model takes (28 for MNIST's 784 inputs).
func digitSide(modelInputs: Int) throws(CLIError) -> Int {
    let side = Int(Double(modelInputs).squareRoot().rounded())
    guard side * side == modelInputs, side >= 8 else {
        throw CLIError("this model takes \(modelInputs) inputs, not a square image, so it cannot classify PNGs", hint: "use --idx")
    }
    return side
}

/// Reads a PNG and brings it into MNIST's form (MNIST's 20x20 box in 28x28, scaled for other sides).
func pngDigit(path: String, side: Int) throws(CLIError) -> [UInt8] {
    let name = path == "-" ? "<stdin>" : path
    let bytes: [UInt8]
    do {
        bytes = path == "-" ? try readStandardInput() : try readFile(path, limit: 256 << 20)
    } catch {
        throw CLIError(error.description)
    }
    let image: RGBAImage
    do {
        image = try decodePNG(bytes)
    } catch {
        throw CLIError(file: name, "\(error)")
    }
    do {
        return try mnistDigit(from: image, side: side, box: (side * 20 + 14) / 28)
    } catch {
        throw CLIError(file: name, "\(error)")
    }
}
