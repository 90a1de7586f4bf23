#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hidden-layer nonlinearity f.
public enum Activation: String, CaseIterable, Sendable {
    case relu, sigmoid, tanh

    /// Standard deviation of the initial weights for a layer with `fanIn` inputs: He for ReLU,
    /// Glorot/Xavier-style sqrt(1/fanIn) for the saturating functions.
    func initialStd(fanIn: Int) -> Double {
        let gain: Double = self == .relu ? 2 : 1
        return (gain / Double(max(fanIn, 1))).squareRoot()
    }
}

/// h is (rows, cols) with leading dimension ld, bias is (cols): h ← f(h + bias), in place.
func addBiasAndActivate(_ activation: Activation, _ h: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                        rows: Int, cols: Int, ld: Int) {
    for r in 0..<rows {
        let row = h + r * ld
        switch activation {
        case .relu:
            for c in 0..<cols { row[c] = max(row[c] + bias[c], 0) }
        case .sigmoid:
            for c in 0..<cols { row[c] = 1 / (1 + expf(-(row[c] + bias[c]))) }
        case .tanh:
            for c in 0..<cols { row[c] = tanhf(row[c] + bias[c]) }
        }
    }
}

/// delta and h are (rows, cols) with leading dimension ld: delta ← delta ⊙ f′(z), with f′ written
/// in terms of the output h = f(z), which is all the forward pass keeps (ReLU: h > 0; sigmoid:
/// h(1 − h); tanh: 1 − h²).
func multiplyByDerivative(_ activation: Activation, _ delta: UnsafeMutablePointer<Float>, h: UnsafePointer<Float>,
                          rows: Int, cols: Int, ld: Int) {
    for r in 0..<rows {
        let d = delta + r * ld, hr = h + r * ld
        switch activation {
        case .relu:
            for c in 0..<cols { d[c] = hr[c] > 0 ? d[c] : 0 }
        case .sigmoid:
            for c in 0..<cols { d[c] *= hr[c] * (1 - hr[c]) }
        case .tanh:
            for c in 0..<cols { d[c] *= 1 - hr[c] * hr[c] }
        }
    }
}
