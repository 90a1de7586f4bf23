/// A single-channel picture, (height, width) row-major. Values are on the 0...255 scale but kept
/// as Floats, so a 16-bit source keeps its precision (1/257 of a level) until the digit is rounded.
struct GreyImage: Equatable {
    var width: Int
    var height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        self.width = width
        self.height = height
        self.values = values
    }

    init(width: Int, height: Int, filledWith value: Float = 0) {
        self.init(width: width, height: height, values: [Float](repeating: value, count: width * height))
    }

    subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }
}

/// A rectangle of pixels: origin and size.
typealias PixelRect = (x: Int, y: Int, width: Int, height: Int)

/// Median of a non-empty array (upper median for an even count); 0 for an empty one.
func medianOf(_ values: [Float]) -> Float { percentileOf(values, 0.5) }

/// The value below which `fraction` of the values lie (nearest rank); 0 for an empty array.
/// Found by selection (Hoare's quickselect, middle pivot), not by sorting: linear on average.
func percentileOf(_ values: [Float], _ fraction: Float) -> Float {
    guard !values.isEmpty else { return 0 }
    var v = values
    let k = min(v.count - 1, max(0, Int(Float(v.count) * fraction)))
    return v.withUnsafeMutableBufferPointer { a -> Float in
        var low = 0, high = a.count - 1
        while low < high {
            let pivot = a[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return a[k]
    }
}
