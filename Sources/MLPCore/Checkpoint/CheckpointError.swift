public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case badMagic
    case unsupportedVersion(found: Int, supported: Int)
    case badHeaderLength(found: Int, expected: Int)
    case sizeOutOfRange(field: String, value: Int, limit: Int)
    case truncated(expected: Int, found: Int)
    case trailingBytes(expected: Int, found: Int)
    case badCRC(stored: UInt32, computed: UInt32)
    case unknownActivation(code: UInt8)
    case unknownLoss(code: UInt8)
    case unknownFlags(flags: UInt8, padding: UInt8)
    /// A tagged section that is malformed.
    case badSection(tag: String, reason: String)
    /// A header field that holds a value mnist-cli never writes there.
    case badField(field: String, reason: String)

    public var description: String {
        switch self {
        case .badMagic:
            "not an mnist-cli model file (it does not start with \"MNISTMLP\"); pass a file written by `mnist-cli train`"
        case let .unsupportedVersion(found, supported):
            "model file format version \(found) is not supported (this mnist-cli reads version \(supported)); retrain or use a matching mnist-cli"
        case let .badHeaderLength(found, expected):
            "header length is \(found) bytes but this format has \(expected); the file is damaged, retrain"
        case let .sizeOutOfRange(field, value, limit):
            "\(field) size \(value) is outside 1...\(limit); the file is damaged, retrain"
        case let .truncated(expected, found):
            "file is truncated: \(found) bytes where its header needs \(expected); copy it again or retrain"
        case let .trailingBytes(expected, found):
            "file has \(found - expected) unexpected bytes after its end (\(found) bytes, expected \(expected)); copy it again or retrain"
        case let .badCRC(stored, computed):
            "checksum mismatch (stored \(hex(stored)), computed \(hex(computed))): the file is corrupted; copy it again or retrain"
        case let .unknownActivation(code):
            "unknown activation code \(code); retrain or use a newer mnist-cli"
        case let .unknownLoss(code):
            "unknown loss code \(code); retrain or use a newer mnist-cli"
        case let .unknownFlags(flags, padding):
            "unknown flag bits (flags \(flags), padding \(padding)); retrain or use a newer mnist-cli"
        case let .badSection(tag, reason):
            "section \(tag) is malformed: \(reason); the file is damaged, retrain"
        case let .badField(field, reason):
            "header field \(field) is malformed: \(reason); the file is damaged, retrain"
        }
    }
}
