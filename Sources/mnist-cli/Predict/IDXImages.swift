import MNISTData

/// The images of one IDX file, for `predict --idx FILE --index N`.
struct IDXImages {
    let path: String
    let array: IDXArray
    let count: Int
    let rows: Int
    let cols: Int

    static func open(_ path: String, modelInputs: Int) throws(CLIError) -> IDXImages {
        let array: IDXArray
        do { array = try readIDX(path: path) } catch { throw CLIError(error) }
        guard array.elementType == .uint8, array.shape.count >= 2 else {
            throw CLIError(file: path, "not an image file: expected unsigned bytes of rank 2 or more, found \(array.elementType) of rank \(array.shape.count)")
        }
        let rows = array.shape.count == 2 ? 1 : array.shape[1]
        let pixels = array.shape.dropFirst().reduce(1, *)
        guard pixels == modelInputs else {
            throw CLIError(file: path, "images have \(pixels) pixels but the model expects \(modelInputs)")
        }
        return IDXImages(path: path, array: array, count: array.shape[0], rows: rows, cols: pixels / rows)
    }

    func image(_ n: Int) throws(CLIError) -> [UInt8] {
        guard (0..<count).contains(n) else {
            throw CLIError(file: path, "--index \(n) is out of range: the file holds \(count) images (0...\(count - 1))")
        }
        let size = rows * cols
        return Array(array.payload[(n * size)..<((n + 1) * size)])
    }
}
