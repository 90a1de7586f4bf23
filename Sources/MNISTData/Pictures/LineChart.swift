#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of a chart: a value per epoch (index 0 is epoch 1), nil where it was not measured.
public struct ChartSeries: Sendable, Equatable {
    var name: String
    var values: [Double?]
    var colour: RGBColour

    public init(name: String, values: [Double?], colour: RGBColour) {
        self.name = name
        self.values = values
        self.colour = colour
    }
}

/// A line chart over epochs as an SVG group (`<g>`), `width` x `height` at (x, y): axes with
/// ticks, one `<polyline class="series">` per unbroken run of each series and a dot per point
/// (so a one-epoch history still shows), a legend underneath. Values outside `yRange` are drawn
/// at its edge. Every text is escaped.
func lineChartSVG(title: String, series: [ChartSeries], yRange: ClosedRange<Double>,
                         yTickLabel: (Double) -> String, width: Int = 420, height: Int = 260,
                         x: Int = 0, y: Int = 0) -> String {
    let plotLeft = 56.0, plotTop = 28.0, plotRight = Double(width) - 14, plotBottom = Double(height) - 52
    let epochs = series.map(\.values.count).max() ?? 0
    func px(_ epoch: Int) -> Double {
        epochs <= 1 ? (plotLeft + plotRight) / 2 : plotLeft + Double(epoch - 1) / Double(epochs - 1) * (plotRight - plotLeft)
    }
    func py(_ value: Double) -> Double {
        let span = yRange.upperBound - yRange.lowerBound
        let t = span > 0 ? (value - yRange.lowerBound) / span : 0.5
        return plotBottom - min(max(t, 0), 1) * (plotBottom - plotTop)
    }
    var svg = "<g transform=\"translate(\(x),\(y))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    svg += "<text x=\"\(coordinate(plotLeft))\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(markupEscaped(title))</text>\n"
    for tick in ticks(yRange.lowerBound, yRange.upperBound, about: 5) {
        let ty = coordinate(py(tick))
        svg += "<line x1=\"\(coordinate(plotLeft))\" y1=\"\(ty)\" x2=\"\(coordinate(plotRight))\" y2=\"\(ty)\" stroke=\"#e4e4e4\"/>"
        svg += "<text x=\"\(coordinate(plotLeft - 6))\" y=\"\(coordinate(py(tick) + 4))\" text-anchor=\"end\">\(markupEscaped(yTickLabel(tick)))</text>\n"
    }
    for tick in ticks(1, Double(max(epochs, 1)), about: 8).filter({ $0 == $0.rounded() }) {
        let tx = coordinate(px(Int(tick)))
        svg += "<line x1=\"\(tx)\" y1=\"\(coordinate(plotBottom))\" x2=\"\(tx)\" y2=\"\(coordinate(plotBottom + 4))\" stroke=\"#444\"/>"
        svg += "<text x=\"\(tx)\" y=\"\(coordinate(plotBottom + 16))\" text-anchor=\"middle\">\(Int(tick))</text>\n"
    }
    svg += "<polyline fill=\"none\" stroke=\"#444\" points=\"\(coordinate(plotLeft)),\(coordinate(plotTop)) "
        + "\(coordinate(plotLeft)),\(coordinate(plotBottom)) \(coordinate(plotRight)),\(coordinate(plotBottom))\"/>\n"
    svg += "<text x=\"\(coordinate((plotLeft + plotRight) / 2))\" y=\"\(coordinate(plotBottom + 30))\" text-anchor=\"middle\">epoch</text>\n"
    for s in series {
        let name = markupEscaped(s.name), colour = s.colour.hex
        var run: [String] = []
        func closeRun() {
            if run.count > 1 {
                svg += "<polyline class=\"series\" data-name=\"\(name)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>\n"
            }
            run = []
        }
        for (i, value) in s.values.enumerated() {
            guard let value, value.isFinite else { closeRun(); continue }
            let point = "\(coordinate(px(i + 1))),\(coordinate(py(value)))"
            run.append(point)
            svg += "<circle class=\"point\" data-name=\"\(name)\" cx=\"\(coordinate(px(i + 1)))\" cy=\"\(coordinate(py(value)))\" r=\"2.5\" fill=\"\(colour)\"/>"
        }
        closeRun()
    }
    var legendX = plotLeft
    for s in series {
        let ly = coordinate(Double(height) - 8)
        svg += "<line x1=\"\(coordinate(legendX))\" y1=\"\(coordinate(Double(height) - 12))\" x2=\"\(coordinate(legendX + 16))\" y2=\"\(coordinate(Double(height) - 12))\" stroke=\"\(s.colour.hex)\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(coordinate(legendX + 20))\" y=\"\(ly)\">\(markupEscaped(s.name))</text>\n"
        legendX += 30 + Double(s.name.count) * 7
    }
    return svg + "</g>\n"
}

/// An SVG document around `body`. `standalone` adds the SVG namespace, which a file needs to be
/// read as SVG; inside an HTML page it is implied, and left out so the page names no URL.
func svgDocument(width: Int, height: Int, body: String, standalone: Bool) -> String {
    let namespace = standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : ""
    return "<svg\(namespace) width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        + "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n" + body + "</svg>\n"
}

/// A pixel coordinate to a tenth, printed shortest ("12.5", "40.0").
func coordinate(_ value: Double) -> String { "\((value * 10).rounded() / 10)" }

/// Round tick values from `low` to `high`: a step of 1, 2 or 5 times a power of ten giving about
/// `about` ticks.
func ticks(_ low: Double, _ high: Double, about: Int) -> [Double] {
    guard high > low, about > 0 else { return [low] }
    let raw = (high - low) / Double(about)
    let power = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
    let first = (low / step).rounded(.up)
    return stride(from: first, through: (high / step).rounded(.down), by: 1).map { $0 * step }
}
