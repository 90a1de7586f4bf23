/// Products with a mostly-zero input batch, skipping the zeros.
///
/// About 81% of MNIST's pixels are 0, so in both big products of a step — x·W1 forward and
/// xᵀ·δ1 for dW1 — most multiply-adds add an exact zero. Skipping them changes no bits: the dense
/// kernel sums every term in k order from +0, and a term 0·w (w finite) is ±0, which leaves a
/// running sum unchanged (+0 + −0 = +0). So a batch goes the sparse way or the dense way by its
/// density alone, and the result is the same either way (tested bit for bit against `gemm`).

/// The nonzero inputs of some rows of a batch x, by row (for x·W1), and the nonzeros of some
/// columns of x gathered from every chunk's rows (for xᵀ·δ1), each list in increasing index order.
/// One per chunk of rows for the row lists, one per lane for the column lists; capacities grow as
/// needed.
final class SparseInputs {
    /// Row r's nonzeros are entries rowStart[r] ..< rowStart[r + 1] of rowIndex (column) and rowValue.
    private(set) var rowStart: UnsafeMutablePointer<Int32>
    private(set) var rowIndex: UnsafeMutablePointer<Int32>
    private(set) var rowValue: UnsafeMutablePointer<Float>
    /// Column firstColumn + c's nonzeros are entries columnStart[c] ..< columnStart[c + 1] of
    /// columnIndex (row of the whole batch) and columnValue.
    private(set) var columnStart: UnsafeMutablePointer<Int32>
    private(set) var columnIndex: UnsafeMutablePointer<Int32>
    private(set) var columnValue: UnsafeMutablePointer<Float>
    /// Rows listed by the last `build`; their first row's index in the batch; whether the lists hold.
    private(set) var rows = 0
    var firstRow = 0
    var isValid = false
    private var rowCapacity = 0, entryCapacity = 0, columnEntryCapacity = 0, columnCapacity = 0

    init() {
        rowStart = .allocate(capacity: 1); rowIndex = .allocate(capacity: 1); rowValue = .allocate(capacity: 1)
        columnStart = .allocate(capacity: 1); columnIndex = .allocate(capacity: 1); columnValue = .allocate(capacity: 1)
        rowStart[0] = 0
    }

    deinit {
        rowStart.deallocate(); rowIndex.deallocate(); rowValue.deallocate()
        columnStart.deallocate(); columnIndex.deallocate(); columnValue.deallocate()
    }

    /// Batches denser than this go through the dense kernels, which do about twice the
    /// multiply-adds per cycle of the gathering ones.
    static let densityLimit = 0.35

    /// Lists the nonzeros of x (rows x columns, row-major) by row. Returns false, the lists then
    /// incomplete, when x is too dense for the sparse kernels to pay. Zero rows list nothing.
    func build(x: UnsafePointer<Float>, rows: Int, columns: Int) -> Bool {
        let elements = rows * columns
        guard elements <= Int(Int32.max) else { return false }
        let limit = Int(Double(elements) * Self.densityLimit)
        // Room for one whole row past the limit: rows are written in full before they are counted.
        reserveRows(rows, entries: limit + columns)
        self.rows = rows
        // Local copies: the class's stored pointers would be reloaded at every store.
        let rowStart = rowStart, rowIndex = rowIndex, rowValue = rowValue
        var n = 0
        rowStart[0] = 0
        for r in 0..<rows {
            guard n <= limit else { return false }
            let row = x + r * columns
            var c = 0
            // Runs of 8 zeros (MNIST's margins) are skipped whole.
            while c + 8 <= columns {
                if any(load(row + c) .!= 0) {
                    for l in c..<(c + 8) { n = keep(row[l], at: l, n, rowIndex, rowValue) }
                }
                c += 8
            }
            while c < columns {
                n = keep(row[c], at: c, n, rowIndex, rowValue)
                c += 1
            }
            rowStart[r + 1] = Int32(truncatingIfNeeded: n)
        }
        return n <= limit
    }

    /// Writes (column, value) at entry n and returns the next free entry: n + 1 if value is
    /// nonzero, else n. No branch: inside strokes zeros and nonzeros alternate unpredictably.
    @inline(__always)
    private func keep(_ value: Float, at column: Int, _ n: Int, _ index: UnsafeMutablePointer<Int32>,
                      _ values: UnsafeMutablePointer<Float>) -> Int {
        index[n] = Int32(truncatingIfNeeded: column)
        values[n] = value
        let magnitude = value.bitPattern & 0x7FFF_FFFF
        return n &+ Int((magnitude &+ 0x7FFF_FFFF) >> 31)
    }

    /// Lists the nonzeros of x's columns `columns` by column, from the row lists of `parts` (which
    /// must cover the batch's rows in order, each valid): a counting sort, so rows stay in order.
    func gatherColumns(_ columns: Range<Int>, from parts: ArraySlice<SparseInputs>) {
        let c0 = Int32(truncatingIfNeeded: columns.lowerBound), c1 = Int32(truncatingIfNeeded: columns.upperBound)
        let width = columns.count
        reserveColumns(width, entries: parts.reduce(0) { $0 + Int($1.rowStart[$1.rows]) })
        let columnStart = columnStart, columnIndex = columnIndex, columnValue = columnValue
        columnStart.update(repeating: 0, count: width + 1)
        for part in parts {
            for r in 0..<part.rows {
                let (first, end) = part.entries(ofRow: r, from: c0, to: c1)
                for e in first..<end { columnStart[Int(part.rowIndex[e] - c0) &+ 1] &+= 1 }
            }
        }
        for c in 0..<width { columnStart[c + 1] &+= columnStart[c] }
        // columnStart[c] serves as column c's fill cursor, then is moved back.
        for part in parts {
            for r in 0..<part.rows {
                let (first, end) = part.entries(ofRow: r, from: c0, to: c1)
                let row = Int32(truncatingIfNeeded: part.firstRow + r)
                for e in first..<end {
                    let c = Int(part.rowIndex[e] - c0), slot = Int(columnStart[c])
                    columnIndex[slot] = row
                    columnValue[slot] = part.rowValue[e]
                    columnStart[c] = Int32(truncatingIfNeeded: slot &+ 1)
                }
            }
        }
        var previous: Int32 = 0
        for c in 0..<width {
            let end = columnStart[c]
            columnStart[c] = previous
            previous = end
        }
    }

