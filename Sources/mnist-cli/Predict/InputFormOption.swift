import ArgumentParser
import MLPCore
import MNISTData

extension InputForm: ExpressibleByArgument {}

extension InputForm {
    /// What --input-form's help says the forms are.
    static let help = """
        digit: MNIST's (the mark fitted into 20x20, centred by centre of mass in 28x28, strokes brought \
        towards MNIST's pen); object: Fashion-MNIST's (all the ink's box fitted into the whole 28x28 keeping \
        its aspect ratio, centred, grey levels kept); none: the whole picture resized to 28x28, its \
        background made 0.
        """
}

extension ModelFile {
    /// The input form a model file records; files from before forms were recorded are MNIST's
    /// digit form. A form this version does not know is an error: guessing would misread pictures.
    static func inputForm(of checkpoint: Checkpoint, file: String) throws(CLIError) -> InputForm {
        guard let name = checkpoint.inputForm else { return .digit }
        guard let form = InputForm(rawValue: name) else {
            let known = InputForm.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError(file: file, "the model's input form \"\(name)\" is not one this mnist-cli knows (\(known))",
                           hint: "use the mnist-cli that wrote it, or give --input-form")
        }
        return form
    }

    /// "object (Fashion-MNIST)", "none", "digit (not recorded: a model file from before input forms)".
    static func inputFormSummary(_ form: InputForm, of checkpoint: Checkpoint) -> String {
        if checkpoint.inputForm == nil { return "\(form.rawValue) (not recorded: a model file from before input forms)" }
        return form.rawValue + (checkpoint.datasetName.map { " (\($0))" } ?? "")
    }
}

/// The input form for training on data from `directory`: the one given, else the resumed file's,
/// else the form of the known dataset the data is, else `none` — an unknown set's images are taken
/// as they are, so pictures of its own 28x28 images read exactly as its IDX files do.
func trainingInputForm(given: InputForm?, resumed: Checkpoint?, resumedFile: String?,
                       known: KnownDataset?) throws(CLIError) -> InputForm {
    if let given { return given }
    if let resumed, resumed.inputForm != nil { return try ModelFile.inputForm(of: resumed, file: resumedFile ?? "") }
    return known?.form ?? .none
}
