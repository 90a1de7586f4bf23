/// The top probability below which an answer is too unsure to be a digit the model knows: what it
/// was shown may be no digit at all (a letter, a sign). Chosen from the reference model (784-128-10,
/// `make run`): below 0.85 fall 6.8% of MNIST's test digits (every 5th, drawn as plain PNGs and
/// read as `predict` reads them) but 58% of hand-drawn letters and signs (A, E, H, K, M, N, R, W,
/// X, Y, x, k, +, *, #; 600 of them). Letters a digit's shape shares (H reads as a 4 at 99%) it
/// cannot catch.
let unsureBelow: Float = 0.85

/// Whether the most likely class of `probabilities` is below `unsureBelow`.
public func isUnsure(_ probabilities: [Float]) -> Bool {
    (probabilities.max() ?? 0) < unsureBelow
}
