/// Otsu's split of values into a dark and a light class: the threshold that maximises the
/// variance between the classes' means, over 256 bins spanning the values' own min...max (so a
/// 16-bit scan using a sliver of the range is split as finely as a full-range one). Values at or
/// above `threshold` are light. `separation` is the share of all variance that lies between the
/// classes: near 1 for two distinct levels, 0.75 for an even ramp, 0.64 for one Gaussian's noise.
/// nil when every value is the same.
func otsuSplit(_ values: [Float]) -> (threshold: Float, darkMean: Float, lightMean: Float, separation: Float)? {
    guard let low = values.min(), let high = values.max(), high > low else { return nil }
    let bins = 256, width = (high - low) / Float(bins)
    var counts = [Double](repeating: 0, count: bins), sums = [Double](repeating: 0, count: bins)
    var squares = 0.0
    for v in values {
        let b = min(bins - 1, Int((v - low) / width))
        counts[b] += 1
        sums[b] += Double(v)
        squares += Double(v) * Double(v)
    }
    let total = Double(values.count), totalSum = sums.reduce(0, +)
    let variance = squares / total - (totalSum / total) * (totalSum / total)
    var best = (score: -1.0, bin: 0, darkMean: 0.0, lightMean: 0.0)
    var n = 0.0, s = 0.0
    for b in 0..<(bins - 1) {
        n += counts[b]; s += sums[b]
        guard n > 0, n < total else { continue }
        let darkMean = s / n, lightMean = (totalSum - s) / (total - n)
        let score = n * (total - n) * (lightMean - darkMean) * (lightMean - darkMean)
        if score > best.score { best = (score, b, darkMean, lightMean) }
    }
    let between = best.score / (total * total)
    return (low + Float(best.bin + 1) * width, Float(best.darkMean), Float(best.lightMean),
            variance > 0 ? Float(min(1, between / variance)) : 1)
}
