/// Otsu's split of values into a dark and a light class: the threshold that maximises the
/// variance between the classes' means, over 256 bins spanning the values' own min...max (so a
/// 16-bit scan using a sliver of the range is split as finely as a full-range one; each value
/// counts at its bin's centre, within 1/512 of the range). Values at or above `threshold` are
/// light. `separation` is the share of all variance that lies between the classes: near 1 for
/// two distinct levels, 0.75 for an even ramp, 0.64 for one Gaussian's noise. nil when every
/// value is the same.
func otsuSplit(_ values: [Float]) -> (threshold: Float, darkMean: Float, lightMean: Float, separation: Float)? {
    guard var low = values.first else { return nil }
    var high = low
    for v in values { low = min(low, v); high = max(high, v) }
    guard high > low else { return nil }
    let bins = 256, width = (high - low) / Float(bins), perBin = Float(bins) / (high - low)
    var counts = [Int](repeating: 0, count: bins)
    counts.withUnsafeMutableBufferPointer { counts in
        values.withUnsafeBufferPointer { values in
            for v in values { counts[min(bins - 1, Int((v - low) * perBin))] += 1 }
        }
    }
    func centre(_ b: Int) -> Double { Double(low) + (Double(b) + 0.5) * Double(width) }
    var total = 0.0, totalSum = 0.0, squares = 0.0
    for b in 0..<bins {
        let n = Double(counts[b])
        total += n; totalSum += n * centre(b); squares += n * centre(b) * centre(b)
    }
    let variance = squares / total - (totalSum / total) * (totalSum / total)
    var best = (score: -1.0, bin: 0, darkMean: 0.0, lightMean: 0.0)
    var n = 0.0, s = 0.0
    for b in 0..<(bins - 1) {
        n += Double(counts[b]); s += Double(counts[b]) * centre(b)
        guard n > 0, n < total else { continue }
        let darkMean = s / n, lightMean = (totalSum - s) / (total - n)
        let score = n * (total - n) * (lightMean - darkMean) * (lightMean - darkMean)
        if score > best.score { best = (score, b, darkMean, lightMean) }
    }
    let between = best.score / (total * total)
    return (low + Float(best.bin + 1) * width, Float(best.darkMean), Float(best.lightMean),
            variance > 0 ? Float(min(1, between / variance)) : 1)
}

/// Up to about `limit` of the values, evenly spread: enough for a histogram's split.
func evenlySpread(_ values: [Float], limit: Int = 1 << 14) -> [Float] {
    let step = max(1, values.count / limit)
    return step == 1 ? values : Swift.stride(from: 0, to: values.count, by: step).map { values[$0] }
}
