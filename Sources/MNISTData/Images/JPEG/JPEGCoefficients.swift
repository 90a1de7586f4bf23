/// The quantised DCT coefficients of one component, kept only as far as the chosen scale needs:
/// at output side `side` (8, 4, 2 or 1 samples per block side), the side x side lowest
/// frequencies of each block, so memory follows the output, not the file's full size.
///
/// A class over raw memory because the scan decoders write into it through pointers in their
/// inner loops, scan after scan; it is freed with the decoder.
final class JPEGCoefficientStore {
    let side: Int
    let blocksWide: Int, blocksHigh: Int
    /// side * side coefficients a block, row-major in frequency (vertical, horizontal).
    let values: UnsafeMutableBufferPointer<Int16>
    /// Progressive JPEGs only: bit z set once the coefficient at zigzag position z is non-zero.
    /// A refinement scan reads a correction bit for each such coefficient, kept or not.
    let nonzero: UnsafeMutableBufferPointer<UInt64>?

    init(side: Int, blocksWide: Int, blocksHigh: Int, progressive: Bool) {
        self.side = side
        self.blocksWide = blocksWide
        self.blocksHigh = blocksHigh
        values = .allocate(capacity: blocksWide * blocksHigh * side * side)
        values.initialize(repeating: 0)
        if progressive {
            let masks = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: blocksWide * blocksHigh)
            masks.initialize(repeating: 0)
            nonzero = masks
        } else {
            nonzero = nil
        }
    }

    deinit {
        values.deallocate()
        nonzero?.deallocate()
    }
}

/// For each zigzag position, where a block of side x side kept coefficients holds it, or -1.
func keptSlots(side: Int) -> [Int] {
    zigzagToNatural.map { natural in
        let row = natural / 8, column = natural % 8
        return row < side && column < side ? row * side + column : -1
    }
}
