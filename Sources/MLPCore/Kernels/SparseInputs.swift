/// Products with a mostly-zero input batch, skipping the zeros.
///
/// About 81% of MNIST's pixels are 0, so in both big products of a step — x·W1 forward and
/// xᵀ·δ1 for dW1 — most multiply-adds add an exact zero. Skipping them changes no bits: the dense
/// kernel sums every term in k order from +0, and a term 0·w (w finite) is ±0, which leaves a
/// running sum unchanged (+0 + −0 = +0). So a batch goes the sparse way or the dense way by its
/// density alone, and the result is the same either way (tested bit for bit against `gemm`).
///
/// Where the nonzeros are is kept as bit masks (bit t of a run of UInt64 words set when term t is
/// nonzero), made with a vector compare per 8 or 16 values, and the values are read from x itself:
/// one mask per row of x for x·W1, one per column (input) of x for xᵀ·δ1. Both come straight from
/// x, so neither product waits for the other's lists, and no list is ever transposed.

/// Batches denser than this go through the dense kernels, which do about twice the multiply-adds
/// per cycle of the masked ones.
let sparseDensityLimit = 0.35

/// UInt64 words that hold one bit for each of `count` terms.
func maskWords(_ count: Int) -> Int {
    (count + 63) / 64
}

/// x is (rows, columns) row-major; masks is (rows, maskWords(columns)): bit c of row r's mask set
/// where x[r, c] ≠ 0 (−0 counts as zero). Returns the number of nonzeros.
func rowNonzeroMasks(x: UnsafePointer<Float>, rows: Int, columns: Int, masks: UnsafeMutablePointer<UInt64>) -> Int {
    let words = maskWords(columns)
    var nonzeros = 0
    let lanes = SIMD8<UInt32>(1, 2, 4, 8, 16, 32, 64, 128)
    for r in 0..<rows {
        let row = x + r * columns, mask = masks + r * words
        for w in 0..<words {
            var word: UInt64 = 0
            var c = w * 64
            let end = min(c + 64, columns)
            while c + 8 <= end {
                // Runs of 8 zeros (MNIST's margins) cost one compare.
                let nonzero = load(row + c) .!= 0
                if any(nonzero) {
                    let on = SIMD8<UInt32>(repeating: 0).replacing(with: lanes, where: nonzero)
                    word |= UInt64(on.wrappedSum()) << UInt64(c & 63)
                }
                c += 8
            }
            while c < end {
                if row[c] != 0 { word |= 1 << UInt64(c & 63) }
                c += 1
            }
            mask[w] = word
            nonzeros += word.nonzeroBitCount
        }
    }
    return nonzeros
}

/// x is (rows, ldx) row-major; masks is (columns.count, maskWords(rows)): bit r of column c's mask
/// set where x[r, columns.lowerBound + c] ≠ 0. One vector compare per row and 8 columns.
func columnNonzeroMasks(x: UnsafePointer<Float>, rows: Int, ldx: Int, columns: Range<Int>, masks: UnsafeMutablePointer<UInt64>) {
    let words = maskWords(rows), width = columns.count
    var c = 0
    while c + 8 <= width {
        for w in 0..<words {
            var word = SIMD8<UInt64>()
            for r in (w * 64)..<min(w * 64 + 64, rows) {
                let on = SIMD8<Int32>(repeating: 0).replacing(with: -1, where: load(x + r * ldx + columns.lowerBound + c) .!= 0)
                word |= SIMD8<UInt64>(truncatingIfNeeded: SIMD8<Int64>(truncatingIfNeeded: on)) & SIMD8(repeating: 1 << UInt64(r & 63))
            }
            for l in 0..<8 { masks[(c + l) * words + w] = word[l] }
        }
        c += 8
    }
    while c < width {
        for w in 0..<words {
            var word: UInt64 = 0
            for r in (w * 64)..<min(w * 64 + 64, rows) where x[r * ldx + columns.lowerBound + c] != 0 {
                word |= 1 << UInt64(r & 63)
            }
            masks[c * words + w] = word
        }
        c += 1
    }
}

/// out (n) = Σ a[t·lda] · b[t·ldb, 0..<n] over the terms t whose bit is set in masks (bit t % 64
/// of word t / 64, `words` words), t increasing. With a row of x and its mask it is a row of x·W1;
/// with a column of x (lda = the row length) and its mask over the batch, a row of xᵀ·δ1. Same
/// multiply-add per term as `gemm`.
func maskedProduct(masks: UnsafePointer<UInt64>, words: Int, a: UnsafePointer<Float>, lda: Int,
                   b: UnsafePointer<Float>, ldb: Int, n: Int, out: UnsafeMutablePointer<Float>) {
    var j = 0
    #if MLPCORE_AVX512 && MLPCORE_FMA
    while j + 128 <= n {
        oneHundredTwentyEightColumns(masks: masks, words: words, a: a, lda: lda, b: b + j, ldb: ldb, out: out + j)
        j += 128
    }
    #endif
    while j + 64 <= n {
        sixtyFourColumns(masks: masks, words: words, a: a, lda: lda, b: b + j, ldb: ldb, out: out + j)
        j += 64
    }
    while j + 8 <= n {
        var acc = Half()
        for w in 0..<words {
            var bits = masks[w]
            while bits != 0 {
                let t = w &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                multiplyAdd(&acc, a[t &* lda], load(b + t &* ldb + j))
            }
        }
        UnsafeMutableRawPointer(out + j).storeBytes(of: acc, as: Half.self)
        j += 8
    }
    while j < n {
        out[j] = maskedProductReference(masks: masks, words: words, a: a, lda: lda, b: b + j, ldb: ldb)
        j += 1
    }
}

