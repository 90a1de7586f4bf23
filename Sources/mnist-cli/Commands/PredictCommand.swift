import ArgumentParser
import MLPCore
import MNISTData

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify pictures (PNG, JPEG, BMP, GIF, or folders of them), one on stdin (-), or items of an IDX file.",
        discussion: """
            A picture (told apart by its bytes, not its name) is brought into the model's input \
            form, recorded in the model file (--input-form overrides it): object takes all the ink's \
            box, fitted into the whole square and centred; none takes the whole picture. In the digit \
            form (MNIST's, and any model file from before forms were recorded), a picture is first \
            searched for the digit, the way a person would look at it, then brought into MNIST's own \
            form. The surface the digit is drawn on is found whatever surrounds it \
            (a desk around a sheet, UI chrome around a canvas, a dark title bar, a board's frame), \
            and the ink is whatever stands out from that surface, darker or lighter. Frames and form \
            boxes, underlines, dust and specks, and marks cut by the picture's edge are left out. \
            White ink on a transparent canvas is read from the alpha channel, and 16-bit PNGs keep \
            their precision. Strokes much thicker or thinner than MNIST's pen are brought towards it. \
            The digit is then scaled to fit 20x20 keeping its aspect ratio and centred by centre of \
            mass in 28x28. --show prints that 28x28 image; --save-input saves it as a PNG.

            Warnings, in the digit form only (a `warning:` line on stderr, and "warnings" in --json; \
            the exit status stays 0): when a picture holds more than one digit-sized mark, the largest is classified and \
            the warning says which (--each classifies them all); when the mark is a dot or a line, \
            not a digit, the answer is only a guess; when the model gives no class 85% or more, \
            the mark may be no digit at all (a letter, a sign). Lines across the whole picture \
            (ruled or squared paper, a margin line) are paper, not ink, and a sheet lying askew is \
            found and its digit turned upright. A picture in which nothing stands out from \
            its background by five times its noise is an error: no ink found.

            A folder stands for every picture in it, in the byte order of the names: its regular \
            files, not hidden ones and not those in subfolders. A file is read when its name ends \
            in .png, .jpg, .jpeg, .bmp or .gif, or when it starts like one of those formats; the \
            rest are skipped, and a `warning:` line says how many. A folder with no picture is an \
            error.

            A file that cannot be read is reported and the others are still classified; the exit \
            status is then 1.
            """)

    @Argument(help: ArgumentHelp("Pictures (PNG, JPEG, BMP, GIF) or folders of them to classify; - reads one picture from standard input.", valueName: "image"),
              completion: .file(extensions: ["png", "jpg", "jpeg", "bmp", "gif"]))
    var images: [String] = []

    @Option(help: ArgumentHelp("The model file written by `mnist-cli train`.", valueName: "file"),
            completion: .file(extensions: ["bin"]))
    var model = "model.bin"

    @Option(help: ArgumentHelp("Classify items of this IDX image file (with --index) instead of pictures.", valueName: "file"),
            completion: .file())
    var idx: String?

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Item of the --idx file to classify (0-based; repeat for several).", valueName: "n"))
    var index: [Int] = []

    @Option(parsing: .unconditional, help: "How many of the most likely classes to list.")
    var top = 3

    @Flag(help: ArgumentHelp(
        "Print the 28x28 image the model saw, as text, beside a bar for each class (after a line naming the input form).",
        discussion: """
            Fitted to the width of the terminal ($COLUMNS when set, else the terminal's, else 80): \
            the picture at half size, or the bars below it, when the lines would not fit.
            """))
    var show = false

    @Flag(help: ArgumentHelp(
        "Classify every digit-sized mark in each picture, left to right (\"42\" gives 4, then 2), instead of only the largest.",
        discussion: """
            Each mark gets its own line (FILE#K), or its own JSON object with "mark", "marks" and "box"; \
            a mark much wider than a digit is read as touching digits when its pieces read better than \
            the whole. Then a line FILE: 2026 gives the whole string (in --json, "string" in the last \
            mark's object).
            """))
    var each = false

    @Option(help: ArgumentHelp(
        "Save the 28x28 image the model saw as a PNG: to this file, or, given a directory, there as NAME.input.png for each input.",
        discussion: """
            NAME is the input's file name without its extension (stdin for -, FILE-N for IDX item \
            N; -K is added for mark K with --each). Several images need a directory. A file name \
            must end in .png, and only a new file or a PNG is ever replaced: another file, a \
            device, a FIFO or a directory in the way is an error, and nothing is written.
            """,
        valueName: "path"))
    var saveInput: String?

    @Option(help: ArgumentHelp("How to bring a PNG into the model's input: digit, object or none (default: the model's own form).",
                               discussion: InputForm.help, valueName: "form"))
    var inputForm: InputForm?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if idx == nil && images.isEmpty { throw ValidationError("give at least one picture file or folder, - for stdin, or --idx FILE --index N") }
        if idx != nil && !images.isEmpty { throw ValidationError("give picture files or --idx, not both") }
        if idx != nil && index.isEmpty { throw ValidationError("--idx needs at least one --index N") }
        if idx == nil && !index.isEmpty { throw ValidationError("--index goes with --idx FILE") }
        if images.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        guard top >= 1 else { throw ValidationError("--top must be 1 or more, got \(top)") }
    }

    func run() throws {
        let checkpoint = try ModelFile.load(model)
        let form = try inputForm ?? ModelFile.inputForm(of: checkpoint, file: model)
        let classifier = Classifier(checkpoint, normalise: checkpoint.normalisation.apply)
        var printer = PredictionPrinter(json: output.json, show: show, top: top, names: checkpoint.classNames,
                                        columns: Terminal.stdoutColumns)
        printer.inputForm = form
        if show && !output.json && idx == nil { print("input form: \(form.rawValue)") }
        let listed = try inputs(inputs: checkpoint.model.shape.inputs, form: form)
        let total = listed.count
        var saver = try saveInput.map { path throws(CLIError) in try InputSaver(path: path, single: total == 1 && !each) }
        var failures = 0, unsaved = 0
        for (position, input) in listed.enumerated() {
            do {
                let seen = try input.read()
                unsaved += classify(seen, of: input, at: position, classifier: classifier, printer: printer, saver: &saver)
            } catch {
                failures += 1
                Terminal.errorLine("error: \(error)")
                printer.printFailure(name: input.name, index: input.index, error: error)
            }
        }
        if failures + unsaved > 0 && (total > 1 || each) {
            let problems = [failures > 0 ? "\(failures) of \(total) inputs could not be classified" : nil,
                            unsaved > 0 ? "\(unsaved) image\(unsaved == 1 ? "" : "s") could not be saved" : nil]
            throw CLIError(problems.compactMap { $0 }.joined(separator: "; "))
        }
        if failures + unsaved > 0 { throw ExitCode(ExitStatus.failure.rawValue) }  // its one error line is out already
    }

    /// Classifies the main mark of one picture (every mark with --each), prints each answer with
    /// its warnings and saves what the model saw. Returns how many images could not be saved.
    private func classify(_ seen: SeenPicture, of input: PredictInput, at position: Int, classifier: Classifier,
                          printer: PredictionPrinter, saver: inout InputSaver?) -> Int {
        var unsaved = 0
        let seen = each ? seen.touchingDigitsApart { classifier.probabilities($0).max() ?? 0 } : seen
        let answers = seen.marks.map { classifier.probabilities($0.pixels) }
        for k in each ? Array(seen.marks.indices) : [seen.main] {
            let mark = seen.marks[k]
            let warnings = warningsFor(mark, in: seen, answer: answers[k])
            for warning in warnings { Terminal.errorLine("warning: \(input.label)\(each ? "#\(k + 1)" : ""): \(warning)") }
            // With --each, the last mark's answer also carries the whole string of them.
            let string = each && k == seen.marks.count - 1 ? printer.string(answers) : nil
            printer.print(name: input.name, index: input.index, pixels: mark.pixels,
                          probabilities: answers[k], side: input.side,
                          warnings: warnings, mark: each ? (k + 1, seen.marks.count, mark.box) : nil, string: string)
            guard let target = saver?.target(for: input, position: position + 1, mark: each ? k + 1 : nil) else { continue }
            do {
                try saver?.save(mark.pixels, side: input.side, to: target, input: input.name)
            } catch {
                unsaved += 1
                Terminal.errorLine("error: \(error)")
            }
        }
        return unsaved
    }

    /// What the reader of the answer should know: other digit-sized marks, a mark that is no digit,
    /// a mark the model does not recognise (`answer` is the model's). Only the digit form looks for
    /// marks; the other forms take all the ink, or the whole picture.
    private func warningsFor(_ mark: SeenMark, in seen: SeenPicture, answer: [Float]) -> [String] {
        var warnings: [String] = []
        guard seen.form == .digit else { return warnings }
        if !each && seen.marks.count > 1 {
            warnings.append("\(seen.marks.count) digit-sized marks; classified the largest, \(ordinal(seen.main + 1)) from the left (--each classifies them all)")
        }
        switch mark.shape {
        case .digit: break
        case .dot: warnings.append("the mark is a dot, not a digit; the answer is a guess")
        case .line: warnings.append("the mark is a straight line, not a digit; the answer is a guess")
        }
        // A mark drawn as a digit that the model does not recognise (see `isUnsure`) may be a letter
        // or a sign; dots and lines have their own warning above.
        if mark.shape == .digit, isUnsure(answer) {
            warnings.append("the model is unsure (top probability \(percent(Double(answer.max() ?? 0)))): the mark may not be a digit")
        }
        return warnings
    }

    /// The images named on the command line, each still to be read (so one bad file does not stop the rest).
    private func inputs(inputs: Int, form: InputForm) throws(CLIError) -> [PredictInput] {
        if let idx {
            let file = try IDXImages.open(idx, modelInputs: inputs)
            return index.map { n in
                PredictInput(name: idx, index: n, side: file.cols) { () throws(CLIError) in
                    SeenPicture(marks: [SeenMark(pixels: try file.image(n), shape: .digit, box: nil)], main: 0, form: nil)
                }
            }
        }
        let side = try digitSide(modelInputs: inputs)
        func picture(_ path: String) -> PredictInput {
            PredictInput(name: path == "-" ? "<stdin>" : path, index: nil, side: side) { () throws(CLIError) in
                try pictureDigits(path: path, side: side, form: form)
            }
        }
        var listed: [PredictInput] = []
        for path in images {
            guard path != "-" && PictureFolder.isFolder(path) else {
                listed.append(picture(path))
                continue
            }
            // A folder that cannot be listed or holds no pictures is one failed input, like a bad file.
            do throws(CLIError) {
                let folder = try PictureFolder(path)
                if !folder.skipped.isEmpty {
                    Terminal.errorLine("warning: \(path): skipped \(folder.skipped.count) file\(folder.skipped.count == 1 ? "" : "s") "
                                       + "that \(folder.skipped.count == 1 ? "is" : "are") not a picture by name or by content")
                }
                guard !folder.pictures.isEmpty else {
                    throw CLIError(file: path, "the folder holds no pictures (files ending in "
                                   + PictureFolder.pictureExtensions.map { "." + $0 }.joined(separator: ", ") + ")")
                }
                listed += folder.pictures.map(picture)
            } catch {
                listed.append(PredictInput(name: path, index: nil, side: side) { () throws(CLIError) in throw error })
            }
        }
        return listed
    }
}

/// One thing to classify and how to read it.
struct PredictInput {
    let name: String
    let index: Int?
    let side: Int
    let read: () throws(CLIError) -> SeenPicture

    /// How messages name it: the file, or FILE[N] for an IDX item.
    var label: String { index.map { "\(name)[\($0)]" } ?? name }
}

/// What the model is shown of one input: its digit-sized marks, left to right, and the main one
/// (in the object and none forms, one mark: the whole input).
struct SeenPicture {
    var marks: [SeenMark]
    var main: Int
    /// How the picture was brought into the model's input; nil for an IDX item, taken as it is.
    var form: InputForm?
    /// What the marks were read from (a digit-form picture's), where touching digits can be told apart.
    var reading: DigitReading? = nil

    init(marks: [SeenMark], main: Int, form: InputForm?) {
        self.marks = marks
        self.main = main
        self.form = form
    }

    /// The digit form's marks.
    init(_ reading: DigitReading) {
        marks = reading.digits.map { SeenMark(pixels: $0.pixels, shape: $0.shape, box: $0.bounds) }
        main = reading.main
        form = .digit
        self.reading = reading
    }

    /// Marks wide enough to be touching digits read as those digits, when they read better so.
    func touchingDigitsApart(confidence: ([UInt8]) -> Float) -> SeenPicture {
        reading.map { SeenPicture(MNISTData.touchingDigitsApart($0, confidence: confidence)) } ?? self
    }
}

/// One mark in MNIST's form (side x side bytes, ink 255 on 0), its shape and box in the picture.
struct SeenMark {
    var pixels: [UInt8]
    var shape: MarkShape
    var box: MarkBounds?
}

/// "1st", "2nd", "3rd", "4th"...
func ordinal(_ n: Int) -> String {
    let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
    return "\(n)\(suffix)"
}

/// The side of the square images a model takes (28 for MNIST's 784 inputs).
func digitSide(modelInputs: Int) throws(CLIError) -> Int {
    guard let side = squareImageSide(inputs: modelInputs), side >= 8 else {
        throw CLIError("this model takes \(modelInputs) inputs, not a square image, so it cannot classify pictures", hint: "use --idx")
    }
    return side
}

/// Reads a picture (PNG at full precision, JPEG at the smallest scale the digit reader still gets
/// all its pixels from) and brings it into the model's input `form`: in the digit form its digits
/// each in MNIST's form (MNIST's 20x20 box in 28x28, scaled for other sides).
func pictureDigits(path: String, side: Int, form: InputForm = .digit) throws(CLIError) -> SeenPicture {
    let name = path == "-" ? "<stdin>" : path
    let bytes: [UInt8]
    do {
        bytes = path == "-" ? try readStandardInput() : try readFile(path, limit: 256 << 20)
    } catch {
        throw CLIError(error.description)
    }
    let picture: GreyAlphaImage
    do {
        picture = try decodeGreyAlphaPicture(bytes, minimumPixels: maxDigitWorkingPixels)
    } catch {
        throw CLIError(file: name, "\(error)")
    }
    do {
        guard form == .digit else {
            return SeenPicture(marks: [SeenMark(pixels: try modelInput(from: picture, form: form, side: side), shape: .digit, box: nil)],
                               main: 0, form: form)
        }
        return SeenPicture(try readDigits(in: picture, side: side, box: (side * 20 + 14) / 28))
    } catch {
        throw CLIError(file: name, "\(error)")
    }
}
