import ArgumentParser
import MNISTData

/// --augment and its fine settings: how training images are distorted, afresh every epoch.
struct AugmentationOptions: ParsableArguments {
    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case off, simard
    }

    @Option(help: ArgumentHelp("Distort every training image afresh each epoch: off, or simard (elastic α 34 σ 4, ±10°, ±10% scale, ±5° shear, ±2 px) (default: off).",
                               valueName: "preset"))
    var augment: Preset?

    @Option(help: ArgumentHelp("Elastic distortion α:σ in pixels, e.g. 34:4 (0:0 for none).", valueName: "α:σ"),
            transform: parseElastic)
    var elastic: (alpha: Float, sigma: Float)?

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest rotation, in degrees either way.", valueName: "degrees"))
    var rotation: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest change of scale, as a fraction either way (0.1 = ±10%).", valueName: "fraction"))
    var scale: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest horizontal shear, in degrees either way.", valueName: "degrees"))
    var shear: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest shift along each axis, in pixels.", valueName: "pixels"))
    var shift: Float?

    /// Whether any augmentation option was given.
    var isGiven: Bool { augment != nil || elastic != nil || rotation != nil || scale != nil || shear != nil || shift != nil }

    /// The preset with the fine settings laid over it, drawing from `seed`.
    func settings(seed: UInt64) -> AugmentationSettings {
        var s = augment == .simard ? AugmentationSettings.simard : .none
        if let elastic { s.elasticAlpha = elastic.alpha; s.elasticSigma = elastic.sigma }
        if let rotation { s.maxRotationDegrees = rotation }
        if let scale { s.maxScaleChange = scale }
        if let shear { s.maxShearDegrees = shear }
        if let shift { s.maxTranslation = shift }
        return s.seeded(seed)
    }

    func validate() throws {
        do { try settings(seed: 0).validate() } catch { throw ValidationError("augmentation: \(error)") }
    }
}

private func parseElastic(_ text: String) throws -> (alpha: Float, sigma: Float) {
    let parts = text.split(separator: ":")
    guard parts.count == 2, let alpha = Float(parts[0]), let sigma = Float(parts[1]) else {
        throw ValidationError("--elastic takes α:σ in pixels, such as 34:4; got \(text)")
    }
    return (alpha, sigma)
}

extension AugmentationSettings {
    /// "elastic α 34 σ 4, ±10°, ±10% scale, ±5° shear, ±2 px", or "none".
    var summary: String {
        var parts: [String] = []
        if elasticAlpha > 0 { parts.append("elastic α \(trimmed(elasticAlpha)) σ \(trimmed(elasticSigma))") }
        if maxRotationDegrees > 0 { parts.append("±\(trimmed(maxRotationDegrees))°") }
        if maxScaleChange > 0 { parts.append("±\(trimmed(maxScaleChange * 100))% scale") }
        if maxShearDegrees > 0 { parts.append("±\(trimmed(maxShearDegrees))° shear") }
        if maxTranslation > 0 { parts.append("±\(trimmed(maxTranslation)) px") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    private func trimmed(_ value: Float) -> String {
        value == value.rounded() ? "\(Int(value))" : "\(value)"
    }
}
