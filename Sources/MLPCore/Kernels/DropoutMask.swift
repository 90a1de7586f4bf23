/// Dropout on the hidden layer inside the forward and backward passes; the masks are drawn as
/// `Dropout` says.

/// Where a training batch's dropout masks come from.
enum BatchDropout {
    /// Drawn per sample: `samples[r]` is row r's index in the training set, in epoch `epoch`.
    case drawn(Dropout, epoch: Int, samples: UnsafeBufferPointer<Int32>)
    /// Given whole, (count, hidden) factors, for checking the gradient through a fixed mask.
    case fixed(UnsafePointer<Float>)

    /// Row `row`'s factors, `hidden` of them, into `out`.
    func scales(row: Int, hidden: Int, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case let .drawn(dropout, epoch, samples):
            dropout.scales(epoch: epoch, sample: Int(samples[row]), into: out, count: hidden)
        case let .fixed(all):
            out.update(from: all + row * hidden, count: hidden)
        }
    }
}

/// h, activated and scales are (rows, cols) with leading dimension ld: activated ← h, then
/// h ← h ⊙ scales. activated keeps what the activation gave, from which backprop takes its
/// derivative; h is what the next layer sees.
func dropoutForward(_ h: UnsafeMutablePointer<Float>, activated: UnsafeMutablePointer<Float>, scales: UnsafePointer<Float>,
                    rows: Int, cols: Int, ld: Int) {
    for r in 0..<rows {
        let row = h + r * ld, saved = activated + r * ld, factor = scales + r * ld
        for c in 0..<cols {
            saved[c] = row[c]
            row[c] *= factor[c]
        }
    }
}

/// delta and scales are (rows, cols) with leading dimension ld: δ ← δ ⊙ scales, the mask's
/// part of ∂h/∂z1 (a dropped unit passes no gradient, a kept one its scale).
func dropoutBackward(_ delta: UnsafeMutablePointer<Float>, scales: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int) {
    for r in 0..<rows {
        let d = delta + r * ld, factor = scales + r * ld
        for c in 0..<cols { d[c] *= factor[c] }
    }
}
