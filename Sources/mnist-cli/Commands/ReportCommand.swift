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
        // Without data (none given, none where the model was trained), the page shows what the model
        // file alone holds; data that was named must be there.
        var evaluated: EvaluatedOnTestSplit?, missing = ""
        let attempt = Result { () throws(CLIError) in try EvaluatedOnTestSplit(model: model, dataOptions: dataOptions, threads: threads) }
        switch attempt {
        case .success(let done): evaluated = done
        case .failure(let failure):
            guard dataOptions.given == nil else { throw failure }
            missing = "\(failure.problem) (pass --data DIR for the accuracy, confusion matrix and mistakes)"
            Terminal.errorLine("warning: \(failure); the page shows the model file alone")
        }
        let checkpoint = try evaluated?.checkpoint ?? ModelFile.load(model)
        let side = try ModelPictures.imageSide(checkpoint, modelFile: model)
        var report = ReportPage(model: model, checkpoint: checkpoint, evaluated: evaluated, side: side,
                                templates: templates, mistakes: mistakes)
        report.missingData = missing
        let page = report.html
        let bytes = Array(page.utf8)
        do {
            try writeFileAtomically(output, bytes)
        } catch {
            throw CLIError(error.description)
        }
        let matrix = evaluated?.evaluation.result.confusion
        if format.json {
            print(JSON.object([("wrote", .string(output)), ("bytes", .integer(bytes.count)), ("model", .string(model)),
                               ("data", evaluated.map { .string($0.directory) } ?? .null),
                               ("accuracy", matrix.map { .number($0.accuracy) } ?? .null),
                               ("loss", evaluated.map { .number($0.evaluation.result.meanLoss) } ?? .null),
                               ("samples", matrix.map { .integer($0.total) } ?? .null),
                               ("mistakes", evaluated.map { .integer($0.evaluation.mistakes.count) } ?? .null),
                               ("warnings", .array((evaluated?.warnings ?? []).map { .string($0) }))]).text)
        } else {
            print("wrote \(output): \(bytes.count / 1024) KB, " + (matrix.map { "accuracy \(percent($0.accuracy))" } ?? "without data"))
        }
    }
}
