/// The marker segments of a JPEG (T.81 B.1): tables, frame and scan headers, and the APPn segments
/// that matter here (EXIF orientation, Adobe's colour transform). Reading stops at the first EOI,
/// so of an MPO (a phone's multi-picture file) only the first picture is read.
extension JPEGDecoder {
    mutating func readToEndOfImage() throws(JPEGError) {
        guard data.count >= 2, data[0] == 0xFF, data[1] == 0xD8 else {
            if data.count < 2 && data.elementsEqual([0xFF].prefix(data.count)) {
                throw .truncated(offset: data.count, expected: "the start-of-image marker")
            }
            throw .notJPEG
        }
        var position = 2
        while true {
            // Between segments only markers belong; stray bytes are stepped over as libjpeg does.
            while position < data.count && data[position] != 0xFF { position += 1 }
            while position + 1 < data.count && data[position + 1] == 0xFF { position += 1 }
            guard position + 1 < data.count else {
                throw .truncated(offset: data.count, expected: frame == nil ? "the frame header" : "the end-of-image marker")
            }
            let marker = data[position + 1]
            switch marker {
            case 0xD9: return
            case 0x00, 0x01, 0xD0...0xD8:  // stuffed zero, TEM, a stray RSTn or SOI: no length
                position += 2
                continue
            default: break
            }
            guard position + 4 <= data.count else { throw .truncated(offset: data.count, expected: "a segment length") }
            let length = Int(data[position + 2]) << 8 | Int(data[position + 3])
            let name = markerName(marker)
            guard length >= 2 else { throw .badSegment(marker: name, offset: position, reason: "length \(length) is below 2") }
            guard position + 2 + length <= data.count else {
                throw .truncated(offset: data.count, expected: "the rest of the \(name) segment (\(length) bytes)")
            }
            let payload = UnsafeBufferPointer(rebasing: data[(position + 4)..<(position + 2 + length)])
            let segment = SegmentAt(name: name, offset: position)
            var next = position + 2 + length
            switch marker {
            case 0xC0, 0xC1, 0xC2: try readFrame(payload, progressive: marker == 0xC2, segment)
            case 0xC3, 0xC7, 0xCB, 0xCF: throw .unsupported("Lossless")
            case 0xC5, 0xC6, 0xCD, 0xCE: throw .unsupported("Hierarchical")
            case 0xC9, 0xCA: throw .unsupported("Arithmetic-coded")
            case 0xC4: try readHuffmanTables(payload, segment)
            case 0xCC: throw .unsupported("Arithmetic-coded")
            case 0xDB: try readQuantisationTables(payload, segment)
            case 0xDD:
                guard payload.count == 2 else { throw .badSegment(marker: name, offset: position, reason: "DRI is 4 bytes long, not \(length + 2)") }
                restartInterval = Int(payload[0]) << 8 | Int(payload[1])
            case 0xDC: throw .unsupported("Height-after-the-scan (DNL)")
            case 0xDA: next = try readScan(payload, segment, dataStart: next)
            case 0xE1 where orientation == nil: orientation = exifOrientation(payload)
            case 0xEE:
                let adobe: [UInt8] = Array("Adobe".utf8)
                if payload.count >= 12 && payload.prefix(5).elementsEqual(adobe) { adobeTransform = Int(payload[11]) }
            default: break  // APPn, COM, JPGn: nothing the luma needs
            }
            position = next
        }
    }

