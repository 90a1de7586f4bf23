import ArgumentParser
import MLPCore
import MNISTData

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what a model file holds: network, training settings, data it was trained on, classes and history.",
        discussion: "Reads the model file only: no data is needed.")

    @Argument(help: ArgumentHelp("The model file written by `mnist-cli train`.", valueName: "model"),
              completion: .file(extensions: ["bin"]))
    var model: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let checkpoint = try ModelFile.load(model)
        let form = try ModelFile.inputForm(of: checkpoint, file: model)
        if output.json { print(json(checkpoint, form: form).text) } else { printText(checkpoint, form: form) }
    }

    private func printText(_ checkpoint: Checkpoint, form: InputForm) {
        let rows = ReportPage.settings(checkpoint, model: model) + [["input form", ModelFile.inputFormSummary(form, of: checkpoint)]]
        let width = (rows.map { $0[0].count }.max() ?? 0) + 2
        for row in rows { print(leftAligned(row[0] + ":", width) + row[1]) }
        let history = checkpoint.history
        guard !history.isEmpty else { return print("history: not kept (a model file from before mnist-cli kept one)") }
        let validated = history.contains { $0.validationAccuracy != nil }
        print("")
        print(padded("epoch", 6) + padded("loss", 9) + padded("train", 9) + padded(validated ? "validation" : "test", 11))
        for r in history {
            let held = (validated ? r.validationAccuracy : r.testAccuracy).map { percent($0) } ?? "—"
            print(padded(String(r.epoch), 6) + padded(fixed(r.loss, 4), 9) + padded(percent(r.trainAccuracy), 9) + padded(held, 11))
        }
    }

    private func json(_ checkpoint: Checkpoint, form: InputForm) -> JSON {
        let state = checkpoint.state, m = state.settings, sgd = m.sgd, shape = checkpoint.model.shape
        func optional(_ value: Double?) -> JSON { value.map { .number($0) } ?? .null }
        let network: [(String, JSON)] = [
            ("model", .string(model)),
            ("shape", .object([("inputs", .integer(shape.inputs)), ("hidden", .integer(shape.hidden)), ("outputs", .integer(shape.outputs))])),
            ("activation", .string(checkpoint.model.activation.rawValue)), ("loss", .string(m.loss.rawValue)),
        ]
        let training: [(String, JSON)] = [
            ("epochs", .integer(state.position.epochsCompleted)), ("batches_into_epoch", .integer(state.position.batchesIntoEpoch)),
            ("seed", .string(String(m.seed))), ("batch_size", .integer(m.batchSize)),
            ("optimiser", .string(OptimiserName(of: checkpoint).rawValue)),
            ("learning_rate", .number(decimalDouble(sgd.learningRate))), ("momentum", .number(decimalDouble(sgd.momentum))), ("nesterov", .bool(sgd.nesterov)),
            ("weight_decay", .number(decimalDouble(sgd.weightDecay))), ("average_decay", .number(decimalDouble(m.averageDecay))),
            ("dropout", .number(decimalDouble(checkpoint.dropoutRate ?? 0))),
            ("schedule", .string(ScheduleOption(shape: m.schedule.shape).description)), ("warmup_epochs", .integer(m.schedule.warmupEpochs)),
            ("best_epoch", state.best.map { .integer($0.epoch) } ?? .null),
            ("test_accuracy", optional(state.testAccuracy.map(decimalDouble))),
        ]
        return .object(network + training + [
            ("standardised", .bool(!checkpoint.normalisation.isUnitRange)),
            ("trained_on", checkpoint.provenance?.json ?? .null),
            ("dataset", checkpoint.datasetName.map { .string($0) } ?? .null), ("input_form", .string(form.rawValue)),
            ("class_names", checkpoint.classNames.map { .array($0.map { .string($0) }) } ?? .null),
            ("history", .array(checkpoint.history.map { r in .object([
                ("epoch", .integer(r.epoch)), ("loss", .number(r.loss)), ("train_accuracy", .number(r.trainAccuracy)),
                ("validation_accuracy", optional(r.validationAccuracy)), ("test_accuracy", optional(r.testAccuracy)),
                ("learning_rate", .number(r.learningRate)), ("dead_unit_fraction", optional(r.deadUnitFraction)),
            ]) })),
        ])
    }
}

extension DataProvenance {
    /// The "trained_on" object of `info --json` and `eval --json`.
    var json: JSON {
        .object([
            ("folder", .string(folder)), ("absolute_folder", absoluteFolder.map { .string($0) } ?? .null),
            ("train_images", .integer(train.images)), ("test_images", .integer(test.images)),
            ("train_checksum", .string(hex(train.checksum))), ("test_checksum", .string(hex(test.checksum))),
        ])
    }
}
