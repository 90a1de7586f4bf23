#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MNISTData

/// Prints one prediction per input: a text line (optionally beside the image) or a JSON object.
struct PredictionPrinter {
    let json: Bool
    let show: Bool
    let top: Int
    /// The model's class names, when it has them.
    var names: [String]? = nil

    /// "7", or "7 Sneaker".
    private func label(_ index: Int) -> String {
        guard let names, names.indices.contains(index) else { return String(index) }
        return "\(index) \(names[index])"
    }

    /// "class" (the index, also under its old key "digit") and "name" (null without names).
    private func classFields(_ index: Int) -> [(String, JSON)] {
        let name = names.flatMap { $0.indices.contains(index) ? JSON.string($0[index]) : nil } ?? .null
        return [("class", .integer(index)), ("name", name)]
    }

    /// One prediction. `warnings` go into the JSON object (the caller prints them on stderr);
    /// `mark` is (k, n, box) when the picture's marks are classified one by one (--each).
    /// `string`, given with the last mark of a picture, is what all its marks read together.
    func print(name: String, index: Int?, pixels: [UInt8], probabilities p: [Float], side: Int,
               warnings: [String] = [], mark: (number: Int, of: Int, box: MarkBounds?)? = nil, string: String? = nil) {
        let ranked = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
        let best = ranked[0]
        if json {
            var fields: [(String, JSON)] = [("file", .string(name))]
            if let index { fields.append(("index", .integer(index))) }
            if let mark {
                fields += [("mark", .integer(mark.number)), ("marks", .integer(mark.of))]
                if let box = mark.box {
                    fields.append(("box", .array([box.x, box.y, box.width, box.height].map { .integer($0) })))
                }
            }
            fields += [
                ("digit", .integer(best)),
            ] + classFields(best) + [
                ("probabilities", .numbers(p.map { Double($0) })),
                ("top", .array(ranked.prefix(top).map {
                    .object([("digit", .integer($0))] + classFields($0) + [("probability", .number(Double(p[$0])))])
                })),
                ("warnings", .array(warnings.map { .string($0) })),
            ]
            if let string { fields.append(("string", .string(string))) }
            if show { fields.append(("pixels", .array(pixels.map { .integer(Int($0)) }))) }
            Swift.print(JSON.object(fields).text)
        } else {
            let label = (index.map { "\(name)[\($0)]" } ?? name) + (mark.map { "#\($0.number)" } ?? "")
            let alternatives = ranked.prefix(top).map { "\(self.label($0)) \(percent(Double(p[$0])))" }.joined(separator: "  ")
            let summary = "\(label): \(self.label(best))   (\(alternatives))"
            if show {
                Swift.print(summary)
                let bars = p.indices.map { d in
                    "\(self.label(d)) " + padded(percent(Double(p[d]), 1), 6) + " " + String(repeating: "#", count: Int((p[d] * 20).rounded()))
                }
                for (row, line) in asciiArt(pixels, side: side).enumerated() {
                    Swift.print(line + (row < bars.count ? "   " + bars[row] : ""))
                }
            } else {
                Swift.print(summary)
            }
            if let string { Swift.print("\(index.map { "\(name)[\($0)]" } ?? name): \(string)") }
        }
        fflush(nil)
    }

    /// What several marks read together, left to right: their digits run together ("2026"), or
    /// their class labels spaced when the model names its classes or has more than 10.
    func string(_ answers: [[Float]]) -> String {
        let best = answers.map { p in p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0 }
        if names == nil && best.allSatisfy({ $0 < 10 }) { return best.map(String.init).joined() }
        return best.map(label).joined(separator: " ")
    }

    func printFailure(name: String, index: Int?, error: any Error) {
        guard json else { return }
        var fields: [(String, JSON)] = [("file", .string(name))]
        if let index { fields.append(("index", .integer(index))) }
        fields.append(("error", .string(String(describing: error))))
        Swift.print(JSON.object(fields).text)
        fflush(nil)
    }
}

/// The image as text, two characters per pixel so it keeps its proportions in a terminal.
func asciiArt(_ pixels: [UInt8], side: Int) -> [String] {
    let ramp = Array(" .:-=+*#%@")
    return (0..<(pixels.count / side)).map { row in
        String((0..<side).flatMap { col -> [Character] in
            let c = ramp[Int(pixels[row * side + col]) * (ramp.count - 1) / 255]
            return [c, c]
        })
    }
}