    /// SOFn: precision, size, components; then the colour model, the scale, and the checks that
    /// keep a declared size from costing more than the file could encode.
    private mutating func readFrame(_ p: UnsafeBufferPointer<UInt8>, progressive: Bool, _ segment: SegmentAt) throws(JPEGError) {
        guard frame == nil else { throw .badStructure("a second frame header at byte \(segment.offset)") }
        guard p.count >= 6 else { throw segment.bad("too short for a frame header") }
        let precision = Int(p[0]), height = Int(p[1]) << 8 | Int(p[2]), width = Int(p[3]) << 8 | Int(p[4])
        let count = Int(p[5])
        guard p.count == 6 + 3 * count else { throw segment.bad("\(count) components need \(8 + 3 * count) bytes, not \(p.count + 2)") }
        guard precision == 8 else {
            throw precision == 12 || precision == 16 ? .unsupported("\(precision)-bit") : .badFrame("sample precision \(precision)")
        }
        guard height > 0 else { throw .unsupported("Height-after-the-scan (DNL)") }
        guard width > 0 else { throw .badFrame("width 0") }
        guard count != 4 else { throw .unsupported("CMYK (4-component)") }
        guard count == 1 || count == 3 else { throw .unsupported("\(count)-component") }
        var components: [JPEGComponent] = []
        for i in 0..<count {
            let id = p[6 + 3 * i], h = Int(p[7 + 3 * i] >> 4), v = Int(p[7 + 3 * i] & 15), table = Int(p[8 + 3 * i])
            guard (1...4).contains(h), (1...4).contains(v) else { throw .badFrame("sampling factors \(h)x\(v) (1...4 allowed)") }
            guard table <= 3 else { throw .badFrame("quantisation table \(table) (0...3 allowed)") }
            guard !components.contains(where: { $0.id == id }) else { throw .badFrame("component \(id) appears twice") }
            components.append(JPEGComponent(id: id, h: h, v: v, quantTable: table))
        }
        var frame = JPEGFrame(progressive: progressive, width: width, height: height, components: components)
        frame.layOut()
        let ids = components.map(\.id)
        colour = count == 1 ? .grey
            : adobeTransform == 0 || (adobeTransform == nil && ids == [0x52, 0x47, 0x42]) ? .rgb : .yCbCr
        for i in frame.components.indices { frame.components[i].needed = colour == .rgb || i == 0 }

        // Every block costs at least one bit in the first scan that codes it.
        guard frame.blocksPerPass <= 8 * data.count else {
            throw .tooLarge(width: width, height: height, reason: "more 8x8 blocks than a \(data.count)-byte file can hold; the file is damaged")
        }
        side = 8
        for candidate in [1, 2, 4] {
            let reduced = ((width * candidate + 7) / 8) * ((height * candidate + 7) / 8)
            if reduced >= minimumPixels { side = candidate; break }
        }
        let outputPixels = ((width * side + 7) / 8) * ((height * side + 7) / 8)
        guard outputPixels <= maxJPEGPixels else {
            throw .tooLarge(width: width, height: height, reason: "more than the \(maxJPEGPixels) pixels this decoder produces")
        }
        slots = keptSlots(side: side)
        stores = frame.components.map { c in
            c.needed ? JPEGCoefficientStore(side: side, blocksWide: c.storeWide, blocksHigh: c.storeHigh, progressive: progressive) : nil
        }
        self.frame = frame
    }

    /// DHT: one or more tables, each a class/index byte, 16 counts and the symbols.
    private mutating func readHuffmanTables(_ p: UnsafeBufferPointer<UInt8>, _ segment: SegmentAt) throws(JPEGError) {
        var at = 0
        let bytes = Array(p)
        while at < bytes.count {
            guard at + 17 <= bytes.count else { throw segment.bad("a Huffman table is cut short") }
            let tableClass = Int(bytes[at] >> 4), index = Int(bytes[at] & 15)
            guard tableClass <= 1, index <= 3 else { throw segment.bad("table class \(tableClass) index \(index)") }
            let counts = bytes[(at + 1)..<(at + 17)]
            let total = counts.reduce(0) { $0 + Int($1) }
            guard total <= 256, at + 17 + total <= bytes.count else { throw segment.bad("a Huffman table is cut short") }
            if let problem = huffman.define(ac: tableClass == 1, index: index, counts: counts,
                                            symbols: bytes[(at + 17)..<(at + 17 + total)]) {
                throw segment.bad(problem)
            }
            at += 17 + total
        }
    }

    /// DQT: one or more 64-entry tables, 8- or 16-bit, stored in zigzag order.
    private mutating func readQuantisationTables(_ p: UnsafeBufferPointer<UInt8>, _ segment: SegmentAt) throws(JPEGError) {
        var at = 0
        while at < p.count {
            let wide = p[at] >> 4, index = Int(p[at] & 15)
            guard wide <= 1, index <= 3 else { throw segment.bad("table precision \(wide) index \(index)") }
            let size = wide == 1 ? 128 : 64
            guard at + 1 + size <= p.count else { throw segment.bad("a quantisation table is cut short") }
            var table = [Int32](repeating: 0, count: 64)
            for z in 0..<64 {
                table[zigzagToNatural[z]] = wide == 1
                    ? Int32(p[at + 1 + 2 * z]) << 8 | Int32(p[at + 2 + 2 * z]) : Int32(p[at + 1 + z])
            }
            quantTables[index] = table
            at += 1 + size
        }
    }

