#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far one parameter block's analytic gradient is from central differences.
public struct GradientBlockCheck: Sendable, Equatable {
    /// "W1", "b1", "W2" or "b2".
    public var name: String
    public var entries: Int
    /// Entries compared; the rest were skipped because a perturbation could carry a ReLU unit
    /// across its kink, where the loss has no derivative.
    public var checked: Int
    public var skipped: Int { entries - checked }
    /// The largest |∂L/∂θ| seen (numeric), so a block whose gradient is all ~0 shows as such.
    public var largestGradient: Double
    /// max |analytic − numeric| / max(|analytic|, |numeric|, floor) over the checked entries.
    public var maxRelativeError: Double
    /// Where that worst entry is, as an index into the parameter layout.
    var worstIndex: Int
}

/// The analytic gradient (the Trainer's own backprop, single-threaded, Float) against central
/// differences of the same loss computed in Double, for every parameter, block by block.
public struct GradientCheck: Sendable {
    public var blocks: [GradientBlockCheck]
    public var epsilon: Double

    /// Central-difference step, on parameters held in Double. The truncation error is O(ε²)
    /// (~1e-12) and Double's rounding O(1e-16/ε) (~1e-10), both far below the Float analytic
    /// gradient's own rounding (~1e-7 relative); in Float itself no ε would do, as the loss's
    /// 24-bit mantissa leaves too few digits for the difference.
    public static let defaultEpsilon = 1e-6
    /// Agreement expected of a correct Float backprop: measured on MNIST it is 1e-6 to 1e-4 per
    /// block; a real bug (a missing factor, a wrong sign, a transposed index, even a 1% slip)
    /// is off by 1e-2 and more. 1e-3 sits between, with room either side.
    public static let defaultTolerance = 1e-3
    /// Entries smaller than this fraction of their block's largest are compared against that floor,
    /// not themselves: Float rounding in backprop is ~1e-7 of the block's largest entry, so an entry
    /// at 1e-4 of it already carries a 1e-3 "error" that is only noise (seen on MNIST's W1).
    static let relativeFloor = 1e-3

    public func passes(tolerance: Double = defaultTolerance) -> Bool {
        blocks.allSatisfy { $0.maxRelativeError <= tolerance }
    }

    /// ∂(mean loss)/∂θ of `model` on x (count, inputs) and labels (count), by the code training runs;
    /// with `dropoutScales` (count, hidden), through that fixed dropout mask.
    public static func analytic(model: MLP, loss: LossFunction, x: [Float], labels: [Int32], dropoutScales: [Float]? = nil) -> [Float] {
        x.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { labels in
                (dropoutScales ?? []).withUnsafeBufferPointer { scales in
                    gradients(model: model, loss: loss, x: x.baseAddress!, labels: labels.baseAddress!, count: labels.count,
                              dropoutScales: dropoutScales == nil ? nil : scales.baseAddress)
                }
            }
        }
    }

    /// Compares `analytic` (parameter layout) with central differences of the mean loss of `model`
    /// on x (count, inputs) and labels (count). Each perturbation recomputes, in Double, exactly what
    /// that parameter touches (one hidden unit's z1, or one logit) and each sample's loss from there,
    /// so every parameter of a 784-16-10 network is checked in well under a second.
    /// With `dropoutScales` (count, hidden), h is masked by them as training masks it.
    public init(model: MLP, loss: LossFunction, x: [Float], labels: [Int32], analytic: [Float],
                epsilon: Double = defaultEpsilon, dropoutScales: [Float]? = nil) {
        self.epsilon = epsilon
        let net = DoubleForward(model: model, loss: loss, x: x, labels: labels, dropoutScales: dropoutScales)
        let shape = model.shape, (d, h, c) = (shape.inputs, shape.hidden, shape.outputs), m = labels.count
        let largestInput = x.lazy.map { Double(abs($0)) }.max() ?? 0
        // A perturbation moves z1 by at most ε·max|x|; the Float forward's z1 differs from this one
        // by ~1e-5 at most. A unit with any z1 nearer its kink than that is not compared.
        let kinkMargin = max(2 * epsilon * max(largestInput, 1), 1e-4)
        func nearKink(_ j: Int, input i: Int?) -> Bool {
            guard model.activation.canDie else { return false }
            return (0..<m).contains { s in (i.map { x[s * d + $0] != 0 } ?? true) && abs(net.z1[s * h + j]) < kinkMargin }
        }

        var numeric = [Double](repeating: .nan, count: shape.parameterCount)
        for i in 0..<d {
            for j in 0..<h where !nearKink(j, input: i) {
                numeric[shape.w1Offset + i * h + j] = net.hiddenDifference(unit: j, epsilon: epsilon) { s in Double(x[s * d + i]) }
            }
        }
        for j in 0..<h where !nearKink(j, input: nil) {
            numeric[shape.b1Offset + j] = net.hiddenDifference(unit: j, epsilon: epsilon) { _ in 1 }
        }
        for j in 0..<h {
            for k in 0..<c { numeric[shape.w2Offset + j * c + k] = net.logitDifference(k, epsilon: epsilon) { s in net.h[s * h + j] } }
        }
        for k in 0..<c { numeric[shape.b2Offset + k] = net.logitDifference(k, epsilon: epsilon) { _ in 1 } }

        blocks = shape.blocks.map { name, range in
            let checked = range.filter { !numeric[$0].isNaN }
            let largest = checked.map { abs(numeric[$0]) }.max() ?? 0
            let floor = max(largest * Self.relativeFloor, 1e-12)
            var worst = 0.0, worstIndex = range.lowerBound
            for p in checked {
                let a = Double(analytic[p]), n = numeric[p]
                let error = abs(a - n) / max(abs(a), abs(n), floor)
                // NaN (a broken analytic value) must count as the worst, not slip past `>`.
                if error > worst || error.isNaN { worst = error.isNaN ? .infinity : error; worstIndex = p }
            }
            return GradientBlockCheck(name: name, entries: range.count, checked: checked.count, largestGradient: largest,
                                      maxRelativeError: worst, worstIndex: worstIndex)
        }
    }
}

