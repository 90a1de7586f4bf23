import MLPCore

/// "97.61%" from 0.97612.
func percent(_ fraction: Double, _ digits: Int = 2) -> String { fixed(fraction * 100, digits) + "%" }

/// Right-aligns text in a column of `width` characters.
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
