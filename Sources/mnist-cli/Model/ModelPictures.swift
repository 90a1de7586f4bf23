import MLPCore
import MNISTData

/// The pictures `draw` writes and `report` shows, made from a checkpoint (and its evaluation on a
/// test split): one function each, so both commands draw exactly the same thing.
enum ModelPictures {
    /// The side of the square images `checkpoint` reads: 28 for 784 inputs.
    static func imageSide(_ checkpoint: Checkpoint, modelFile: String) throws(CLIError) -> Int {
        let inputs = checkpoint.model.shape.inputs
        guard let side = squareImageSide(inputs: inputs) else {
            throw CLIError(file: modelFile, "its \(inputs) inputs are not a square image, so its weights cannot be drawn as pictures")
        }
        return side
    }

    /// Each chosen hidden unit's incoming weights as a tile, numbered.
    static func hiddenTemplates(_ model: MLP, units: [Int], side: Int) -> TilePicture {
        weightTilesPicture(units.map(model.incomingWeights(ofHiddenUnit:)), imageWidth: side, imageHeight: side,
                           captions: units.map { [String($0)] })
    }

    /// Each output class's template (`MLP.classTemplate`), named, five to a row.
    static func classTemplates(_ model: MLP, names: [String], side: Int) -> TilePicture {
        weightTilesPicture((0..<model.shape.outputs).map(model.classTemplate), imageWidth: side, imageHeight: side,
                           captions: names.map { [$0] }, scale: 3, columns: min(5, names.count))
    }

    /// The first `limit` of `mistakes` (most confident first), each captioned "true→predicted"
    /// and the confidence; names too long for one line under the tile take two ("Ankle boot",
    /// "→Sneaker"), so the grid stays narrow.
    static func mistakes(_ mistakes: [Mistake], data: LabeledImages, names: [String], limit: Int) -> TilePicture {
        let shown = Array(mistakes.prefix(limit))
        let pixels = data.pixelsPerImage, scale = 2
        func caption(_ m: Mistake) -> [String] {
            let together = "\(names[m.label])→\(names[m.predicted])", confidence = percent(Double(m.confidence), 0)
            return BitmapFont.width(of: together) <= data.cols * scale
                ? [together, confidence] : [names[m.label], "→" + names[m.predicted], confidence]
        }
        return imageTilesPicture(shown.map { Array(data.images[($0.index * pixels)..<(($0.index + 1) * pixels)]) },
                                 imageWidth: data.cols, imageHeight: data.rows, captions: shown.map(caption), scale: scale,
                                 columns: min(max(shown.count, 1), 12))
    }

    /// The confusion matrix as a heat map, rows labelled with class names.
    static func confusion(_ matrix: ConfusionMatrix, names: [String]) -> PictureCanvas {
        let labels = names.enumerated().map { $0.element == String($0.offset) ? $0.element : "\($0.offset) \($0.element)" }
        return confusionHeatMapPicture(counts: matrix.counts, classes: matrix.classes, rowLabels: labels).canvas
    }

    /// Loss and accuracies per epoch as SVG; nil when the checkpoint has no history.
    static func curves(_ history: [EpochRecord], standalone: Bool) -> String? {
        guard !history.isEmpty else { return nil }
        var accuracies = [ChartSeries(name: "train", values: history.map(\.trainAccuracy), colour: curveColours[0])]
        if history.contains(where: { $0.validationAccuracy != nil }) {
            accuracies.append(ChartSeries(name: "validation", values: history.map(\.validationAccuracy), colour: curveColours[1]))
        }
        if history.contains(where: { $0.testAccuracy != nil }) {
            accuracies.append(ChartSeries(name: "test", values: history.map(\.testAccuracy), colour: curveColours[2]))
        }
        return learningCurvesSVG(loss: history.map(\.loss), accuracies: accuracies, standalone: standalone) { value, isPercent in
            isPercent ? percent(value, 0) : fixed(value, 2)
        }
    }
}
