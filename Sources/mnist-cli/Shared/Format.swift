#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore

/// "97.61%" from 0.97612.
func percent(_ fraction: Double, _ digits: Int = 2) -> String { fixed(fraction * 100, digits) + "%" }

/// Right-aligns text in a column of `width` characters.
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

/// Left-aligns text in a column of `width` characters.
func leftAligned(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

/// "1.23e-05": three significant digits for figures that span many orders of magnitude.
func scientific(_ value: Double) -> String {
    guard value.isFinite, value != 0 else { return value == 0 ? "0" : "\(value)" }
    var exponent = Int(log10(abs(value)).rounded(.down))
    var mantissa = value / pow(10, Double(exponent))
    if abs(mantissa) >= 9.995 { mantissa /= 10; exponent += 1 }
    return fixed(mantissa, 2) + "e" + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
}
