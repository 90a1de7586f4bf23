/// How strongly to distort training images: an elastic field (Simard, Steinkraus & Platt 2003)
/// and a random affine map, drawn afresh for every sample in every epoch.
///
/// Each sample's distortion depends on (`seed`, epoch, sample index) only — see `distortion(epoch:index:)`.
public struct AugmentationSettings: Sendable, Equatable {
    /// α: the smoothed field is multiplied by this, in pixels. 0 turns the elastic part off.
    public var elasticAlpha: Float
    /// σ of the Gaussian that smooths the field, in pixels (> 0 when α > 0).
    public var elasticSigma: Float
    /// Rotations are uniform in ±this, in degrees (positive turns clockwise as displayed, y down).
    public var maxRotationDegrees: Float
    /// Scale factors are uniform in 1 ± this (0.1 = ±10%; below 1).
    public var maxScaleChange: Float
    /// Horizontal shear angles are uniform in ±this, in degrees: x moves by tan(angle) · y.
    public var maxShearDegrees: Float
    /// Shifts are uniform in ±this along each axis, in pixels (not rounded).
    public var maxTranslation: Float
    /// Picks the distortions; the same seed gives the same distortions in every run.
    public var seed: UInt64

    public init(elasticAlpha: Float = 0, elasticSigma: Float = 0, maxRotationDegrees: Float = 0,
                maxScaleChange: Float = 0, maxShearDegrees: Float = 0, maxTranslation: Float = 0, seed: UInt64 = 0) {
        self.elasticAlpha = elasticAlpha
        self.elasticSigma = elasticSigma
        self.maxRotationDegrees = maxRotationDegrees
        self.maxScaleChange = maxScaleChange
        self.maxShearDegrees = maxShearDegrees
        self.maxTranslation = maxTranslation
        self.seed = seed
    }

    /// No distortion at all: every image comes out as it went in.
    public static let none = AugmentationSettings()

    /// A starting recipe, to be tuned on a validation split: Simard's elastic field (α 34, σ 4, in
    /// pixels) plus the PyTorch probe's affine ranges (±10°, ±10% scale, ±2 px shifts) and a little
    /// shear (±5°).
    ///
    /// α here is Simard's: displacements in pixels. torchvision's `ElasticTransform(alpha:)` scales
    /// its field by α / size on a grid that spans 2, so its α 34 moves pixels half as far as α 34
    /// here (α 17).
    public static let simard = AugmentationSettings(elasticAlpha: 34, elasticSigma: 4, maxRotationDegrees: 10,
                                                    maxScaleChange: 0.1, maxShearDegrees: 5, maxTranslation: 2)

    /// Whether every strength is zero, so images come out unchanged.
    public var isIdentity: Bool {
        elasticAlpha == 0 && maxRotationDegrees == 0 && maxScaleChange == 0 && maxShearDegrees == 0 && maxTranslation == 0
    }

    /// These settings with another seed.
    public func seeded(_ seed: UInt64) -> AugmentationSettings {
        var copy = self
        copy.seed = seed
        return copy
    }

    /// Throws for the first setting that is out of range (or not finite).
    public func validate() throws(AugmentationError) {
        func check(_ name: String, _ value: Float, _ expected: String, _ ok: Bool) throws(AugmentationError) {
            guard value.isFinite && ok else { throw .outOfRange(setting: name, value: value, expected: expected) }
        }
        try check("elastic alpha", elasticAlpha, ">= 0", elasticAlpha >= 0)
        if elasticAlpha > 0 {
            try check("elastic sigma", elasticSigma, "> 0 and <= \(Self.maxSigma) pixels when alpha > 0",
                      elasticSigma > 0 && elasticSigma <= Self.maxSigma)
        }
        try check("rotation", maxRotationDegrees, "0...180 degrees", maxRotationDegrees >= 0 && maxRotationDegrees <= 180)
        try check("scale change", maxScaleChange, ">= 0 and below 1 (a fraction: 0.1 = ±10%)",
                  maxScaleChange >= 0 && maxScaleChange < 1)
        try check("shear", maxShearDegrees, ">= 0 and below 90 degrees", maxShearDegrees >= 0 && maxShearDegrees < 90)
        try check("translation", maxTranslation, ">= 0 pixels", maxTranslation >= 0)
    }

    /// The widest smoothing accepted: its kernel spans 6σ + 1 = 385 pixels.
    static let maxSigma: Float = 64

    /// The distortion of sample `index` in `epoch`: a function of (seed, epoch, index) alone, so it
    /// is the same whichever thread fills the sample, wherever it sits in its batch, and after a
    /// resume.
    ///
    /// The five affine numbers are drawn first and always (rotation, scale, shear, x and y shift,
    /// each uniform in (−1, 1) times its maximum), so changing the elastic settings leaves them alone;
    /// the elastic noise comes from its own key.
    func distortion(epoch: Int, index: Int) -> SampleDistortion {
        let key = SplitMix.key(SplitMix.key(seed, epoch), index)
        func uniform(_ n: Int) -> Double { SplitMix.signedUnit(SplitMix.number(n, of: key)) }
        let warp = AffineWarp(rotationDegrees: Float(Double(maxRotationDegrees) * uniform(0)),
                              scale: Float(1 + Double(maxScaleChange) * uniform(1)),
                              shearDegrees: Float(Double(maxShearDegrees) * uniform(2)),
                              translationX: Float(Double(maxTranslation) * uniform(3)),
                              translationY: Float(Double(maxTranslation) * uniform(4)))
        return SampleDistortion(warp: warp, noiseKey: SplitMix.number(5, of: key))
    }
}

/// One sample's distortion: its affine map, and the key of its elastic noise (see `ElasticField`).
public struct SampleDistortion: Sendable, Equatable {
    var warp: AffineWarp
    var noiseKey: UInt64

    init(warp: AffineWarp, noiseKey: UInt64) {
        self.warp = warp
        self.noiseKey = noiseKey
    }
}

/// Why augmentation settings or data cannot be used.
public enum AugmentationError: Error, Equatable, CustomStringConvertible {
    /// `setting` is `value`, which is not finite or not `expected`.
    case outOfRange(setting: String, value: Float, expected: String)
    /// Augmentation distorts pictures from 2x2 to `AugmentedImages.maxSide` pixels a side; these
    /// samples are rows x cols (a single row of features, say).
    case unsupportedSize(rows: Int, cols: Int)

    public var description: String {
        switch self {
        case .outOfRange(let setting, let value, let expected):
            return "augmentation \(setting) is \(value); expected \(expected)"
        case .unsupportedSize(let rows, let cols):
            return "augmentation needs pictures of 2 to \(AugmentedImages.maxSide) pixels a side, but these samples are "
                + "\(rows)x\(cols); train without augmentation"
                + (rows < 2 || cols < 2 ? ", or give an images file of rank 3 (count x rows x cols)" : "")
        }
    }
}
