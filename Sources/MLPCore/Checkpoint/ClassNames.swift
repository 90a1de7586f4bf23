/// Names for the output classes of a dataset that is not digits: a names file (one per line,
/// class 0 first) read and checked, and the NAME checkpoint section that keeps them with the model.
public enum ClassNames {
    /// Longest name, in characters: a label for a table column or a picture caption, not prose.
    static let maximumLength = 64

    /// The names in `bytes`, one per line ("\n" or "\r\n", a final newline optional), checked:
    /// UTF-8, exactly `classes` lines, none empty or all blank, none longer than `maximumLength`,
    /// no control characters (they would garble the terminal and the tables).
    public static func parse(_ bytes: [UInt8], classes: Int) throws(ClassNamesError) -> [String] {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8 }
        // Split as bytes: as Characters, "\r\n" is one grapheme and never equals "\n".
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        guard lines.count == classes else { throw .wrongCount(found: lines.count, classes: classes) }
        for (index, name) in lines.enumerated() { try check(name, line: index + 1) }
        return lines
    }

    static func check(_ name: String, line: Int) throws(ClassNamesError) {
        guard !name.allSatisfy(\.isWhitespace) else { throw .emptyName(line: line) }
        guard name.count <= maximumLength else { throw .tooLong(line: line, length: name.count) }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .controlCharacter(line: line)
        }
    }

    /// NAME: u32 count, then each name as u32 byte length and UTF-8.
    static func encoded(_ names: [String]) -> [UInt8] {
        var out = ByteWriter()
        out.u32(UInt32(truncatingIfNeeded: names.count))
        for name in names { out.string(name) }
        return out.bytes
    }

    static func decoded(_ payload: [UInt8], classes: Int) throws(CheckpointError) -> [String] {
        func bad(_ reason: String) -> CheckpointError { .badSection(tag: Checkpoint.classNamesTag, reason: reason) }
        var input = ByteReader(bytes: payload, offset: 0)
        guard input.remaining >= 4 else { throw bad("holds \(payload.count) bytes, too few for its count") }
        let count = Int(input.u32())
        guard count == classes else { throw bad("names \(count) classes but the model has \(classes)") }
        var names: [String] = []
        for index in 0..<count {
            guard input.remaining >= 4, case let length = Int(input.peekU32()), input.remaining - 4 >= length else {
                throw bad("name \(index + 1) runs past its end")
            }
            input.offset += 4
            guard let name = String(validating: input.raw(length), as: UTF8.self) else { throw bad("name \(index + 1) is not UTF-8") }
            do { try check(name, line: index + 1) } catch { throw bad("\(error)") }
            names.append(name)
        }
        guard input.remaining == 0 else { throw bad("has \(input.remaining) bytes after its names") }
        return names
    }
}

public enum ClassNamesError: Error, Equatable, CustomStringConvertible {
    case notUTF8
    case wrongCount(found: Int, classes: Int)
    case emptyName(line: Int)
    case tooLong(line: Int, length: Int)
    case controlCharacter(line: Int)

    public var description: String {
        switch self {
        case .notUTF8: "is not UTF-8 text"
        case let .wrongCount(found, classes): "has \(found) name\(found == 1 ? "" : "s") but the data has \(classes) classes; give one name per line, class 0 first"
        case let .emptyName(line): "line \(line) is empty; every class needs a name"
        case let .tooLong(line, length): "line \(line) is \(length) characters long; names are at most \(ClassNames.maximumLength)"
        case let .controlCharacter(line): "line \(line) holds a control character"
        }
    }
}
