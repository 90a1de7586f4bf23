/// Just enough JSON for our output lines: objects keep their key order, non-finite numbers become null.
enum JSON {
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case array([JSON])
    case object([(String, JSON)])  // keys in the order given
    case null

    var text: String {
        switch self {
        case .number(let x): return x.isFinite ? "\(x)" : "null"
        case .integer(let n): return "\(n)"
        case .string(let s): return JSON.quoted(s)
        case .bool(let b): return b ? "true" : "false"
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let pairs): return JSON.objectText(pairs)
        case .null: return "null"
        }
    }

    private static func objectText(_ pairs: [(String, JSON)]) -> String {
        "{" + pairs.map { quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension JSON {
    static func numbers(_ values: some Sequence<Double>) -> JSON { .array(values.map { .number($0) }) }
}
