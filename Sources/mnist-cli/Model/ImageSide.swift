/// The side of the square images a model with `inputs` inputs reads (28 for MNIST's 784), or
/// nil when its inputs are not a square image.
func squareImageSide(inputs: Int) -> Int? {
    let side = Int(Double(inputs).squareRoot().rounded())
    return side * side == inputs ? side : nil
}