    /// The entries of row r whose column is in c0..<c1 (row lists are sorted by column).
    @inline(__always)
    private func entries(ofRow r: Int, from c0: Int32, to c1: Int32) -> (Int, Int) {
        let start = Int(rowStart[r]), end = Int(rowStart[r + 1])
        return (lowerBound(c0, start, end), lowerBound(c1, start, end))
    }

    /// The first entry in start..<end whose column is ≥ column (end if none).
    @inline(__always)
    private func lowerBound(_ column: Int32, _ start: Int, _ end: Int) -> Int {
        var low = start, high = end
        while low < high {
            let middle = (low + high) / 2
            if rowIndex[middle] < column { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func reserveRows(_ rows: Int, entries: Int) {
        if rows + 1 > rowCapacity {
            rowStart.deallocate(); rowStart = .allocate(capacity: rows + 1); rowCapacity = rows + 1
        }
        if entries > entryCapacity {
            rowIndex.deallocate(); rowValue.deallocate()
            rowIndex = .allocate(capacity: entries); rowValue = .allocate(capacity: entries)
            entryCapacity = entries
        }
    }

    private func reserveColumns(_ columns: Int, entries: Int) {
        if columns + 1 > columnCapacity {
            columnStart.deallocate(); columnStart = .allocate(capacity: columns + 1); columnCapacity = columns + 1
        }
        if entries > columnEntryCapacity {
            columnIndex.deallocate(); columnValue.deallocate()
            columnIndex = .allocate(capacity: max(entries, 1)); columnValue = .allocate(capacity: max(entries, 1))
            columnEntryCapacity = entries
        }
    }
}

/// out (n) = Σ_t values[t] · b[indices[t], 0..<n], t in 0..<count in order; b has leading
/// dimension ldb. One row of a sparse-times-dense product: with a row of x it is a row of x·W1,
/// with a column of x (over the batch) a row of xᵀ·δ1. Same multiply-add per term as `gemm`.
func sparseRowProduct(count: Int, values: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                      b: UnsafePointer<Float>, ldb: Int, n: Int, out: UnsafeMutablePointer<Float>) {
    var j = 0
    while j + 64 <= n {
        sixtyFourColumns(count: count, values: values, indices: indices, b: b + j, ldb: ldb, out: out + j)
        j += 64
    }
    while j + 8 <= n {
        var acc = Half()
        for t in 0..<count {
            multiplyAdd(&acc, values[t], load(b + Int(indices[t]) * ldb + j))
        }
        UnsafeMutableRawPointer(out + j).storeBytes(of: acc, as: Half.self)
        j += 8
    }
    while j < n {
        var acc: Float = 0
        for t in 0..<count {
            multiplyAdd(&acc, values[t], b[Int(indices[t]) * ldb + j])
        }
        out[j] = acc
        j += 1
    }
}

/// `sparseRowProduct` for 64 columns: eight 8-lane accumulators, one broadcast per term.
@inline(__always)
private func sixtyFourColumns(count: Int, values: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                              b: UnsafePointer<Float>, ldb: Int, out: UnsafeMutablePointer<Float>) {
    var c0 = Half(), c1 = Half(), c2 = Half(), c3 = Half(), c4 = Half(), c5 = Half(), c6 = Half(), c7 = Half()
    for t in 0..<count {
        let s = values[t], row = b + Int(indices[t]) &* ldb
        multiplyAdd(&c0, s, load(row)); multiplyAdd(&c1, s, load(row + 8))
        multiplyAdd(&c2, s, load(row + 16)); multiplyAdd(&c3, s, load(row + 24))
        multiplyAdd(&c4, s, load(row + 32)); multiplyAdd(&c5, s, load(row + 40))
        multiplyAdd(&c6, s, load(row + 48)); multiplyAdd(&c7, s, load(row + 56))
    }
    let raw = UnsafeMutableRawPointer(out)
    raw.storeBytes(of: c0, as: Half.self); raw.storeBytes(of: c1, toByteOffset: 32, as: Half.self)
    raw.storeBytes(of: c2, toByteOffset: 64, as: Half.self); raw.storeBytes(of: c3, toByteOffset: 96, as: Half.self)
    raw.storeBytes(of: c4, toByteOffset: 128, as: Half.self); raw.storeBytes(of: c5, toByteOffset: 160, as: Half.self)
    raw.storeBytes(of: c6, toByteOffset: 192, as: Half.self); raw.storeBytes(of: c7, toByteOffset: 224, as: Half.self)
}

/// The scalar twin of `sparseRowProduct`, same arguments: the test oracle. Rounds as the build
/// does (see `gemmReference`), so the two agree bit for bit.
func sparseRowProductReference(count: Int, values: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                               b: UnsafePointer<Float>, ldb: Int, n: Int, out: UnsafeMutablePointer<Float>) {
    for j in 0..<n {
        var sum: Float = 0
        for t in 0..<count { multiplyAdd(&sum, values[t], b[Int(indices[t]) * ldb + j]) }
        out[j] = sum
    }
}
