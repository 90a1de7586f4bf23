/// How a picture becomes a model's input: the form its training images were made in.
public enum InputForm: String, CaseIterable, Sendable {
    /// MNIST's: the digit's mark fitted into 20x20 keeping its aspect ratio, strokes brought
    /// towards MNIST's pen, centred by centre of mass in 28x28 (see `readDigits`).
    case digit
    /// Fashion-MNIST's: all the ink on the surface (the object) cropped to its box, the box fitted
    /// into the whole 28x28 keeping its aspect ratio and centred, grey levels kept (see `readObject`).
    case object
    /// The whole picture resized to 28x28, only its levels mapped: background 0, ink up to 255.
    case none
}

/// The picture as a model of `form` takes it: side x side bytes, ink 255 on 0. The digit form
/// keeps MNIST's 20-in-28 box, scaled for other sides.
public func modelInput(from picture: GreyAlphaImage, form: InputForm, side: Int = 28) throws(DigitFormError) -> [UInt8] {
    switch form {
    case .digit: return try readDigits(in: picture, side: side, box: (side * 20 + 14) / 28).pixels
    case .object: return try readObject(in: picture, side: side)
    case .none: return try readWhole(picture, side: side)
    }
}
