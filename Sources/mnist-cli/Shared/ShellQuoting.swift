/// `word` as a POSIX shell reads it back unchanged: as it is when it holds only characters no
/// shell treats specially, else in single quotes (a single quote inside becomes '\'').
func shellQuoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { c in
        c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || "@%+=:,./_-".unicodeScalars.contains(c))
    }
    return plain ? word : "'" + word.replacingAll("'", with: "'\\''") + "'"
}

/// A command line to paste into a POSIX shell: each word quoted as needed.
func shellCommand(_ words: [String]) -> String {
    words.map(shellQuoted).joined(separator: " ")
}

extension String {
    /// Every `target` replaced by `replacement` (without Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
