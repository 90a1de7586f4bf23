import MLPCore
import MNISTData

/// Reading and writing checkpoints on disk; the format itself is MLPCore's (docs/checkpoint.md).
enum ModelFile {
    /// Checkpoints are a few MB; anything past this is not one of ours.
    static let sizeLimit = 1 << 30

    static func load(_ path: String) throws(CLIError) -> Checkpoint {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path, limit: sizeLimit)
        } catch {
            throw CLIError(error.description, hint: error.reason == "no such file" ? "train one with `mnist-cli train`" : nil)
        }
        do {
            return try Checkpoint(decoding: bytes)
        } catch {
            throw CLIError(file: path, "not a usable model file: \(error)")
        }
    }

    /// Atomic: `path` holds the old file or the complete new one, never a torn mix.
    static func save(_ checkpoint: Checkpoint, to path: String) throws(CLIError) {
        do {
            try writeFileAtomically(path, checkpoint.encoded())
        } catch {
            throw CLIError(error.description)
        }
    }

    /// A one-line summary: "784-128-10 relu, cross-entropy, 10 epochs" (", 6 epochs + 412 batches"
    /// for a checkpoint saved mid-epoch).
    static func summary(_ checkpoint: Checkpoint) -> String {
        let m = checkpoint.state.position
        var text = "\(checkpoint.model.shape) \(checkpoint.model.activationSummary), \(checkpoint.state.settings.loss.rawValue), "
            + "\(m.epochsCompleted) epoch\(m.epochsCompleted == 1 ? "" : "s")"
        if m.batchesIntoEpoch > 0 { text += " + \(m.batchesIntoEpoch) batch\(m.batchesIntoEpoch == 1 ? "" : "es")" }
        return text
    }
}

extension MLP {
    /// "relu", or "leaky-relu (slope 0.01)".
    var activationSummary: String {
        activation == .leakyRelu ? "\(activation.rawValue) (slope \(leak))" : activation.rawValue
    }
}
