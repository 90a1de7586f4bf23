import ArgumentParser
import MLPCore
import MNISTData

struct DrawTemplates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Each hidden unit's incoming weights as a tile: what pattern the unit looks for.")

    @OptionGroup var picture: PictureOptions

    @Option(help: ArgumentHelp("Which hidden units, as numbers and ranges (0-63, 3,17,40-47); the default is all, or the first \(UnitSelection.defaultLimit) of a wider layer.",
                               valueName: "list"))
    var units: UnitSelection?

    func run() throws {
        let path = try picture.outputPath(default: "templates.png")
        let checkpoint = try ModelFile.load(picture.model)
        let side = try ModelPictures.imageSide(checkpoint, modelFile: picture.model)
        let hidden = checkpoint.model.shape.hidden
        let chosen = try UnitSelection.chosen(units, hidden: hidden, modelFile: picture.model)
        if units == nil && chosen.count < hidden {
            Terminal.errorLine("note: drawing units 0-\(chosen.count - 1) of \(hidden); choose others with --units")
        }
        let drawn = ModelPictures.hiddenTemplates(checkpoint.model, units: chosen, side: side).canvas
        try writePicture(drawn.encodedPNG(), to: path, "\(chosen.count) of \(hidden) hidden units, \(drawn.size)", json: picture.format.json)
    }
}

struct DrawClasses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes",
        abstract: "What each output class responds to through the hidden layer: W1·W2[:, class], one tile per class.",
        discussion: """
            The tile of class c is the sum of the hidden units' templates, each weighted by that unit's \
            weight to c: the gradient of c's score with respect to the input when every hidden unit is \
            in its linear range. Red pixels push towards c, blue ones against it.
            """)

    @OptionGroup var picture: PictureOptions

    func run() throws {
        let path = try picture.outputPath(default: "classes.png")
        let checkpoint = try ModelFile.load(picture.model)
        let side = try ModelPictures.imageSide(checkpoint, modelFile: picture.model)
        let drawn = ModelPictures.classTemplates(checkpoint.model, names: checkpoint.classLabels, side: side).canvas
        try writePicture(drawn.encodedPNG(), to: path, "\(checkpoint.model.shape.outputs) class templates, \(drawn.size)", json: picture.format.json)
    }
}

struct DrawMistakes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mistakes",
        abstract: "Misclassified test images, the most confident mistakes first, each under \"true→predicted\" and the confidence.")

    @OptionGroup var picture: PictureOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "How many mistakes to show at most.")
    var limit = 60

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000, got \(limit)") }
    }

    func run() throws {
        let path = try picture.outputPath(default: "mistakes.png")
        let evaluated = try EvaluatedOnTestSplit(model: picture.model, dataOptions: dataOptions, threads: Terminal.coreCount)
        let mistakes = evaluated.evaluation.mistakes
        guard !mistakes.isEmpty else {
            throw CLIError(file: picture.model, "makes no mistakes on the test split of \(evaluated.directory): nothing to draw")
        }
        let drawn = ModelPictures.mistakes(mistakes, data: evaluated.data, names: evaluated.checkpoint.classLabels, limit: limit).canvas
        try writePicture(drawn.encodedPNG(), to: path, "\(min(limit, mistakes.count)) of \(mistakes.count) mistakes, \(drawn.size)", json: picture.format.json)
    }
}

struct DrawConfusion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confusion",
        abstract: "The confusion matrix on the test split as a heat map (rows actual, columns predicted), with counts.")

    @OptionGroup var picture: PictureOptions
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        let path = try picture.outputPath(default: "confusion.png")
        let evaluated = try EvaluatedOnTestSplit(model: picture.model, dataOptions: dataOptions, threads: Terminal.coreCount)
        let matrix = evaluated.evaluation.result.confusion
        let drawn = ModelPictures.confusion(matrix, names: evaluated.checkpoint.classLabels)
        let rows = (0..<matrix.classes).map { r in JSON.array((0..<matrix.classes).map { .integer(matrix.count(actual: r, predicted: $0)) }) }
        try writePicture(drawn.encodedPNG(), to: path, "accuracy \(percent(matrix.accuracy)), \(drawn.size)", json: picture.format.json,
                         details: [("accuracy", .number(matrix.accuracy)), ("confusion", .array(rows))])
    }
}

struct DrawCurves: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curves",
        abstract: "Training loss and accuracy per epoch, from the history the model file keeps, as SVG.")

    @OptionGroup var picture: PictureOptions

    func run() throws {
        let path = try picture.outputPath(default: "curves.svg")
        let checkpoint = try ModelFile.load(picture.model)
        let history = checkpoint.history
        guard let svg = ModelPictures.curves(history, standalone: true) else {
            throw CLIError(file: picture.model, "keeps no per-epoch history", hint: "it was trained before mnist-cli kept one; retrain it")
        }
        try writePicture(Array(svg.utf8), to: path, "\(history.count) epoch\(history.count == 1 ? "" : "s")", json: picture.format.json)
    }
}
