/// A 5x7 bitmap font for the words inside PNG pictures: digits, capital letters (lower case is drawn
/// as capitals: at 7 pixels, small letters are not worth their glyphs), space and `% . - / → : ? ( ) '
/// , + _ =`. Any other character is drawn as `?`, so no label ever goes missing silently.
public enum BitmapFont {
    public static let glyphWidth = 5
    public static let glyphHeight = 7
    /// Horizontal distance from one character to the next, one blank column included.
    static let advance = 6
    /// Vertical distance from one line to the next.
    static let lineHeight = 9

    /// Each glyph's rows, top first; `#` is ink.
    static let glyphs: [Character: [String]] = {
        let table: [(Character, String)] = [
            ("0", ".###. #...# #..## #.#.# ##..# #...# .###."), ("1", "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###."),
            ("2", ".###. #...# ....# ...#. ..#.. .#... #####"), ("3", "##### ...#. ..#.. ...#. ....# #...# .###."),
            ("4", "...#. ..##. .#.#. #..#. ##### ...#. ...#."), ("5", "##### #.... ####. ....# ....# #...# .###."),
            ("6", "..##. .#... #.... ####. #...# #...# .###."), ("7", "##### ....# ...#. ..#.. .#... .#... .#..."),
            ("8", ".###. #...# #...# .###. #...# #...# .###."), ("9", ".###. #...# #...# .#### ....# ...#. .##.."),
            ("A", ".###. #...# #...# ##### #...# #...# #...#"), ("B", "####. #...# #...# ####. #...# #...# ####."),
            ("C", ".###. #...# #.... #.... #.... #...# .###."), ("D", "###.. #..#. #...# #...# #...# #..#. ###.."),
            ("E", "##### #.... #.... ####. #.... #.... #####"), ("F", "##### #.... #.... ####. #.... #.... #...."),
            ("G", ".###. #...# #.... #.### #...# #...# .####"), ("H", "#...# #...# #...# ##### #...# #...# #...#"),
            ("I", ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###."), ("J", "..### ...#. ...#. ...#. ...#. #..#. .##.."),
            ("K", "#...# #..#. #.#.. ##... #.#.. #..#. #...#"), ("L", "#.... #.... #.... #.... #.... #.... #####"),
            ("M", "#...# ##.## #.#.# #.#.# #...# #...# #...#"), ("N", "#...# #...# ##..# #.#.# #..## #...# #...#"),
            ("O", ".###. #...# #...# #...# #...# #...# .###."), ("P", "####. #...# #...# ####. #.... #.... #...."),
            ("Q", ".###. #...# #...# #...# #.#.# #..#. .##.#"), ("R", "####. #...# #...# ####. #.#.. #..#. #...#"),
            ("S", ".#### #.... #.... .###. ....# ....# ####."), ("T", "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#.."),
            ("U", "#...# #...# #...# #...# #...# #...# .###."), ("V", "#...# #...# #...# #...# #...# .#.#. ..#.."),
            ("W", "#...# #...# #...# #.#.# #.#.# #.#.# .#.#."), ("X", "#...# #...# .#.#. ..#.. .#.#. #...# #...#"),
            ("Y", "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#.."), ("Z", "##### ....# ...#. ..#.. .#... #.... #####"),
            (" ", "..... ..... ..... ..... ..... ..... ....."), ("%", "##... ##..# ...#. ..#.. .#... #..## ...##"),
            (".", "..... ..... ..... ..... ..... .##.. .##.."), ("-", "..... ..... ..... .###. ..... ..... ....."),
            ("/", "..... ....# ...#. ..#.. .#... #.... ....."), ("→", "..... ..#.. ...#. ##### ...#. ..#.. ....."),
            (":", "..... .##.. .##.. ..... .##.. .##.. ....."), ("?", ".###. #...# ....# ...#. ..#.. ..... ..#.."),
            ("(", "...#. ..#.. .#... .#... .#... ..#.. ...#."), (")", ".#... ..#.. ...#. ...#. ...#. ..#.. .#..."),
            ("'", "..#.. ..#.. .#... ..... ..... ..... ....."), (",", "..... ..... ..... ..... .##.. ..#.. .#..."),
            ("+", "..... ..#.. ..#.. ##### ..#.. ..#.. ....."), ("_", "..... ..... ..... ..... ..... ..... #####"),
            ("=", "..... ..... ##### ..... ##### ..... ....."),
        ]
        return Dictionary(uniqueKeysWithValues: table.map { ($0.0, $0.1.split(separator: " ").map(String.init)) })
    }()

    /// The glyph `character` is drawn with: its capital, or `?` when the font has neither.
    static func glyph(for character: Character) -> [String] {
        let capital = character.uppercased()
        return glyphs[character] ?? (capital.count == 1 ? glyphs[capital.first!] : nil) ?? glyphs["?"]!
    }

    /// Whether `(column, row)` of `character`'s glyph is ink.
    public static func isInk(_ character: Character, column: Int, row: Int) -> Bool {
        let rows = glyph(for: character)
        return Array(rows[row])[column] == "#"
    }

    /// Width in pixels of `text` on one line at `scale`, without the trailing blank column.
    public static func width(of text: String, scale: Int = 1) -> Int {
        text.isEmpty ? 0 : (text.count * advance - 1) * scale
    }
}

extension PictureCanvas {
    /// Draws `text` on one line with its top-left corner at (x, y), each font pixel `scale`
    /// pixels square.
    mutating func draw(_ text: String, x: Int, y: Int, colour: RGBColour = .black, scale: Int = 1) {
        for (i, character) in text.enumerated() {
            let rows = BitmapFont.glyph(for: character)
            for (row, bits) in rows.enumerated() {
                for (column, bit) in bits.enumerated() where bit == "#" {
                    fill(x: x + (i * BitmapFont.advance + column) * scale, y: y + row * scale,
                         width: scale, height: scale, with: colour)
                }
            }
        }
    }
}