/// `maskedProduct` for 64 columns: eight 8-lane accumulators, one broadcast per term.
@inline(__always)
private func sixtyFourColumns(masks: UnsafePointer<UInt64>, words: Int, a: UnsafePointer<Float>, lda: Int,
                              b: UnsafePointer<Float>, ldb: Int, out: UnsafeMutablePointer<Float>) {
    var c0 = Half(), c1 = Half(), c2 = Half(), c3 = Half(), c4 = Half(), c5 = Half(), c6 = Half(), c7 = Half()
    for w in 0..<words {
        var bits = masks[w]
        while bits != 0 {
            let t = w &* 64 &+ bits.trailingZeroBitCount
            bits &= bits &- 1
            let s = a[t &* lda], row = b + t &* ldb
            multiplyAdd(&c0, s, load(row)); multiplyAdd(&c1, s, load(row + 8))
            multiplyAdd(&c2, s, load(row + 16)); multiplyAdd(&c3, s, load(row + 24))
            multiplyAdd(&c4, s, load(row + 32)); multiplyAdd(&c5, s, load(row + 40))
            multiplyAdd(&c6, s, load(row + 48)); multiplyAdd(&c7, s, load(row + 56))
        }
    }
    let raw = UnsafeMutableRawPointer(out)
    raw.storeBytes(of: c0, as: Half.self); raw.storeBytes(of: c1, toByteOffset: 32, as: Half.self)
    raw.storeBytes(of: c2, toByteOffset: 64, as: Half.self); raw.storeBytes(of: c3, toByteOffset: 96, as: Half.self)
    raw.storeBytes(of: c4, toByteOffset: 128, as: Half.self); raw.storeBytes(of: c5, toByteOffset: 160, as: Half.self)
    raw.storeBytes(of: c6, toByteOffset: 192, as: Half.self); raw.storeBytes(of: c7, toByteOffset: 224, as: Half.self)
}

#if MLPCORE_AVX512 && MLPCORE_FMA
/// `maskedProduct` for 128 columns with AVX-512: eight 16-lane accumulators, so the set bits are
/// walked once per 128 columns rather than once per 64.
@inline(__always)
private func oneHundredTwentyEightColumns(masks: UnsafePointer<UInt64>, words: Int, a: UnsafePointer<Float>, lda: Int,
                                          b: UnsafePointer<Float>, ldb: Int, out: UnsafeMutablePointer<Float>) {
    typealias Wide = SIMD16<Float>
    func load(_ p: UnsafePointer<Float>) -> Wide { UnsafeRawPointer(p).loadUnaligned(as: Wide.self) }
    var c0 = Wide(), c1 = Wide(), c2 = Wide(), c3 = Wide(), c4 = Wide(), c5 = Wide(), c6 = Wide(), c7 = Wide()
    for w in 0..<words {
        var bits = masks[w]
        while bits != 0 {
            let t = w &* 64 &+ bits.trailingZeroBitCount
            bits &= bits &- 1
            let s = Wide(repeating: a[t &* lda]), row = b + t &* ldb
            c0.addProduct(s, load(row)); c1.addProduct(s, load(row + 16))
            c2.addProduct(s, load(row + 32)); c3.addProduct(s, load(row + 48))
            c4.addProduct(s, load(row + 64)); c5.addProduct(s, load(row + 80))
            c6.addProduct(s, load(row + 96)); c7.addProduct(s, load(row + 112))
        }
    }
    let raw = UnsafeMutableRawPointer(out)
    raw.storeBytes(of: c0, as: Wide.self); raw.storeBytes(of: c1, toByteOffset: 64, as: Wide.self)
    raw.storeBytes(of: c2, toByteOffset: 128, as: Wide.self); raw.storeBytes(of: c3, toByteOffset: 192, as: Wide.self)
    raw.storeBytes(of: c4, toByteOffset: 256, as: Wide.self); raw.storeBytes(of: c5, toByteOffset: 320, as: Wide.self)
    raw.storeBytes(of: c6, toByteOffset: 384, as: Wide.self); raw.storeBytes(of: c7, toByteOffset: 448, as: Wide.self)
}
#endif

/// One column of `maskedProduct`, plainly: Σ a[t·lda]·b[t·ldb] over the set bits, t increasing.
/// The scalar twin (test oracle), and the kernel's last few columns. Rounds as the build does.
func maskedProductReference(masks: UnsafePointer<UInt64>, words: Int, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int) -> Float {
    var sum: Float = 0
    for t in 0..<(words * 64) where masks[t / 64] & (1 << UInt64(t % 64)) != 0 {
        multiplyAdd(&sum, a[t * lda], b[t * ldb])
    }
    return sum
}
