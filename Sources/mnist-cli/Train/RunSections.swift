import MLPCore
import MNISTData

/// The checkpoint sections the command line owns: how training images were distorted (AUGM) and
/// how many were held out for validation (VALD), so a resumed run distorts and holds out the same.
/// MLPCore keeps them as sections it does not know.
enum RunSections {
    static let augmentationTag = "AUGM", validationTag = "VALD"

    /// AUGM: six little-endian f32 (α, σ, rotation, scale, shear, shift) and a u64 seed.
    static func encode(_ a: AugmentationSettings) -> CheckpointSection {
        var bytes: [UInt8] = []
        for value in [a.elasticAlpha, a.elasticSigma, a.maxRotationDegrees, a.maxScaleChange, a.maxShearDegrees, a.maxTranslation] {
            bytes += littleEndian(UInt64(value.bitPattern), count: 4)
        }
        bytes += littleEndian(a.seed, count: 8)
        return CheckpointSection(tag: augmentationTag, payload: bytes)
    }

    /// VALD: u32, the training samples held out.
    static func encode(validation: Int) -> CheckpointSection {
        CheckpointSection(tag: validationTag, payload: littleEndian(UInt64(validation), count: 4))
    }

    static func augmentation(in checkpoint: Checkpoint, file: String) throws(CLIError) -> AugmentationSettings {
        guard let payload = checkpoint.otherSections.first(where: { $0.tag == augmentationTag })?.payload else { return .none }
        guard payload.count == 32 else { throw CLIError(file: file, "section AUGM holds \(payload.count) bytes, not 32; the file is damaged") }
        let f = (0..<6).map { Float(bitPattern: UInt32(truncatingIfNeeded: number(payload, at: 4 * $0, count: 4))) }
        return AugmentationSettings(elasticAlpha: f[0], elasticSigma: f[1], maxRotationDegrees: f[2], maxScaleChange: f[3],
                                    maxShearDegrees: f[4], maxTranslation: f[5], seed: number(payload, at: 24, count: 8))
    }

    static func validation(in checkpoint: Checkpoint, file: String) throws(CLIError) -> Int {
        guard let payload = checkpoint.otherSections.first(where: { $0.tag == validationTag })?.payload else { return 0 }
        guard payload.count == 4 else { throw CLIError(file: file, "section VALD holds \(payload.count) bytes, not 4; the file is damaged") }
        return Int(number(payload, at: 0, count: 4))
    }

    /// `checkpoint`'s sections with ours set to these values (none where they are the defaults).
    static func replacing(in sections: [CheckpointSection], augmentation: AugmentationSettings, validation: Int) -> [CheckpointSection] {
        sections.filter { $0.tag != augmentationTag && $0.tag != validationTag }
            + (augmentation.isIdentity ? [] : [encode(augmentation)])
            + (validation > 0 ? [encode(validation: validation)] : [])
    }

    private static func littleEndian(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static func number(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
        (0..<count).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
