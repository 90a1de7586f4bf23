#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hidden-layer nonlinearity f.
public enum Activation: String, CaseIterable, Sendable {
    case relu, sigmoid, tanh
    /// max(z, αz) for a small slope α (`MLP.leak`): a unit pushed below 0 still passes a gradient
    /// and can recover, where a plain ReLU unit dies.
    case leakyRelu = "leaky-relu"

    /// The slope α below 0 that leaky ReLU uses unless told otherwise (Maas et al. 2013).
    public static let defaultLeak: Float = 0.01

    /// Whether a unit can be dead: its output and gradient exactly 0 for every input below its
    /// kink. Sigmoid and tanh saturate but never reach 0 gradient, so for them "dead" means nothing.
    var canDie: Bool { self == .relu || self == .leakyRelu }

    /// Standard deviation of the initial weights for a layer with `fanIn` inputs: He for ReLU,
    /// Glorot/Xavier-style sqrt(1/fanIn) for the saturating functions.
    func initialStd(fanIn: Int) -> Double {
        let gain: Double = canDie ? 2 : 1
        return (gain / Double(max(fanIn, 1))).squareRoot()
    }
}

/// h is (rows, cols) with leading dimension ld, bias is (cols): h ← f(h + bias), in place.
/// `leak` is leaky ReLU's slope below 0 (ignored by the others).
func addBiasAndActivate(_ activation: Activation, leak: Float = 0, _ h: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                        rows: Int, cols: Int, ld: Int) {
    for r in 0..<rows {
        let row = h + r * ld
        switch activation {
        case .relu:
            for c in 0..<cols { row[c] = max(row[c] + bias[c], 0) }
        case .leakyRelu:
            for c in 0..<cols { let z = row[c] + bias[c]; row[c] = z > 0 ? z : leak * z }
        case .sigmoid:
            for c in 0..<cols { row[c] = 1 / (1 + expf(-(row[c] + bias[c]))) }
        case .tanh:
            for c in 0..<cols { row[c] = tanhf(row[c] + bias[c]) }
        }
    }
}

/// delta and h are (rows, cols) with leading dimension ld: delta ← delta ⊙ f′(z), with f′ written
/// in terms of the output h = f(z), which is all the forward pass keeps (ReLU: h > 0; leaky ReLU:
/// 1 where h > 0, else the slope, as a positive slope keeps z's sign; sigmoid: h(1 − h); tanh: 1 − h²).
func multiplyByDerivative(_ activation: Activation, leak: Float = 0, _ delta: UnsafeMutablePointer<Float>, h: UnsafePointer<Float>,
                          rows: Int, cols: Int, ld: Int) {
    for r in 0..<rows {
        let d = delta + r * ld, hr = h + r * ld
        switch activation {
        case .relu:
            for c in 0..<cols { d[c] = hr[c] > 0 ? d[c] : 0 }
        case .leakyRelu:
            for c in 0..<cols { d[c] = hr[c] > 0 ? d[c] : leak * d[c] }
        case .sigmoid:
            for c in 0..<cols { d[c] *= hr[c] * (1 - hr[c]) }
        case .tanh:
            for c in 0..<cols { d[c] *= 1 - hr[c] * hr[c] }
        }
    }
}
