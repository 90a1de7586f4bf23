import MLPCore
import MNISTData

/// The page `report` writes, section by section. Every text from a file (paths, names, settings)
/// goes through `HTMLPage`, which escapes it.
struct ReportPage {
    let model: String
    let checkpoint: Checkpoint
    /// nil when the data was not found: the page then shows what the model file alone holds.
    let evaluated: EvaluatedOnTestSplit?
    /// Why there is no evaluation, said where it would be.
    var missingData = ""
    let side: Int
    /// How many hidden units' templates to show, the first ones.
    let templates: Int
    let mistakes: Int

    var html: String {
        let names = checkpoint.classLabels
        var page = HTMLPage(title: "mnist-cli report: \(model)")
        for warning in evaluated?.warnings ?? [] { page.paragraph("warning: \(warning)") }

        page.heading("Model and training")
        page.table(header: [], rows: Self.settings(checkpoint, model: model))

        page.heading("Test accuracy")
        if let evaluated {
            let result = evaluated.evaluation.result, matrix = result.confusion
            page.paragraph("Test split of \(evaluated.directory): \(matrix.total) images, accuracy \(percent(matrix.accuracy)) "
                           + "(\(matrix.correct) right, \(matrix.total - matrix.correct) wrong), mean loss \(fixed(result.meanLoss, 4)).")
            let heatMap = ModelPictures.confusion(matrix, names: names)
            page.sideBySide { page in
                // Its 5x7 font is small on a screen; at twice the size, drawn pixelated, it stays crisp.
                page.image(png: heatMap.encodedPNG(), width: 2 * heatMap.width, height: 2 * heatMap.height,
                           alt: "confusion matrix: rows are the actual classes, columns the predicted ones")
                page.table(header: ["class", "images", "right", "accuracy", "most often taken for"],
                           rows: (0..<matrix.classes).map { perClassRow($0, matrix, names) }, className: "numbers")
            }
        } else {
            page.paragraph("Not measured: \(missingData).")
        }

        page.heading("Learning curves")
        if let svg = ModelPictures.curves(checkpoint.history, standalone: false) {
            page.svg(svg)
            historyTable(checkpoint.history, into: &page)
        } else {
            page.paragraph("This model file keeps no per-epoch history (it was trained before mnist-cli kept one).")
        }

        let hidden = checkpoint.model.shape.hidden, shown = min(templates, hidden)
        page.heading("Hidden-unit templates")
        page.paragraph("Each tile is one hidden unit's \(checkpoint.model.shape.inputs) incoming weights laid out as the "
                       + "\(side)x\(side) image they read: red where a bright pixel excites the unit, blue where it "
                       + "inhibits it, white near zero; each tile scaled by its own largest weight. "
                       + (shown < hidden ? "Units 0-\(shown - 1) of \(hidden)." : "All \(hidden) units."))
        let tiles = ModelPictures.hiddenTemplates(checkpoint.model, units: Array(0..<shown), side: side).canvas
        page.image(png: tiles.encodedPNG(), width: tiles.width, height: tiles.height, alt: "hidden-unit templates")

        page.heading("Class templates")
        page.paragraph("What each class responds to through the hidden layer: W1·W2[:, class], the hidden units' "
                       + "templates weighted by their votes for the class (the gradient of its score when every unit is active).")
        let classes = ModelPictures.classTemplates(checkpoint.model, names: names, side: side).canvas
        page.image(png: classes.encodedPNG(), width: classes.width, height: classes.height, alt: "class templates")

        page.heading("Mistakes")
        guard let evaluated else {
            page.paragraph("Not shown: \(missingData).")
            page.paragraph("Written by mnist-cli \(MNISTCLI.configuration.version).")
            return page.html
        }
        let wrong = evaluated.evaluation.mistakes
        if wrong.isEmpty || mistakes == 0 {
            page.paragraph(wrong.isEmpty ? "None: every test image is classified correctly." : "\(wrong.count) mistakes (none shown).")
        } else {
            page.paragraph("The \(min(mistakes, wrong.count)) most confident of \(wrong.count) mistakes, "
                           + "each under true→predicted and the probability the model gave its answer.")
            let grid = ModelPictures.mistakes(wrong, data: evaluated.data, names: names, limit: mistakes).canvas
            page.image(png: grid.encodedPNG(), width: grid.width, height: grid.height, alt: "misclassified test images")
        }
        page.paragraph("Written by mnist-cli \(MNISTCLI.configuration.version).")
        return page.html
    }

