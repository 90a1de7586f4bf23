/// The picture formats `predict` can be handed, told apart by their first bytes (never by the
/// file's name): the ones it decodes, and the common ones it names so it can say how to convert.
public enum PictureFormat: Equatable, Sendable {
    case png, jpeg, bmp, gif
    case tiff, webP, heic, avif, svg

    /// The format `bytes` start with, or nil when they match none of these.
    public init?(sniffing bytes: [UInt8]) {
        func starts(_ magic: String) -> Bool { bytes.starts(with: Array(magic.utf8)) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            self = .png  // a damaged rest of the signature is the PNG decoder's to report
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts("GIF87a") || starts("GIF89a") {
            self = .gif
        } else if starts("BM") && bytes.count >= 14 {
            self = .bmp
        } else if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            self = .tiff
        } else if starts("RIFF") && bytes.count >= 12 && bytes[8..<12].elementsEqual("WEBP".utf8) {
            self = .webP
        } else if let brands = isoMediaBrands(bytes) {
            if brands.contains("avif") || brands.contains("avis") {
                self = .avif
            } else if !brands.isDisjoint(with: ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]) {
                self = .heic
            } else {
                return nil
            }
        } else if looksLikeSVG(bytes) {
            self = .svg
        } else {
            return nil
        }
    }

    /// How messages name it, and a file name to show a conversion with.
    var name: String {
        switch self {
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .bmp: "BMP"
        case .gif: "GIF"
        case .tiff: "TIFF"
        case .webP: "WebP"
        case .heic: "HEIC"
        case .avif: "AVIF"
        case .svg: "SVG"
        }
    }

    var exampleFile: String {
        switch self {
        case .png: "digit.png"
        case .jpeg: "photo.jpg"
        case .bmp: "digit.bmp"
        case .gif: "digit.gif"
        case .tiff: "scan.tiff"
        case .webP: "picture.webp"
        case .heic: "photo.heic"
        case .avif: "photo.avif"
        case .svg: "drawing.svg"
        }
    }
}

/// Why a picture file could not be decoded.
public enum PictureError: Error, Equatable, CustomStringConvertible {
    case png(PNGError)
    case jpeg(JPEGError)
    case bmp(BMPError)
    case gif(GIFError)
    case unsupported(PictureFormat)
    case unknownFormat
    case empty

    public var description: String {
        switch self {
        case .png(let error): return error.description
        case .jpeg(let error): return error.description
        case .bmp(let error): return error.description
        case .gif(let error): return error.description
        case .unsupported(let format):
            let png = format.exampleFile.split(separator: ".").first.map { "\($0).png" } ?? "picture.png"
            return "\(format.name) is not supported; convert it to PNG first, e.g. `convert \(format.exampleFile) \(png)`"
        case .unknownFormat:
            return "not a PNG, JPEG, BMP or GIF picture (its first bytes match no picture format); convert it to PNG first"
        case .empty:
            return "the file is empty"
        }
    }
}

/// Decodes a PNG, JPEG, BMP or GIF, whichever `bytes` are, to grey and alpha (see
/// `decodeGreyAlphaPNG`, `decodeGreyJPEG`, `decodeGreyAlphaBMP`, `decodeGreyAlphaGIF`). A JPEG is decoded at the largest reduction that keeps `minimumPixels`;
/// other formats are named in the error with a command that converts them.
public func decodeGreyAlphaPicture(_ bytes: [UInt8], minimumPixels: Int) throws(PictureError) -> GreyAlphaImage {
    guard !bytes.isEmpty else { throw .empty }
    guard let format = PictureFormat(sniffing: bytes) else { throw .unknownFormat }
    switch format {
    case .png:
        do { return try decodeGreyAlphaPNG(bytes) } catch { throw .png(error) }
    case .jpeg:
        do { return try decodeGreyJPEG(bytes, minimumPixels: minimumPixels) } catch { throw .jpeg(error) }
    case .bmp:
        do { return try decodeGreyAlphaBMP(bytes) } catch { throw .bmp(error) }
    case .gif:
        do { return try decodeGreyAlphaGIF(bytes) } catch { throw .gif(error) }
    case .tiff, .webP, .heic, .avif, .svg:
        throw .unsupported(format)
    }
}

/// The major and compatible brands of an ISO media file (HEIF, AVIF, MP4...), from its first box
/// when that is `ftyp`; nil otherwise.
private func isoMediaBrands(_ bytes: [UInt8]) -> Set<String>? {
    guard bytes.count >= 16, bytes[4..<8].elementsEqual("ftyp".utf8) else { return nil }
    let size = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
    let end = min(bytes.count, max(16, size))
    var brands = Set<String>()
    for at in stride(from: 8, to: end - 3, by: 4) where at != 12 {  // 12...15 is the minor version
        brands.insert(String(decoding: bytes[at..<(at + 4)], as: UTF8.self))
    }
    return brands
}

/// SVG text: after an optional byte-order mark and white space, `<svg`, or `<?xml` (or a comment
/// or doctype) with `<svg` in the first kilobyte.
private func looksLikeSVG(_ bytes: [UInt8]) -> Bool {
    var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
    let head = String(decoding: bytes[start..<min(bytes.count, start + 1024)], as: UTF8.self)
    return head.hasPrefix("<svg") || (head.hasPrefix("<?xml") || head.hasPrefix("<!")) && head.contains("<svg")
}
