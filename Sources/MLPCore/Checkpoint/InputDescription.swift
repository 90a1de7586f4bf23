/// What a model's input is, beyond its size: how a picture becomes it (the input form's name, FORM)
/// and which published dataset the model was trained on, when it was recognised (DSET). MLPCore
/// keeps both as names; the command line knows what they mean.
enum InputDescription {
    /// Longest input form name: one word ("digit", "object", "none").
    static let maximumFormLength = 32
    /// Longest dataset name ("Fashion-MNIST", "EMNIST Letters").
    static let maximumDatasetLength = 64

    /// FORM: the name in ASCII, lowercase letters and hyphens, nothing else.
    static func decodedForm(_ payload: [UInt8]) throws(CheckpointError) -> String {
        guard (1...maximumFormLength).contains(payload.count),
              payload.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x2D }) else {
            throw .badSection(tag: Checkpoint.inputFormTag,
                              reason: "holds \(payload.count) bytes, not an input form's name (1 to \(maximumFormLength) lowercase letters)")
        }
        return String(decoding: payload, as: UTF8.self)
    }

    /// DSET: the name in UTF-8, without control characters.
    static func decodedDataset(_ payload: [UInt8]) throws(CheckpointError) -> String {
        guard (1...maximumDatasetLength).contains(payload.count), let name = String(validating: payload, as: UTF8.self),
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .badSection(tag: Checkpoint.datasetTag,
                              reason: "holds \(payload.count) bytes, not a dataset's name (1 to \(maximumDatasetLength) bytes of UTF-8 text)")
        }
        return name
    }
}