    /// The settings a checkpoint records, as (name, value) rows (the report's table, `info`'s text).
    static func settings(_ checkpoint: Checkpoint, model: String) -> [[String]] {
        let m = checkpoint.state.settings, position = checkpoint.state.position, sgd = m.sgd
        let optimiser = checkpoint.adam.map(\.config.summary) ?? "SGD", dropout = checkpoint.dropoutRate.map { "\($0)" } ?? "none"
        var rows: [[String]] = [
            ["model file", model],
            ["network", "\(checkpoint.model.shape) \(checkpoint.model.activationSummary), \(m.loss.rawValue) loss"],
            ["classes", checkpoint.classNames?.joined(separator: ", ") ?? "digits 0-\(checkpoint.model.shape.outputs - 1)"],
            ["trained", "\(position.epochsCompleted) epoch\(position.epochsCompleted == 1 ? "" : "s")"
                + (position.batchesIntoEpoch > 0 ? " and \(position.batchesIntoEpoch) batches (stopped mid-epoch)" : "")],
            ["trained on", checkpoint.provenance?.summary ?? "not recorded"],
            ["data folder", checkpoint.provenance?.absoluteFolder ?? "not recorded"],
            ["dataset", checkpoint.datasetName ?? "not recognised"],
            ["input normalisation", checkpoint.normalisation.isUnitRange ? "pixels / 255" : "per-pixel standardisation"],
            ["batch size", String(m.batchSize)],
            ["learning rate", "\(sgd.learningRate), schedule \(ScheduleOption(shape: m.schedule.shape).description)"
                + (m.schedule.warmupEpochs > 0 ? ", \(m.schedule.warmupEpochs) warm-up epochs" : "")],
            ["optimiser", optimiser],
            ["momentum", sgd.momentum == 0 ? "none" : "\(sgd.momentum)\(sgd.nesterov ? " (Nesterov)" : "")"],
            ["weight decay", sgd.weightDecay == 0 ? "none" : "\(sgd.weightDecay)"],
            ["weight averaging", m.averageDecay == 0 ? "none" : "β = \(m.averageDecay)"],
            ["dropout", dropout],
            ["seed", String(m.seed)],
        ]
        if let best = checkpoint.state.best {
            rows.append(["kept epoch", "\(best.epoch) (validation accuracy \(percent(Double(best.accuracy))))"])
        }
        if let loss = checkpoint.state.trainLoss { rows.append(["last epoch's training loss", fixed(Double(loss), 4)]) }
        return rows
    }

    /// Every epoch's figures: validation or test accuracy, whichever was measured, and the dead
    /// units where the activation can die.
    private func historyTable(_ history: [EpochRecord], into page: inout HTMLPage) {
        let validated = history.contains { $0.validationAccuracy != nil }, showsDead = history.contains { $0.deadUnitFraction != nil }
        let header = ["epoch", "loss", "train", validated ? "validation" : "test", "learning rate"] + (showsDead ? ["dead units"] : [])
        let rows = history.map { r in
            [String(r.epoch), fixed(r.loss, 4), percent(r.trainAccuracy),
             (validated ? r.validationAccuracy : r.testAccuracy).map { percent($0) } ?? "—", String(Float(r.learningRate))]
                + (showsDead ? [r.deadUnitFraction.map { percent($0, 1) } ?? "—"] : [])
        }
        page.table(header: header, rows: rows, className: "numbers")
    }

    /// One class's line: name, images, right, accuracy, and the class it is most often mistaken for.
    private func perClassRow(_ k: Int, _ matrix: ConfusionMatrix, _ names: [String]) -> [String] {
        let images = (0..<matrix.classes).reduce(0) { $0 + matrix.count(actual: k, predicted: $1) }
        let right = matrix.count(actual: k, predicted: k)
        let other = (0..<matrix.classes).filter { $0 != k }.max { matrix.count(actual: k, predicted: $0) < matrix.count(actual: k, predicted: $1) }
        let confused = other.map { matrix.count(actual: k, predicted: $0) } ?? 0
        return [names[k], String(images), String(right), images == 0 ? "no images" : percent(Double(right) / Double(images)),
                other.flatMap { confused > 0 ? "\(names[$0]) (\(confused))" : nil } ?? "—"]
    }
}
