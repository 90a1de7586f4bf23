#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore
import MNISTData

/// Prints one prediction per input: a text line (optionally beside the image) or a JSON object.
struct PredictionPrinter {
    let json: Bool
    let show: Bool
    let top: Int
    /// The model's class names, when it has them.
    var names: [String]? = nil
    /// The width --show's picture and bars fit (`Terminal.stdoutColumns`).
    var columns = 80
    /// How PNGs are brought into the model's input ("input_form" in JSON).
    var inputForm: InputForm? = nil

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
            if let inputForm { fields.append(("input_form", .string(inputForm.rawValue))) }
            if let string { fields.append(("string", .string(string))) }
            if show { fields.append(("pixels", .array(pixels.map { .integer(Int($0)) }))) }
            Swift.print(JSON.object(fields).text)
        } else {
            let label = (index.map { "\(name)[\($0)]" } ?? name) + (mark.map { "#\($0.number)" } ?? "")
            let alternatives = ranked.prefix(top).map { "\(self.label($0)) \(percent(Double(p[$0])))" }.joined(separator: "  ")
            let summary = "\(label): \(self.label(best))   (\(alternatives))"
            Swift.print(summary)
            if show {
                let lines = shownPrediction(pixels, side: side, labels: p.indices.map(self.label), probabilities: p, columns: columns)
                for line in lines { Swift.print(line) }
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

/// --show's picture and one bar per class, fitted to `columns`: the picture at full size beside
/// the bars when bars of 10 characters or more fit beside it, else at half size beside them, else
/// above them (full size when it fits the width). Labels are padded to the longest, so the bars
/// line up whatever the class names.
func shownPrediction(_ pixels: [UInt8], side: Int, labels: [String], probabilities p: [Float], columns: Int) -> [String] {
    let labelWidth = labels.map(\.count).max() ?? 0
    let barStart = labelWidth + 1 + 6 + 1  // label, space, " 99.9%", space
    func bars(_ length: Int) -> [String] {
        labels.indices.map { d in
            leftAligned(labels[d], labelWidth) + " " + padded(percent(Double(p[d]), 1), 6) + " "
                + String(repeating: "#", count: Int((p[d] * Float(length)).rounded()))
        }
    }
    let gap = "   "
    for halfSize in [false, true] {
        let art = asciiArt(pixels, side: side, halfSize: halfSize)
        let room = columns - (art.first?.count ?? 0) - gap.count - barStart
        guard room >= 10 else { continue }
        let beside = bars(min(20, room)), blank = String(repeating: " ", count: art.first?.count ?? 0)
        return (0..<max(art.count, beside.count)).map { row in
            let left = row < art.count ? art[row] : blank
            return row < beside.count ? left + gap + beside[row] : left
        }
    }
    return asciiArt(pixels, side: side, halfSize: 2 * side > columns) + bars(max(0, min(20, columns - barStart)))
}

/// The image as text. Full size is two characters a pixel, so the digit keeps its proportions in
/// a terminal (a cell is about twice as tall as wide); half size is one character for each pixel
/// of a pair of rows, showing their mean.
func asciiArt(_ pixels: [UInt8], side: Int, halfSize: Bool = false) -> [String] {
    let ramp = Array(" .:-=+*#%@")
    let rows = pixels.count / side
    func character(_ value: Int) -> Character { ramp[value * (ramp.count - 1) / 255] }
    guard halfSize else {
        return (0..<rows).map { row in
            String((0..<side).flatMap { col -> [Character] in
                let c = character(Int(pixels[row * side + col]))
                return [c, c]
            })
        }
    }
    return stride(from: 0, to: rows, by: 2).map { row in
        String((0..<side).map { col -> Character in
            let pair = row + 1 < rows ? [row, row + 1] : [row]
            return character(pair.map { Int(pixels[$0 * side + col]) }.reduce(0, +) / pair.count)
        })
    }
}
