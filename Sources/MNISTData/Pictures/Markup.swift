/// `text` made safe as the content of an HTML, XHTML or SVG element or of a quoted attribute:
/// `& < > " '` become entities, and characters XML 1.0 forbids (controls other than tab, line feed
/// and carriage return; U+FFFE, U+FFFF) become U+FFFD, so a hostile file name or class name can
/// neither add markup nor make the page stop parsing.
func markupEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
            out += "\u{FFFD}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