extension MLPShape {
    /// The four parameter blocks by name, in layout order.
    public var blocks: [(name: String, range: Range<Int>)] {
        [("W1", w1Offset..<b1Offset), ("b1", b1Offset..<w2Offset), ("W2", w2Offset..<b2Offset), ("b2", b2Offset..<parameterCount)]
    }
}

/// The network's forward pass in Double, kept whole (z1, h, logits per sample) so one parameter's
/// effect can be recomputed alone.
private struct DoubleForward {
    let model: MLP
    let loss: LossFunction
    let labels: [Int32]
    var z1: [Double], h: [Double], logits: [Double]
    /// Dropout's factors per sample and hidden unit (all 1 without dropout).
    let scales: [Double]

    init(model: MLP, loss: LossFunction, x: [Float], labels: [Int32], dropoutScales: [Float]? = nil) {
        self.model = model
        self.loss = loss
        self.labels = labels
        let s = model.shape, w = model.parameters, m = labels.count
        scales = dropoutScales?.map(Double.init) ?? [Double](repeating: 1, count: m * s.hidden)
        z1 = [Double](repeating: 0, count: m * s.hidden)
        logits = [Double](repeating: 0, count: m * s.outputs)
        for r in 0..<m {
            for j in 0..<s.hidden {
                var z = Double(w[s.b1Offset + j])
                for i in 0..<s.inputs where x[r * s.inputs + i] != 0 {
                    z += Double(x[r * s.inputs + i]) * Double(w[s.w1Offset + i * s.hidden + j])
                }
                z1[r * s.hidden + j] = z
            }
        }
        h = []
        h = zip(z1, scales).map { f($0) * $1 }
        for r in 0..<m {
            for k in 0..<s.outputs {
                var z = Double(w[s.b2Offset + k])
                for j in 0..<s.hidden { z += h[r * s.hidden + j] * Double(w[s.w2Offset + j * s.outputs + k]) }
                logits[r * s.outputs + k] = z
            }
        }
    }

    func f(_ z: Double) -> Double {
        switch model.activation {
        case .relu: max(z, 0)
        case .leakyRelu: z > 0 ? z : Double(model.leak) * z
        case .sigmoid: 1 / (1 + exp(-z))
        case .tanh: tanh(z)
        }
    }

    /// One sample's loss from its logits (softmax shifted by the maximum, as the Float code does).
    func sampleLoss(_ z: [Double], label: Int) -> Double {
        let top = z.max()!
        let e = z.map { exp($0 - top) }, total = e.reduce(0, +)
        switch loss {
        case .crossEntropy:
            return log(total) - (z[label] - top)
        case .mse:
            return e.indices.reduce(0.0) { sum, k in let diff = e[k] / total - (k == label ? 1 : 0); return sum + diff * diff / 2 }
        }
    }

    /// (L(θ + ε) − L(θ − ε)) / 2ε for a parameter that moves hidden unit j's z1 by ε·slope(sample),
    /// summed per sample so unaffected samples add nothing, not rounding.
    func hiddenDifference(unit j: Int, epsilon: Double, slope: (Int) -> Double) -> Double {
        let s = model.shape, c = s.outputs, m = labels.count
        var total = 0.0
        for r in 0..<m {
            let dz = epsilon * slope(r)
            guard dz != 0 else { continue }
            let z = z1[r * s.hidden + j], base = Array(logits[(r * c)..<((r + 1) * c)])
            func moved(_ z1: Double) -> Double {
                let dh = f(z1) * scales[r * s.hidden + j] - h[r * s.hidden + j]
                let shifted = (0..<c).map { base[$0] + dh * Double(model.parameters[s.w2Offset + j * c + $0]) }
                return sampleLoss(shifted, label: Int(labels[r]))
            }
            total += moved(z + dz) - moved(z - dz)
        }
        return total / (2 * epsilon * Double(m))
    }

    /// The same for a parameter that moves logit k by ε·slope(sample).
    func logitDifference(_ k: Int, epsilon: Double, slope: (Int) -> Double) -> Double {
        let c = model.shape.outputs, m = labels.count
        var total = 0.0
        for r in 0..<m {
            let dz = epsilon * slope(r)
            guard dz != 0 else { continue }
            var up = Array(logits[(r * c)..<((r + 1) * c)]), down = up
            up[k] += dz
            down[k] -= dz
            total += sampleLoss(up, label: Int(labels[r])) - sampleLoss(down, label: Int(labels[r]))
        }
        return total / (2 * epsilon * Double(m))
    }
}
