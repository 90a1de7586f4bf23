#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the softmax probabilities p are compared with the one-hot target y.
public enum LossFunction: String, CaseIterable, Sendable {
    /// −log p_label.
    case crossEntropy = "cross-entropy"
    /// ½‖p − y‖², on the probabilities (not the logits).
    case mse
}

/// The loss of one sample, from its `classes` probabilities. Cross-entropy clamps p at the
/// smallest normal Float, so a vanished probability costs about 87, not infinity. A label outside
/// 0..<classes has no target: the result is NaN, which makes the bad sample visible in any sum.
func lossValue(_ loss: LossFunction, probabilities p: UnsafePointer<Float>, label: Int, classes: Int) -> Double {
    guard (0..<classes).contains(label) else { return .nan }
    switch loss {
    case .crossEntropy:
        return -log(Double(max(p[label], Float.leastNormalMagnitude)))
    case .mse:
        var sum = 0.0
        for c in 0..<classes {
            let diff = Double(p[c]) - (c == label ? 1 : 0)
            sum += diff * diff
        }
        return sum / 2
    }
}

/// logits is (rows, ldLogits), probabilities is (rows, classes): row-wise softmax, shifted by the row
/// maximum so exp never overflows.
func softmaxRows(logits: UnsafePointer<Float>, ldLogits: Int, probabilities: UnsafeMutablePointer<Float>,
                 rows: Int, classes: Int) {
    for r in 0..<rows {
        let z = logits + r * ldLogits, p = probabilities + r * classes
        var largest = -Float.infinity
        for c in 0..<classes { largest = max(largest, z[c]) }
        var sum: Float = 0
        for c in 0..<classes {
            p[c] = expf(z[c] - largest)
            sum += p[c]
        }
        let inverse = 1 / sum
        for c in 0..<classes { p[c] *= inverse }
    }
}

/// probabilities is (rows, classes), labels is (rows), delta is (rows, ldDelta) with ldDelta ≥ classes:
/// δ2 = ∂L/∂z2 for the batch mean L = (1/m) Σ loss, m = `batchSize` (rows may be part of the batch). Lanes classes..<ldDelta are zeroed so
/// the padded buffer can feed 16-lane kernels. Cross-entropy: (p − y)/m. MSE on the probabilities:
/// with g = (p − y)/m, δ2 = J_softmaxᵀ g = p ⊙ (g − ⟨g, p⟩).
func outputDelta(_ loss: LossFunction, probabilities: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                 delta: UnsafeMutablePointer<Float>, ldDelta: Int, rows: Int, classes: Int, batchSize: Int) {
    let scale = 1 / Float(batchSize)
    for r in 0..<rows {
        let p = probabilities + r * classes, d = delta + r * ldDelta
        let label = Int(labels[r])
        for c in 0..<classes { d[c] = (p[c] - (c == label ? 1 : 0)) * scale }
        for c in classes..<ldDelta { d[c] = 0 }
        if loss == .mse {
            var dot: Float = 0
            for c in 0..<classes { dot += d[c] * p[c] }
            for c in 0..<classes { d[c] = p[c] * (d[c] - dot) }
        }
    }
}

/// The first index of the largest value (ties go to the lowest index); −1 for an empty buffer.
public func argmax(_ p: UnsafeBufferPointer<Float>) -> Int {
    guard !p.isEmpty else { return -1 }
    var best = 0
    for i in 1..<p.count where p[i] > p[best] { best = i }
    return best
}
