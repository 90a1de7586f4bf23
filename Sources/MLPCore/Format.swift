/// Fixed-point text without Foundation: fixed(0.97612, 4) == "0.9761". Non-finite values print as-is.
public func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (abs(value) * scale).rounded()
    guard rounded < 1e18 else { return "\(value)" }
    let whole = UInt64(rounded)
    let unit = UInt64(scale)
    var text = "\(whole / unit)"
    if digits > 0 {
        let frac = "\(whole % unit)"
        text += "." + String(repeating: "0", count: digits - frac.count) + frac
    }
    return (value < 0 && rounded != 0 ? "-" : "") + text
}

/// The Double nearest the Float's shortest decimal form: a learning rate of 0.1 (a Float) reads
/// 0.1 in JSON and CSV, not 0.10000000149011612.
public func decimalDouble(_ value: Float) -> Double {
    Double("\(value)") ?? Double(value)
}
