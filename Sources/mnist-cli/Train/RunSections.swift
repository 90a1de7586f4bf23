import MLPCore
import MNISTData

/// The checkpoint sections the command line owns: how training images were distorted (AUGM), how
/// many were held out for validation (VALD) and after how many epochs without a better validation
/// accuracy the run stops (STOP), so a resumed run does the same. MLPCore keeps them as sections it
/// does not know.
struct RunSections: Equatable {
    var augmentation = AugmentationSettings.none
    /// Training samples held out to evaluate each epoch on (0: evaluate on the test split).
    var validation = 0
    /// Epochs without a better validation accuracy after which the run stops; nil: it runs on.
    var patience: Int?

    static let augmentationTag = "AUGM", validationTag = "VALD", patienceTag = "STOP"

    init(augmentation: AugmentationSettings = .none, validation: Int = 0, patience: Int? = nil) {
        (self.augmentation, self.validation, self.patience) = (augmentation, validation, patience)
    }

    /// Decodes ours among `checkpoint`'s sections (the defaults where absent).
    init(decoding checkpoint: Checkpoint, file: String) throws(CLIError) {
        func payload(_ tag: String, length: Int) throws(CLIError) -> [UInt8]? {
            guard let payload = checkpoint.otherSections.first(where: { $0.tag == tag })?.payload else { return nil }
            guard payload.count == length else {
                throw CLIError(file: file, "section \(tag) holds \(payload.count) bytes, not \(length); the file is damaged")
            }
            return payload
        }
        if let bytes = try payload(Self.augmentationTag, length: 32) {
            var input = ByteReader(bytes: bytes)
            let f = (0..<6).map { _ in input.f32() }
            augmentation = AugmentationSettings(elasticAlpha: f[0], elasticSigma: f[1], maxRotationDegrees: f[2], maxScaleChange: f[3],
                                                maxShearDegrees: f[4], maxTranslation: f[5], seed: input.u64())
        }
        if let bytes = try payload(Self.validationTag, length: 4) {
            var input = ByteReader(bytes: bytes)
            validation = Int(input.u32())
        }
        if let bytes = try payload(Self.patienceTag, length: 4) {
            var input = ByteReader(bytes: bytes)
            patience = Int(input.u32())
        }
    }

    /// `sections` with ours set to these values (none where they are the defaults).
    func replacing(in sections: [CheckpointSection]) -> [CheckpointSection] {
        sections.filter { ![Self.augmentationTag, Self.validationTag, Self.patienceTag].contains($0.tag) } + encoded
    }

    /// AUGM: six f32 (α, σ, rotation, scale, shear, shift) and a u64 seed. VALD: u32, the training
    /// samples held out. STOP: u32, the patience in epochs.
    private var encoded: [CheckpointSection] {
        var sections: [CheckpointSection] = []
        if !augmentation.isIdentity {
            var out = ByteWriter()
            let a = augmentation
            for value in [a.elasticAlpha, a.elasticSigma, a.maxRotationDegrees, a.maxScaleChange, a.maxShearDegrees, a.maxTranslation] {
                out.f32(value)
            }
            out.u64(a.seed)
            sections.append(CheckpointSection(tag: Self.augmentationTag, payload: out.bytes))
        }
        for (tag, value) in [(Self.validationTag, validation), (Self.patienceTag, patience ?? 0)] where value > 0 {
            var out = ByteWriter()
            out.u32(UInt32(truncatingIfNeeded: value))
            sections.append(CheckpointSection(tag: tag, payload: out.bytes))
        }
        return sections
    }
}
