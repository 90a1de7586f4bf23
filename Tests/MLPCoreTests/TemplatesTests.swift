import Foundation
import Testing
@testable import MLPCore

@Suite struct TemplatesTests {
    /// A 6-5-3 network with fixed, varied weights.
    private func model() throws -> MLP {
        let shape = MLPShape(inputs: 6, hidden: 5, outputs: 3)
        return try MLP(shape: shape, activation: .relu,
                       parameters: (0..<shape.parameterCount).map { Float(sin(Double($0) * 1.7) * 0.5) })
    }

    @Test func incomingWeightsAreColumnsOfW1() throws {
        let m = try model()
        for unit in 0..<5 {
            let w = m.incomingWeights(ofHiddenUnit: unit)
            #expect(w.count == 6)
            for i in 0..<6 { #expect(w[i] == Float(sin(Double(i * 5 + unit) * 1.7) * 0.5)) }
        }
    }

    @Test func classTemplateIsW1TimesTheClassColumnOfW2() throws {
        let m = try model(), s = m.shape
        for c in 0..<3 {
            let template = m.classTemplate(c)
            for i in 0..<6 {
                var expected = 0.0
                for j in 0..<5 {
                    expected += Double(m.parameters[s.w1Offset + i * 5 + j]) * Double(m.parameters[s.w2Offset + j * 3 + c])
                }
                #expect(abs(Double(template[i]) - expected) < 1e-6)
            }
            #expect(template.contains { abs($0) > 0.05 }, "not trivially zero")
        }
    }

    /// The template is the gradient of the class score when every unit is active: with all
    /// hidden pre-activations positive, nudging input i by ε moves score c by ε·template[i].
    @Test func classTemplateIsTheScoreGradientWhenEveryUnitIsActive() throws {
        let shape = MLPShape(inputs: 4, hidden: 3, outputs: 2)
        var p = (0..<shape.parameterCount).map { Float(sin(Double($0) * 1.3) * 0.4) }
        for j in 0..<3 { p[shape.b1Offset + j] = 5 }  // every unit well inside ReLU's linear range
        let m = try MLP(shape: shape, activation: .relu, parameters: p)
        func score(_ x: [Double], _ c: Int) -> Double {
            var sum = Double(p[shape.b2Offset + c])
            for j in 0..<3 {
                var z = Double(p[shape.b1Offset + j])
                for i in 0..<4 { z += x[i] * Double(p[i * 3 + j]) }
                sum += max(0, z) * Double(p[shape.w2Offset + j * 2 + c])
            }
            return sum
        }
        let x = [0.2, -0.1, 0.4, 0.3], eps = 1e-4
        for c in 0..<2 {
            let template = m.classTemplate(c)
            for i in 0..<4 {
                var up = x, down = x
                up[i] += eps; down[i] -= eps
                #expect(abs((score(up, c) - score(down, c)) / (2 * eps) - Double(template[i])) < 1e-5)
            }
        }
    }
}
