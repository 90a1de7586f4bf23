/// Entropy decoding of one scan (T.81 Annex F for sequential, G for progressive JPEGs) into the
/// coefficient stores. Components the picture's luma does not need have no store: their blocks
/// are decoded and dropped, since an interleaved scan's bits run through them.

/// What a scan's blocks are decoded into: per scan member, its store (nil: decode and drop) and
/// its Huffman tables' offsets.
struct ScanTarget {
    var stores: [UnsafeMutablePointer<Int16>?]
    var masks: [UnsafeMutablePointer<UInt64>?]
    var dcBase: [Int]
    var acBase: [Int]
}

/// Calls `body(member, block)` for every block of the scan in coding order (T.81 A.2), block being
/// the index in that component's store grid, and handles restart intervals: after every
/// `restartInterval` MCUs the reader steps over RSTn and `restart` resets the predictions.
@inline(__always)
func forEachBlock(of scan: JPEGScan, in frame: JPEGFrame, restartInterval: Int, reader: inout JPEGBitReader,
                  restart: () -> Void,
                  _ body: (_ member: Int, _ block: Int, _ reader: inout JPEGBitReader) throws(JPEGError) -> Void)
    throws(JPEGError) {
    let interleaved = scan.members.count > 1
    let only = frame.components[scan.members[0].component]
    let mcusWide = interleaved ? frame.mcusWide : only.blocksWide
    let mcusHigh = interleaved ? frame.mcusHigh : only.blocksHigh
    var mcu = 0, restartsSeen = 0
    for my in 0..<mcusHigh {
        for mx in 0..<mcusWide {
            if restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0 {
                if reader.overran { throw .corruptData(offset: reader.position, reason: "a restart interval's data ends early") }
                guard reader.restart(expecting: restartsSeen & 7) else {
                    throw .corruptData(offset: reader.position, reason: "restart marker RST\(restartsSeen & 7) missing")
                }
                restartsSeen += 1
                restart()
            }
            if interleaved {
                for (m, member) in scan.members.enumerated() {
                    let c = frame.components[member.component]
                    for by in 0..<c.v {
                        let rowStart = (my * c.v + by) * c.storeWide + mx * c.h
                        for bx in 0..<c.h { try body(m, rowStart + bx, &reader) }
                    }
                }
            } else {
                try body(0, my * only.storeWide + mx, &reader)
            }
            mcu += 1
        }
        // Past the end of the data every bit reads as 0; stop at once rather than decode zeros.
        if reader.overran { throw .truncated(offset: reader.position, expected: "more compressed image data") }
    }
    if reader.overran { throw .truncated(offset: reader.position, expected: "more compressed image data") }
}

/// Decodes a sequential (baseline or extended Huffman) scan: whole blocks, DC then AC.
func decodeSequentialScan(_ scan: JPEGScan, frame: JPEGFrame, target: ScanTarget, slots: [Int], side: Int,
                          tables: UnsafePointer<Int32>, restartInterval: Int, reader: inout JPEGBitReader) throws(JPEGError) {
    var predictions = [Int](repeating: 0, count: scan.members.count)
    let kept = side * side
    try slots.withUnsafeBufferPointer { (slot) throws(JPEGError) in
        try forEachBlock(of: scan, in: frame, restartInterval: restartInterval, reader: &reader,
                         restart: { for i in predictions.indices { predictions[i] = 0 } }) { (m, block, reader) throws(JPEGError) in
            guard let s = reader.symbol(tables, target.dcBase[m]), s <= 15 else {
                throw .corruptData(offset: reader.position, reason: "invalid DC Huffman code")
            }
            predictions[m] &+= reader.signed(s)
            let out = target.stores[m].map { $0 + block * kept }
            if let out {
                for i in 0..<kept { out[i] = 0 }
                out[0] = Int16(truncatingIfNeeded: predictions[m])
            }
            let ac = target.acBase[m]
            var k = 1
            while k < 64 {
                guard let rs = reader.symbol(tables, ac) else {
                    throw .corruptData(offset: reader.position, reason: "invalid AC Huffman code")
                }
                let run = rs >> 4, size = rs & 15
                if size == 0 {
                    if run != 15 { break }
                    k += 16
                    continue
                }
                k += run
                guard k < 64 else { throw .corruptData(offset: reader.position, reason: "a block has more than 64 coefficients") }
                let value = reader.signed(size)
                if let out, slot[k] >= 0 { out[slot[k]] = Int16(truncatingIfNeeded: value) }
                k += 1
            }
        }
    }
}

