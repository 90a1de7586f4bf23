/// Where the tiles of a grid picture go: `count` tiles of `tileWidth` x `tileHeight` pixels in
/// `columns` columns, each over a caption of a few lines. A cell is as wide as its widest caption,
/// so labels never overlap the next tile.
public struct TileGrid: Sendable, Equatable {
    let count: Int
    let columns: Int
    let tileWidth: Int
    let tileHeight: Int
    let captionLines: Int
    let cellWidth: Int
    let cellHeight: Int
    static let margin = 6
    static let gap = 6

    init(count: Int, columns: Int, tileWidth: Int, tileHeight: Int, captions: [[String]]) {
        self.count = count
        self.columns = max(1, min(columns, count))
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        captionLines = captions.map(\.count).max() ?? 0
        cellWidth = max(tileWidth, captions.joined().map { BitmapFont.width(of: $0) }.max() ?? 0)
        cellHeight = tileHeight + (captionLines > 0 ? 3 + captionLines * BitmapFont.lineHeight : 0)
    }

    var rows: Int { (count + columns - 1) / columns }
    var width: Int { 2 * Self.margin + columns * cellWidth + (columns - 1) * Self.gap }
    var height: Int { 2 * Self.margin + max(rows, 1) * cellHeight + (max(rows, 1) - 1) * Self.gap }

    /// Top-left pixel of tile `index`'s cell.
    func cellOrigin(_ index: Int) -> (x: Int, y: Int) {
        (Self.margin + (index % columns) * (cellWidth + Self.gap), Self.margin + (index / columns) * (cellHeight + Self.gap))
    }

    /// Top-left pixel of tile `index` itself, centred in its cell.
    func tileOrigin(_ index: Int) -> (x: Int, y: Int) {
        let cell = cellOrigin(index)
        return (cell.x + (cellWidth - tileWidth) / 2, cell.y)
    }
}

/// A grid picture and the layout it was drawn with, so callers (and tests) can find each tile.
public struct TilePicture: Sendable {
    public let canvas: PictureCanvas
    let grid: TileGrid
}

/// Roughly square: the number of columns for `count` tiles.
func squareGridColumns(_ count: Int) -> Int {
    max(1, Int(Double(count).squareRoot().rounded(.up)))
}

/// `count` images of `imageWidth` x `imageHeight` source pixels, each source pixel a `scale` x
/// `scale` block, its colour `pixel(tile, x, y)`; `captions[tile]` (if any) in lines under it.
func tileGridPicture(count: Int, imageWidth: Int, imageHeight: Int, scale: Int, columns: Int,
                            captions: [[String]], pixel: (_ tile: Int, _ x: Int, _ y: Int) -> RGBColour) -> TilePicture {
    let grid = TileGrid(count: count, columns: columns, tileWidth: imageWidth * scale, tileHeight: imageHeight * scale,
                        captions: captions)
    var canvas = PictureCanvas(width: grid.width, height: grid.height)
    for tile in 0..<count {
        let origin = grid.tileOrigin(tile)
        for y in 0..<imageHeight {
            for x in 0..<imageWidth {
                canvas.fill(x: origin.x + x * scale, y: origin.y + y * scale, width: scale, height: scale,
                            with: pixel(tile, x, y))
            }
        }
        let cell = grid.cellOrigin(tile)
        for (line, text) in (tile < captions.count ? captions[tile] : []).enumerated() {
            canvas.draw(text, x: cell.x + (grid.cellWidth - BitmapFont.width(of: text)) / 2,
                        y: origin.y + grid.tileHeight + 3 + line * BitmapFont.lineHeight)
        }
    }
    return TilePicture(canvas: canvas, grid: grid)
}
