import ArgumentParser
import MLPCore
import MNISTData

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a saved model: accuracy, mean loss, confusion matrix and per-class accuracy.",
        discussion: """
            For CI scripts: --min-accuracy 0.97 exits with status 2 when the accuracy is below 97%.
            """)

    @Argument(help: ArgumentHelp("The model file written by `mnist-cli train`.", valueName: "model"),
              completion: .file(extensions: ["bin"]))
    var model: String

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Which split to measure: train or test.")
    var split: Split = .test

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Exit with status 2 when the accuracy (0 to 1) is below this.", valueName: "fraction"))
    var minAccuracy: Double?

    @Option(name: .customLong("top-k"), parsing: .unconditional,
            help: ArgumentHelp("Also count a sample right when its class is among the K most probable (1 and 5 are always shown).", valueName: "K"))
    var topK: Int?

    @Option(parsing: .unconditional, help: "Worker threads; the default is the number of cores.")
    var threads: Int = Terminal.coreCount

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let minAccuracy, !(0...1).contains(minAccuracy) {
            throw ValidationError("--min-accuracy is a fraction between 0 and 1 (0.97 for 97%), got \(minAccuracy)")
        }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1, got \(topK)") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    func run() throws {
        let loaded = try ModelOnSplit(model: model, split: split, dataOptions: dataOptions)
        let (checkpoint, data, warnings, directory) = (loaded.checkpoint, loaded.data, loaded.warnings, loaded.directory)
        let form = try ModelFile.inputForm(of: checkpoint, file: model)
        let ks = Array(Set([1, 5, topK ?? 1].map { min($0, checkpoint.model.shape.outputs) })).sorted()
        var inTopK = [Int](repeating: 0, count: ks.count)
        let result = evaluate(checkpoint, on: data, threads: threads) { _, label, p in
            for (i, k) in ks.enumerated() where isInTopK(p, label: label, k: k) { inTopK[i] += 1 }
        }
        let topKAccuracy = zip(ks, inTopK).map { ($0, data.count == 0 ? Double.nan : Double($1) / Double(data.count)) }
        if output.json {
            printJSON(result, samples: data.count, checkpoint: checkpoint, form: form, warnings: warnings, topK: topKAccuracy)
        } else {
            printText(result, checkpoint: checkpoint, form: form, samples: data.count, directory: directory)
            printScores(result.confusion, checkpoint: checkpoint, topK: topKAccuracy)
        }
        if let minAccuracy, result.confusion.accuracy < minAccuracy {
            throw CLIError(file: model, "accuracy \(percent(result.confusion.accuracy)) is below --min-accuracy \(percent(minAccuracy))",
                           status: .belowMinimum)
        }
    }

    private func printJSON(_ result: EvaluationResult, samples: Int, checkpoint: Checkpoint, form: InputForm, warnings: [String],
                           topK: [(Int, Double)]) {
        let (provenance, names) = (checkpoint.provenance, checkpoint.classNames)
        let c = result.confusion
        let rows = (0..<c.classes).map { r in JSON.array((0..<c.classes).map { .integer(c.counts[r * c.classes + $0]) }) }
        print(JSON.object([
            ("model", .string(model)), ("split", .string(split.rawValue)),
            ("accuracy", .number(c.accuracy)), ("loss", .number(result.meanLoss)),
            ("samples", .integer(samples)), ("correct", .integer(c.correct)),
            ("confusion", .array(rows)), ("per_class_accuracy", .numbers(c.perClassAccuracy)),
            ("per_class", .array(c.classScores.map(\.json))),
            ("macro_average", c.averageScores.macro.json), ("weighted_average", c.averageScores.weighted.json),
            ("top_k_accuracy", .object(topK.map { (String($0.0), .number($0.1)) })),
            ("class_names", names.map { .array($0.map { .string($0) }) } ?? .null),
            ("trained_on", provenance?.json ?? .null),
            ("input_form", .string(form.rawValue)), ("dataset", checkpoint.datasetName.map { .string($0) } ?? .null),
            ("warnings", .array(warnings.map { .string($0) })),
        ]).text)
    }

    private func printText(_ result: EvaluationResult, checkpoint: Checkpoint, form: InputForm, samples: Int, directory: String) {
        let c = result.confusion
        print("\(model): \(ModelFile.summary(checkpoint))")
        print("trained on \(checkpoint.provenance?.summary ?? "data not recorded (a model file from before mnist-cli 0.2)")")
        print("input form: \(ModelFile.inputFormSummary(form, of: checkpoint))")
        print("\(split.rawValue) split of \(directory): \(samples) samples")
        print("accuracy \(percent(c.accuracy)) (\(c.correct)/\(c.total))  mean loss \(fixed(result.meanLoss, 4))")
        print("")
        print("confusion matrix (rows: actual, columns: predicted)")
        let width = max(5, String(c.counts.max() ?? 0).count + 1)
        // Row labels: "3", or "3 Dress" when the model has names, so a reader of a non-digit
        // dataset need not look up what class 3 was.
        let labels = (0..<c.classes).map { checkpoint.label($0) }
        let labelWidth = max(5, (labels.map(\.count).max() ?? 0) + 1)
        var header = String(repeating: " ", count: labelWidth + 1)
        for p in 0..<c.classes { header += padded(String(p), width) }
        print(header + "   " + padded("accuracy", 10))
        for a in 0..<c.classes {
            let label = checkpoint.classNames == nil ? padded(labels[a], labelWidth)
                : leftAligned(labels[a], labelWidth)
            var line = label + " "
            for p in 0..<c.classes { line += padded(String(c.counts[a * c.classes + p]), width) }
            let accuracy = c.perClassAccuracy[a]
            print(line + "   " + padded(accuracy.isNaN ? "no samples" : percent(accuracy), 10))
        }
    }
}

extension EvalCommand {
    /// Precision, recall and F1 per class and averaged, then the top-k accuracies.
    private func printScores(_ c: ConfusionMatrix, checkpoint: Checkpoint, topK: [(Int, Double)]) {
        let labels = (0..<c.classes).map { checkpoint.label($0) } + ["macro avg", "weighted avg"]
        let labelWidth = max(12, (labels.map(\.count).max() ?? 0) + 1)
        let (macro, weighted) = c.averageScores
        print("")
        print(leftAligned("", labelWidth) + padded("precision", 11) + padded("recall", 9) + padded("F1", 9) + padded("samples", 9))
        for (label, s) in zip(labels, c.classScores + [macro, weighted]) {
            func score(_ x: Double) -> String { x.isNaN ? "—" : fixed(x, 4) }
            print(leftAligned(label, labelWidth) + padded(score(s.precision), 11) + padded(score(s.recall), 9)
                  + padded(score(s.f1), 9) + padded(String(s.support), 9))
        }
        print("")
        print("top-k accuracy: " + topK.map { "top-\($0.0) \(percent($0.1))" }.joined(separator: "  "))
    }
}

extension ClassScores {
    var json: JSON {
        .object([("precision", .number(precision)), ("recall", .number(recall)), ("f1", .number(f1)), ("support", .integer(support))])
    }
}

extension Split: ExpressibleByArgument {}
