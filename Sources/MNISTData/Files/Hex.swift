/// "0b", "0000f00f": the value as hex digits, zero-padded to the width of its type.
func hexDigits<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: Value.bitWidth / 4 - digits.count) + digits
}

/// "0x0b", "0x0000f00f": `hexDigits` as a literal, for messages about bytes and masks.
func hex<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value) -> String {
    "0x" + hexDigits(value)
}