/// Decodes one progressive scan (T.81 G.1.2): a DC scan (first or refinement, possibly
/// interleaved) or an AC band of one component (first or refinement, with end-of-band runs).
func decodeProgressiveScan(_ scan: JPEGScan, frame: JPEGFrame, target: ScanTarget, slots: [Int], side: Int,
                           tables: UnsafePointer<Int32>, restartInterval: Int, reader: inout JPEGBitReader) throws(JPEGError) {
    let kept = side * side
    let low = scan.approximationLow, first = scan.approximationHigh == 0
    let start = scan.spectralStart, end = scan.spectralEnd
    var predictions = [Int](repeating: 0, count: scan.members.count)
    var endOfBandRun = 0
    let restart = {
        for i in predictions.indices { predictions[i] = 0 }
        endOfBandRun = 0
    }
    if start == 0 {
        try forEachBlock(of: scan, in: frame, restartInterval: restartInterval, reader: &reader, restart: restart) {
            (m, block, reader) throws(JPEGError) in
            if first {
                guard let s = reader.symbol(tables, target.dcBase[m]), s <= 15 else {
                    throw .corruptData(offset: reader.position, reason: "invalid DC Huffman code")
                }
                predictions[m] &+= reader.signed(s)
                target.stores[m]?[block * kept] = Int16(truncatingIfNeeded: predictions[m] << low)
            } else if reader.bit() == 1 {
                target.stores[m]?[block * kept] |= Int16(truncatingIfNeeded: 1 << low)
            }
        }
        return
    }
    let ac = target.acBase[0]
    guard let store = target.stores[0], let mask = target.masks[0] else { return }
    try slots.withUnsafeBufferPointer { (slot) throws(JPEGError) in
        try forEachBlock(of: scan, in: frame, restartInterval: restartInterval, reader: &reader, restart: restart) {
            (_, block, reader) throws(JPEGError) in
            let out = store + block * kept
            if first {
                if endOfBandRun > 0 {
                    endOfBandRun -= 1
                    return
                }
                var k = start
                while k <= end {
                    guard let rs = reader.symbol(tables, ac) else {
                        throw .corruptData(offset: reader.position, reason: "invalid AC Huffman code")
                    }
                    let run = rs >> 4, size = rs & 15
                    if size == 0 {
                        if run < 15 {
                            endOfBandRun = (1 << run) + reader.bits(run) - 1
                            break
                        }
                        k += 16
                        continue
                    }
                    k += run
                    guard k <= end else { throw .corruptData(offset: reader.position, reason: "a coefficient beyond the scan's band") }
                    mask[block] |= 1 << UInt64(k)
                    if slot[k] >= 0 { out[slot[k]] = Int16(truncatingIfNeeded: reader.signed(size) << low) } else { _ = reader.bits(size) }
                    k += 1
                }
                return
            }
            // Refinement: one correction bit for each coefficient already non-zero, new ones are ±1 << low.
            let plus = 1 << low
            var bits = mask[block]
            @inline(__always) func correct(_ k: Int, _ reader: inout JPEGBitReader) {
                if reader.bit() == 1, slot[k] >= 0 {
                    let c = Int(out[slot[k]])
                    if c & plus == 0 { out[slot[k]] = Int16(truncatingIfNeeded: c >= 0 ? c + plus : c - plus) }
                }
            }
            var k = start
            if endOfBandRun == 0 {
                while k <= end {
                    guard let rs = reader.symbol(tables, ac) else {
                        throw .corruptData(offset: reader.position, reason: "invalid AC Huffman code")
                    }
                    var run = rs >> 4
                    let size = rs & 15
                    var value = 0
                    if size == 0 {
                        if run < 15 {
                            endOfBandRun = (1 << run) + reader.bits(run)
                            break
                        }
                    } else {
                        value = reader.bit() == 1 ? plus : -plus
                    }
                    while k <= end {
                        if bits & (1 << UInt64(k)) != 0 {
                            correct(k, &reader)
                        } else {
                            if run == 0 {
                                if value != 0 {
                                    bits |= 1 << UInt64(k)
                                    if slot[k] >= 0 { out[slot[k]] = Int16(truncatingIfNeeded: value) }
                                }
                                k += 1
                                break
                            }
                            run -= 1
                        }
                        k += 1
                    }
                }
            }
            if endOfBandRun > 0 {
                while k <= end {
                    if bits & (1 << UInt64(k)) != 0 { correct(k, &reader) }
                    k += 1
                }
                endOfBandRun -= 1
            }
            mask[block] = bits
        }
    }
}
