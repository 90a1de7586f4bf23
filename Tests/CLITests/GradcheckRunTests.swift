import Foundation
import MLPCore
import Testing

/// `mnist-cli gradcheck` on real MNIST images: passes for every activation and loss, fails (exit 1)
/// when one block's analytic gradient is broken through the test hook.
@Suite(.enabled(if: CLI.hasMNIST)) struct GradcheckRunTests {
    static let cases: [(Activation, LossFunction)] = Activation.allCases.flatMap { a in LossFunction.allCases.map { (a, $0) } }

    @Test(arguments: cases)
    func passesForEveryActivationAndLoss(activation: Activation, loss: LossFunction) throws {
        let result = try CLI.run(["gradcheck", "--data", CLI.mnistDirectory, "--activation", activation.rawValue,
                                  "--loss", loss.rawValue, "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try jsonObject(Substring(result.stdout.trimmingCharacters(in: .newlines)))
        #expect(report["passed"] as? Bool == true)
        let blocks = try #require(report["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["name"] as? String } == ["W1", "b1", "W2", "b2"])
        #expect(blocks.map { $0["entries"] as? Int } == [784 * 16, 16, 160, 10])
        for block in blocks {
            let error = try #require(block["max_relative_error"] as? Double)
            #expect(error < 1e-3)
            #expect(try #require(block["largest_gradient"] as? Double) > 1e-4, "a block with no gradient checks nothing")
            #expect(block["checked"] as? Int == block["entries"] as? Int, "these seeds put no unit at a kink")
        }
    }

    @Test(arguments: ["W1", "b1", "W2", "b2"])
    func aBrokenBlockFails(block: String) throws {
        let result = try CLI.run(["gradcheck", "--data", CLI.mnistDirectory], environment: ["MNIST_CLI_TEST_BREAK_GRADIENT": block])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: gradient check failed: \(block) "), "\(result.stderr)")
        let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix(block + " ") })
        let error = try #require(Double(row.split(separator: " ").last!))
        #expect(error > 5e-3 && error < 2e-2, "a 1% slip reads as ~1e-2: \(row)")
        #expect(!result.stdout.contains("passed"))
    }

    @Test func textTableAndBadOptions() throws {
        let result = try CLI.run(["gradcheck", "--data", CLI.mnistDirectory, "--activation", "leaky-relu", "--samples", "4", "--hidden", "8"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("784-8-10 leaky-relu (slope 0.01), cross-entropy, 4 training images"))
        #expect(result.stdout.split(separator: "\n").last?.hasPrefix("passed: every block within 1.00e-03") == true)
        let bad = try CLI.run(["gradcheck", "--data", CLI.mnistDirectory, "--samples", "0"])
        #expect(bad.status == 64 && bad.stderrLines.count == 1)
        let missing = try CLI.run(["gradcheck", "--data", "/nonexistent-folder"])
        #expect(missing.status == 1 && missing.stderrLines.count == 1 && missing.stderr.contains("/nonexistent-folder"))
    }
}
