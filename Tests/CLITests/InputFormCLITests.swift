import Foundation
import MLPCore
import MNISTData
import Testing
import TestSupport

/// The input form through the command line: chosen at training, recorded, shown by eval and
/// predict, overridden by predict --input-form; old files are the digit form, unknown forms an error.
@Suite(.serialized)
final class InputFormCLITests {
    let dir: URL
    let data: URL
    /// Trained on the synthetic set (which no checksum knows) with no --input-form.
    let model: String

    init() throws {
        dir = try CLI.temporaryDirectory()
        data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try SyntheticDataset.write(to: data)
        model = dir.appendingPathComponent("model.bin").path
        let trained = try CLI.run(["train", "--data", data.path, "--epochs", "1", "--out", model])
        try #require(trained.status == 0, "\(trained.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// A black dot 12 pixels across in the middle of a white 80x80 picture: to the digit form, a
    /// mark that is no digit.
    func dotPicture() throws -> String {
        var canvas = Canvas(width: 80, height: 80, colour: (255, 255, 255))
        canvas.lay(InkLayer(strokes: [(0.5, 0.5, 0.5, 0.5)], size: 60, width: 12), left: 10, top: 10, colour: (0, 0, 0))
        return try Fixtures.write(encodePNG(canvas.image, options: PNGEncodeOptions(colourType: .grey)), to: dir, name: "dot.png")
    }

    func evalJSON(_ file: String) throws -> [String: Any] {
        let result = try CLI.run(["eval", file, "--data", data.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try jsonObject(Substring(result.stdout.dropLast()))
    }

    /// Rewrites the model file with its FORM and DSET sections as given.
    func resaved(form: String?, dataset: String?, as name: String) throws -> String {
        var checkpoint = try Checkpoint(decoding: readFile(model))
        checkpoint.inputForm = form
        checkpoint.datasetName = dataset
        return try Fixtures.write(checkpoint.encoded(), to: dir, name: name)
    }

    @Test func unknownDataTrainsInTheNoneFormAndEvalShowsIt() throws {
        #expect(try evalJSON(model)["input_form"] as? String == "none")
        #expect(try evalJSON(model)["dataset"] is NSNull)
        let text = try CLI.run(["eval", model, "--data", data.path])
        #expect(text.stdout.split(separator: "\n").contains("input form: none"), "\(text.stdout)")
        let chosen = dir.appendingPathComponent("object.bin").path
        let trained = try CLI.run(["train", "--data", data.path, "--epochs", "1", "--input-form", "object", "--out", chosen])
        #expect(trained.status == 0 && trained.stdout.contains("(\(data.path), object form)"), "\(trained.stdout)")
        #expect(try evalJSON(chosen)["input_form"] as? String == "object")
        #expect(try Checkpoint(decoding: readFile(chosen)).inputForm == "object")
    }

    /// Mark warnings belong to the digit form: a dot is "not a digit" only there.
    @Test func warningsComeOnlyInTheDigitForm() throws {
        let png = try dotPicture()
        let own = try CLI.run(["predict", "--model", model, png, "--json"])
        #expect(own.status == 0 && own.stderr.isEmpty, "\(own.stderr)")
        let line = try jsonObject(Substring(own.stdout.dropLast()))
        #expect(line["input_form"] as? String == "none" && (line["warnings"] as? [Any])?.isEmpty == true)
        let digit = try CLI.run(["predict", "--model", model, png, "--input-form", "digit", "--json"])
        #expect(digit.status == 0 && digit.stderr.contains("the mark is a dot, not a digit"), "\(digit.stderr)")
        let overridden = try jsonObject(Substring(digit.stdout.dropLast()))
        #expect(overridden["input_form"] as? String == "digit" && (overridden["warnings"] as? [Any])?.count == 1)
        let object = try CLI.run(["predict", "--model", model, png, "--input-form", "object"])
        #expect(object.status == 0 && object.stderr.isEmpty, "\(object.stderr)")
        #expect(object.stdout.hasPrefix("\(png): ") && object.stdout.split(separator: "\n").count == 1, "\(object.stdout)")
        // --show names the form above the picture the model saw.
        let shown = try CLI.run(["predict", "--model", model, png, "--show"])
        #expect(shown.stdout.hasPrefix("input form: none\n\(png): "), "\(shown.stdout)")
    }

    /// The override changes what the model sees: the dot fills the object form's frame, stays a
    /// dot in the none form's, and fills at most the digit form's 20x20 box.
    @Test func theOverrideDecidesWhatTheModelSees() throws {
        let png = try dotPicture()
        var inked: [String: Int] = [:]
        for form in InputForm.allCases {
            let result = try CLI.run(["predict", "--model", model, png, "--input-form", form.rawValue, "--show", "--json"])
            let pixels = try #require(try jsonObject(Substring(result.stdout.dropLast()))["pixels"] as? [Int])
            inked[form.rawValue] = pixels.filter { $0 > 127 }.count
        }
        let (digit, object, none) = (inked["digit"] ?? 0, inked["object"] ?? 0, inked["none"] ?? 0)
        // A disc 12 pixels across in 80 is 4.2 across in 28 (about 14 pixels); fitted into 28x28 it
        // fills the frame (about 615); the digit form's 20x20 box holds less (about 314 at most).
        #expect(none > 0 && none < 30 && digit > none && object > 500 && object > digit, "\(inked)")
    }

    /// A file from before input forms is MNIST's digit form; a form this version does not know is
    /// an error naming it, unless --input-form says how to read the pictures.
    @Test func oldFilesAreDigitFormAndUnknownFormsAreErrors() throws {
        let old = try resaved(form: nil, dataset: nil, as: "old.bin")
        #expect(try evalJSON(old)["input_form"] as? String == "digit")
        let text = try CLI.run(["eval", old, "--data", data.path])
        #expect(text.stdout.contains("input form: digit (not recorded: a model file from before input forms)"), "\(text.stdout)")
        let png = try dotPicture()
        #expect(try CLI.run(["predict", "--model", old, png]).stderr.contains("the mark is a dot"))

        let unknown = try resaved(form: "sketch", dataset: "Sketches", as: "unknown.bin")
        for arguments in [["eval", unknown, "--data", data.path], ["predict", "--model", unknown, png]] {
            let result = try CLI.run(arguments)
            #expect(result.status != 0 && result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderrLines.first?.hasPrefix("error: \(unknown): the model's input form \"sketch\" is not one this mnist-cli knows (digit, object, none)") == true,
                    "\(result.stderr)")
        }
        #expect(try CLI.run(["predict", "--model", unknown, png, "--input-form", "object"]).status == 0)
    }
}
