/// The loss (left) and the accuracies (right) per epoch, side by side in one SVG. The loss axis
/// starts at 0; the accuracy axis runs from the lowest accuracy, rounded down to 5%, to 100%, so
/// the last few tenths of a percent stay visible. `label` prints a tick value (the caller's
/// number formatting; `percent` is true on the accuracy axis).
public func learningCurvesSVG(loss: [Double?], accuracies: [ChartSeries], standalone: Bool,
                              label: (_ value: Double, _ percent: Bool) -> String) -> String {
    let largestLoss = loss.compactMap { $0 }.filter(\.isFinite).max() ?? 1
    let lossTop = ticks(0, largestLoss * 1.05, about: 5).last.map { $0 < largestLoss ? largestLoss * 1.05 : $0 } ?? 1
    let lowest = accuracies.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite).min() ?? 0
    let accuracyBottom = max(0, min(0.95, (lowest * 20).rounded(.down) / 20))
    let panel = 420
    let body = lineChartSVG(title: "loss", series: [ChartSeries(name: "training loss", values: loss, colour: RGBColour(214, 39, 40))],
                            yRange: 0...max(lossTop, 1e-9), yTickLabel: { label($0, false) }, width: panel)
        + lineChartSVG(title: "accuracy", series: accuracies, yRange: accuracyBottom...1,
                       yTickLabel: { label($0, true) }, width: panel, x: panel)
    return svgDocument(width: 2 * panel, height: 260, body: body, standalone: standalone)
}

/// Colours for the accuracy lines, in the order train, validation, test.
public let curveColours = [RGBColour(31, 119, 180), RGBColour(255, 127, 14), RGBColour(44, 160, 44)]
