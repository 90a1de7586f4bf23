/// A self-contained page built a piece at a time: every text given to it is escaped here, so
/// whatever a file name or a class name holds, it stays text. The result is well-formed XML
/// (void elements closed, no named entities but XML's), so it can be checked with an XML parser,
/// and it refers to nothing outside itself: pictures are data: URIs or inline SVG.
public struct HTMLPage: Sendable {
    private var body = ""
    let title: String

    public init(title: String) { self.title = title }

    public mutating func heading(_ text: String, level: Int = 2) {
        body += "<h\(level)>\(markupEscaped(text))</h\(level)>\n"
    }

    public mutating func paragraph(_ text: String) {
        body += "<p>\(markupEscaped(text))</p>\n"
    }

    /// A table; `header` may be empty. Cells are text.
    public mutating func table(header: [String], rows: [[String]], className: String = "") {
        body += "<table\(className.isEmpty ? "" : " class=\"\(markupEscaped(className))\"")>\n"
        if !header.isEmpty {
            body += "<tr>" + header.map { "<th>\(markupEscaped($0))</th>" }.joined() + "</tr>\n"
        }
        for row in rows { body += "<tr>" + row.map { "<td>\(markupEscaped($0))</td>" }.joined() + "</tr>\n" }
        body += "</table>\n"
    }

    /// A PNG shown `width` x `height` (its own size or a multiple: the page draws it pixelated),
    /// in the page as a data: URI.
    public mutating func image(png: [UInt8], width: Int, height: Int, alt: String) {
        body += "<p><img src=\"\(pngDataURI(png))\" width=\"\(width)\" height=\"\(height)\" alt=\"\(markupEscaped(alt))\"/></p>\n"
    }

    /// An SVG built by this module (its texts already escaped), inline.
    public mutating func svg(_ markup: String) {
        body += "<div class=\"chart\">\n" + markup + "</div>\n"
    }

    /// What `build` adds, laid out side by side (wrapping on a narrow screen).
    public mutating func sideBySide(_ build: (inout HTMLPage) -> Void) {
        body += "<div class=\"side-by-side\">\n"
        build(&self)
        body += "</div>\n"
    }

    /// The whole page.
    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <title>\(markupEscaped(title))</title>
        <style>
        body { font-family: sans-serif; max-width: 80em; margin: 1.5em auto; padding: 0 1em; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; } td, th { padding: 0.15em 0.8em; text-align: left; }
        tr:nth-child(even) td { background: #f4f4f4; }
        table.numbers td + td { text-align: right; }
        img { image-rendering: pixelated; max-width: 100%; height: auto; }
        .chart svg { max-width: 100%; height: auto; }
        .side-by-side { display: flex; flex-wrap: wrap; gap: 0 2.5em; align-items: flex-start; }
        </style>
        </head>
        <body>
        <h1>\(markupEscaped(title))</h1>
        \(body)</body>
        </html>

        """
    }
}
