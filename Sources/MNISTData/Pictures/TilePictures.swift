/// Weight vectors as tiles: `tiles[k]` is (imageHeight, imageWidth) row-major, drawn in
/// `divergingColour` scaled by that tile's own largest |w| (so a unit with small weights still
/// shows its pattern; compare sizes across tiles by other means). An all-zero tile is white.
public func weightTilesPicture(_ tiles: [[Float]], imageWidth: Int, imageHeight: Int, captions: [[String]] = [],
                               scale: Int = 2, columns: Int? = nil) -> TilePicture {
    let largest = tiles.map { tile in tile.reduce(Float(0)) { max($0, abs($1)) } }
    return tileGridPicture(count: tiles.count, imageWidth: imageWidth, imageHeight: imageHeight, scale: scale,
                           columns: columns ?? squareGridColumns(tiles.count), captions: captions) { k, x, y in
        largest[k] > 0 ? divergingColour(tiles[k][y * imageWidth + x] / largest[k]) : .white
    }
}

/// Grey images as tiles, each pixel's value as it is (MNIST's white ink on black).
public func imageTilesPicture(_ images: [[UInt8]], imageWidth: Int, imageHeight: Int, captions: [[String]] = [],
                              scale: Int = 2, columns: Int? = nil) -> TilePicture {
    tileGridPicture(count: images.count, imageWidth: imageWidth, imageHeight: imageHeight, scale: scale,
                    columns: columns ?? squareGridColumns(images.count), captions: captions) { k, x, y in
        let v = images[k][y * imageWidth + x]
        return RGBColour(v, v, v)
    }
}
