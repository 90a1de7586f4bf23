/// One sub-image of a PNG: its pixel (i, j) sits at image pixel (x0 + i*dx, y0 + j*dy).
/// A plain PNG has one pass covering everything; Adam7 has seven, some empty for small images.
struct PNGPass: Equatable {
    var x0: Int, y0: Int, dx: Int, dy: Int
    var width: Int, height: Int
    /// 1...7 for Adam7 passes, nil for a non-interlaced image (used in error messages).
    var number: Int?
}

/// Adam7's starting offsets and steps (x0, y0, dx, dy), PNG specification section 8.2.
private let adam7: [(x0: Int, y0: Int, dx: Int, dy: Int)] = [
    (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
]

/// The passes of a width x height image in file order, including empty ones (width or height 0),
/// which contribute no bytes to the stream.
func passes(width: Int, height: Int, interlaced: Bool) -> [PNGPass] {
    guard interlaced else {
        return [PNGPass(x0: 0, y0: 0, dx: 1, dy: 1, width: width, height: height, number: nil)]
    }
    return adam7.enumerated().map { index, p in
        PNGPass(x0: p.x0, y0: p.y0, dx: p.dx, dy: p.dy,
                width: width > p.x0 ? (width - p.x0 + p.dx - 1) / p.dx : 0,
                height: height > p.y0 ? (height - p.y0 + p.dy - 1) / p.dy : 0,
                number: index + 1)
    }
}
