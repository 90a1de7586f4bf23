/// What the weights look like as pictures: the numbers behind `draw templates` and `draw classes`.
/// W1 is (inputs, hidden) and W2 is (hidden, outputs), row-major, in `parameters`.
extension MLP {
    /// Hidden unit `unit`'s incoming weights, one per input: column `unit` of W1.
    public func incomingWeights(ofHiddenUnit unit: Int) -> [Float] {
        let hidden = shape.hidden, w1 = shape.w1Offset
        return (0..<shape.inputs).map { parameters[w1 + $0 * hidden + unit] }
    }

    /// Output class `c`'s template, W1·W2[:, c]: each hidden unit's incoming weights, weighted by
    /// how much that unit votes for c. It is the gradient of c's score with respect to the
    /// (normalised) input when every hidden unit is in its linear range, so it shows which pixels
    /// push towards c and which against it; it ignores the biases and where ReLU cuts a unit off.
    public func classTemplate(_ c: Int) -> [Float] {
        let hidden = shape.hidden, outputs = shape.outputs, w1 = shape.w1Offset, w2 = shape.w2Offset
        let votes = (0..<hidden).map { Double(parameters[w2 + $0 * outputs + c]) }
        return (0..<shape.inputs).map { i in
            var sum = 0.0
            for j in 0..<hidden { sum += Double(parameters[w1 + i * hidden + j]) * votes[j] }
            return Float(sum)
        }
    }
}
