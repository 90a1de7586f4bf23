import MLPCore
import Testing

/// Floats (learning rates, accuracies) written as Doubles in JSON, CSV and the history read as
/// their shortest decimal form, and still convert back to the very same Float.
struct DecimalDoubleTests {
    @Test(arguments: [Float(0.1), 0.05, 0.001, 1e-7, 3.4e38, 0.038889255, -2.5, 0])
    func readsAsTheFloatPrintsAndRoundTrips(_ value: Float) {
        let d = decimalDouble(value)
        #expect("\(d)" == "\(value)")
        #expect(Float(d) == value)
    }

    @Test func nonFiniteValuesStaySo() {
        #expect(decimalDouble(.nan).isNaN)
        #expect(decimalDouble(.infinity) == .infinity && decimalDouble(-.infinity) == -.infinity)
    }
}