    /// SOS: checks the header, decodes the scan's data (or skips it when no needed component is in
    /// it) and returns where the next marker is.
    private mutating func readScan(_ p: UnsafeBufferPointer<UInt8>, _ segment: SegmentAt, dataStart: Int) throws(JPEGError) -> Int {
        guard var frame else { throw .badStructure("a scan at byte \(segment.offset) before the frame header") }
        guard p.count >= 1 else { throw segment.bad("empty scan header") }
        let count = Int(p[0])
        guard (1...4).contains(count), p.count == 4 + 2 * count else { throw segment.bad("\(count) components in \(p.count + 2) bytes") }
        var members: [JPEGScan.Member] = []
        for i in 0..<count {
            let id = p[1 + 2 * i]
            guard let c = frame.components.firstIndex(where: { $0.id == id }) else { throw .badScan("component \(id) is not in the frame") }
            guard !members.contains(where: { $0.component == c }) else { throw .badScan("component \(id) appears twice") }
            members.append(.init(component: c, dcTable: Int(p[2 + 2 * i] >> 4), acTable: Int(p[2 + 2 * i] & 15)))
        }
        let tail = 1 + 2 * count
        var scan = JPEGScan(members: members, spectralStart: Int(p[tail]), spectralEnd: Int(p[tail + 1]),
                            approximationHigh: Int(p[tail + 2] >> 4), approximationLow: Int(p[tail + 2] & 15))
        if count > 1 {
            let blocks = members.reduce(0) { $0 + frame.components[$1.component].h * frame.components[$1.component].v }
            guard blocks <= 10 else { throw .badScan("\(blocks) blocks in one MCU (10 at most)") }
        }
        let needsDC: Bool, needsAC: Bool
        if frame.progressive {
            let (s, e, high, low) = (scan.spectralStart, scan.spectralEnd, scan.approximationHigh, scan.approximationLow)
            guard s <= e, e <= 63, (s == 0) == (e == 0), s == 0 || count == 1 else {
                throw .badScan("spectral band \(s)...\(e) with \(count) components")
            }
            guard low <= 13, high == 0 || high == low + 1 else { throw .badScan("successive approximation \(high)/\(low)") }
            needsDC = s == 0 && high == 0
            needsAC = s > 0
        } else {
            scan.spectralStart = 0
            scan.spectralEnd = 63
            scan.approximationHigh = 0
            scan.approximationLow = 0
            needsDC = true
            needsAC = true
        }
        for m in members {
            if needsDC && (m.dcTable > 3 || !huffman.defined[m.dcTable]) { throw .badScan("DC Huffman table \(m.dcTable) is not defined") }
            if needsAC && (m.acTable > 3 || !huffman.defined[4 + m.acTable]) { throw .badScan("AC Huffman table \(m.acTable) is not defined") }
        }
        scansRead += 1
        let ofScan = count > 1 ? frame.blocksPerPass
            : frame.components[members[0].component].blocksWide * frame.components[members[0].component].blocksHigh
        blockVisits += ofScan
        guard blockVisits <= 64 * 8 * data.count else {
            throw .corruptData(offset: segment.offset, reason: "more scans than a file of this length can hold")
        }
        guard members.contains(where: { frame.components[$0.component].needed }) else { return nextMarker(from: dataStart) }
        for m in members where frame.components[m.component].needed && frame.components[m.component].quant == nil {
            guard let table = quantTables[frame.components[m.component].quantTable] else {
                throw .badScan("quantisation table \(frame.components[m.component].quantTable) is not defined")
            }
            frame.components[m.component].quant = table
        }
        self.frame = frame
        var reader = JPEGBitReader(data, at: dataStart)
        let stored = members.map { stores[$0.component] }
        let target = ScanTarget(stores: stored.map { $0?.values.baseAddress }, masks: stored.map { $0?.nonzero?.baseAddress },
                                dcBase: members.map { JPEGHuffmanTables.base(ac: false, index: $0.dcTable & 3) },
                                acBase: members.map { JPEGHuffmanTables.base(ac: true, index: $0.acTable & 3) })
        try huffman.storage.withUnsafeBufferPointer { (tables) throws(JPEGError) in
            if frame.progressive {
                try decodeProgressiveScan(scan, frame: frame, target: target, slots: slots, side: side,
                                          tables: tables.baseAddress!, restartInterval: restartInterval, reader: &reader)
            } else {
                try decodeSequentialScan(scan, frame: frame, target: target, slots: slots, side: side,
                                         tables: tables.baseAddress!, restartInterval: restartInterval, reader: &reader)
            }
        }
        return nextMarker(from: reader.position)
    }

    /// The first marker at or after `position` that is not a restart marker (scan data ends there).
    private func nextMarker(from position: Int) -> Int {
        var i = position
        while i + 1 < data.count {
            if data[i] == 0xFF {
                let m = data[i + 1]
                if m != 0 && m != 0xFF && !(0xD0...0xD7).contains(m) { return i }
            }
            i += 1
        }
        return data.count
    }
}

/// A segment's name and place, for its error messages.
struct SegmentAt {
    let name: String
    let offset: Int

    func bad(_ reason: String) -> JPEGError { .badSegment(marker: name, offset: offset, reason: reason) }
}

/// A marker's usual name (SOF0, DHT, APP1...), or its hex code.
func markerName(_ marker: UInt8) -> String {
    switch marker {
    case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF: return "SOF\(marker - 0xC0)"
    case 0xC4: return "DHT"
    case 0xDA: return "SOS"
    case 0xDB: return "DQT"
    case 0xDD: return "DRI"
    case 0xE0...0xEF: return "APP\(marker - 0xE0)"
    case 0xFE: return "COM"
    default: return "FF" + String(marker, radix: 16, uppercase: true)
    }
}
