/// Pearson correlation of two equally long byte images: 1 for the same picture up to brightness
/// and contrast, near 0 for unrelated ones.
public func correlation(_ a: [UInt8], _ b: [UInt8]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) {
        let dx = Double(x) - ma, dy = Double(y) - mb
        sab += dx * dy; saa += dx * dx; sbb += dy * dy
    }
    return sab / (saa * sbb).squareRoot()
}
