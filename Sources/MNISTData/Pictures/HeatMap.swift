#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the cells of a confusion heat map go: a title line, column numbers (predicted class)
/// over the grid, row labels (actual class, number and name) to its left.
public struct HeatMapLayout: Sendable, Equatable {
    let classes: Int
    let cellSize: Int
    let left: Int
    let top: Int
    static let margin = 6
    static let title = "ROWS: ACTUAL, COLUMNS: PREDICTED"

    init(classes: Int, rowLabels: [String], largestCount: Int) {
        self.classes = classes
        cellSize = max(26, BitmapFont.width(of: String(largestCount)) + 8)
        left = Self.margin + (rowLabels.map { BitmapFont.width(of: $0) }.max() ?? 0) + 6
        top = Self.margin + 2 * BitmapFont.lineHeight + 4
    }

    func cellOrigin(row: Int, column: Int) -> (x: Int, y: Int) {
        (left + column * cellSize, top + row * cellSize)
    }

    var width: Int { max(left + classes * cellSize, 2 * Self.margin + BitmapFont.width(of: Self.title)) + Self.margin }
    var height: Int { top + classes * cellSize + Self.margin }
}

/// A confusion matrix (`counts` is (actual, predicted) row-major, `classes` x `classes`) as a
/// heat map with each count written in its cell. The colour is `heatColour` of
/// log(1 + count) / log(1 + largest count): the diagonal holds hundreds where mistakes are a
/// handful, and on a linear scale every mistake would be white. Monotone in the count either way.
/// Zero cells stay white and blank, so the mistakes stand out.
public func confusionHeatMapPicture(counts: [Int], classes: Int, rowLabels: [String]) -> (canvas: PictureCanvas, layout: HeatMapLayout) {
    precondition(counts.count == classes * classes && rowLabels.count == classes, "confusionHeatMapPicture: sizes")
    let largest = counts.max() ?? 0
    let layout = HeatMapLayout(classes: classes, rowLabels: rowLabels, largestCount: largest)
    var canvas = PictureCanvas(width: layout.width, height: layout.height)
    canvas.draw(HeatMapLayout.title, x: HeatMapLayout.margin, y: HeatMapLayout.margin)
    let textTop = (layout.cellSize - BitmapFont.glyphHeight) / 2
    for k in 0..<classes {
        let column = layout.cellOrigin(row: 0, column: k), row = layout.cellOrigin(row: k, column: 0)
        let number = String(k)
        canvas.draw(number, x: column.x + (layout.cellSize - BitmapFont.width(of: number)) / 2,
                    y: layout.top - BitmapFont.lineHeight - 2)
        canvas.draw(rowLabels[k], x: layout.left - 6 - BitmapFont.width(of: rowLabels[k]), y: row.y + textTop)
    }
    let grid = RGBColour(220, 220, 220)
    for row in 0..<classes {
        for column in 0..<classes {
            let count = counts[row * classes + column], origin = layout.cellOrigin(row: row, column: column)
            let t = largest > 0 ? Float(log1p(Double(count)) / log1p(Double(largest))) : 0
            canvas.fill(x: origin.x, y: origin.y, width: layout.cellSize, height: layout.cellSize, with: grid)
            canvas.fill(x: origin.x + 1, y: origin.y + 1, width: layout.cellSize - 1, height: layout.cellSize - 1,
                        with: heatColour(t))
            guard count > 0 else { continue }
            let text = String(count)
            canvas.draw(text, x: origin.x + 1 + (layout.cellSize - BitmapFont.width(of: text)) / 2, y: origin.y + 1 + textTop,
                        colour: t > 0.55 ? .white : .black)
        }
    }
    return (canvas, layout)
}
