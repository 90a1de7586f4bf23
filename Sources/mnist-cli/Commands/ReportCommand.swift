import ArgumentParser
import MLPCore
import MNISTData

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a model: settings, curves, confusion, templates, mistakes.",
        discussion: """
            The page needs nothing else to be read, offline, in any browser: pictures are inside it \
            (PNG as data: URIs, charts as inline SVG) and it loads no scripts, fonts or styles. For a \
            reference model it is about 330 KB.
            """)

    @Argument(help: ArgumentHelp("The model file written by `mnist-cli train`.", valueName: "model"),
              completion: .file(extensions: ["bin"]))
    var model: String

    @OptionGroup var dataOptions: DataOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the page (replaced atomically).", valueName: "file"))
    var output = "report.html"

    @Option(help: ArgumentHelp("How many hidden units' templates to show (the first ones).", valueName: "count"))
    var templates = 64

    @Option(help: ArgumentHelp("How many mistakes to show, the most confident first.", valueName: "count"))
    var mistakes = 48

    @Option(parsing: .unconditional, help: "Worker threads; the default is the number of cores.")
    var threads: Int = Terminal.coreCount

    @OptionGroup var format: OutputOptions

    func validate() throws {
        // A slip like `--output model.bin` would replace the model with a page.
        guard hasExtension(output, ["html", "htm"]) else {
            throw ValidationError("--output \(output): the report is HTML; give a file name ending in .html")
        }
        guard (1...4096).contains(templates) else { throw ValidationError("--templates must be between 1 and 4096, got \(templates)") }
        guard (0...1000).contains(mistakes) else { throw ValidationError("--mistakes must be between 0 and 1000, got \(mistakes)") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    func run() throws {
        let evaluated = try EvaluatedOnTestSplit(model: model, dataOptions: dataOptions, threads: threads)
        let side = try ModelPictures.imageSide(evaluated.checkpoint, modelFile: model)
        let page = ReportPage(model: model, directory: evaluated.directory, evaluated: evaluated, side: side,
                              templates: templates, mistakes: mistakes).html
        let bytes = Array(page.utf8)
        do {
            try writeFileAtomically(output, bytes)
        } catch {
            throw CLIError(error.description)
        }
        let matrix = evaluated.evaluation.result.confusion
        if format.json {
            print(JSON.object([("wrote", .string(output)), ("bytes", .integer(bytes.count)), ("model", .string(model)),
                               ("data", .string(evaluated.directory)), ("accuracy", .number(matrix.accuracy)),
                               ("loss", .number(evaluated.evaluation.result.meanLoss)), ("samples", .integer(matrix.total)),
                               ("mistakes", .integer(evaluated.evaluation.mistakes.count)),
                               ("warnings", .array(evaluated.warnings.map { .string($0) }))]).text)
        } else {
            print("wrote \(output): \(bytes.count / 1024) KB, accuracy \(percent(matrix.accuracy))")
        }
    }
}
