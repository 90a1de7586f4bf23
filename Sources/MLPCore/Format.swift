#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Numbers as text, without Foundation: the one place the library and the command line format them.

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

/// "97.61%" from 0.97612.
public func percent(_ fraction: Double, _ digits: Int = 2) -> String { fixed(fraction * 100, digits) + "%" }

/// "1.23e-05": three significant digits for figures that span many orders of magnitude.
public func scientific(_ value: Double) -> String {
    guard value.isFinite, value != 0 else { return value == 0 ? "0" : "\(value)" }
    var exponent = Int(log10(abs(value)).rounded(.down))
    var mantissa = value / pow(10, Double(exponent))
    if abs(mantissa) >= 9.995 { mantissa /= 10; exponent += 1 }
    return fixed(mantissa, 2) + "e" + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
}

/// "0x0a1b2c3d": a checksum as eight hex digits.
public func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
