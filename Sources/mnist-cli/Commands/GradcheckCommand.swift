import ArgumentParser
import MLPCore
import MNISTData

struct GradcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Check backprop's gradient against central differences on a few real training images.",
        discussion: """
            Builds a fresh network (--hidden, --activation, --loss, --seed, as train would), takes \
            --samples images of the training split (a seeded choice, scaled to 0...1 as train does) and \
            computes the mean loss's gradient two ways: by the backprop training runs (Float), and by \
            central differences (L(θ+ε) − L(θ−ε)) / 2ε of the same loss in Double, for every \
            parameter. Prints the largest relative error |a − n| / max(|a|, |n|) of each block (W1, \
            b1, W2, b2; entries below 1e-3 of their block's largest are measured against that floor) \
            and exits 0 when every block is within --tolerance, 1 otherwise.

            With relu and leaky-relu, entries whose unit has a sample within reach of its kink \
            (|z1| < 1e-4) are skipped, since the loss has no derivative there; the table says how many.
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(parsing: .unconditional, help: "Training images in the batch.")
    var samples = 8

    @Option(parsing: .unconditional, help: "Units in the hidden layer.")
    var hidden = 16

    @Option(help: "Hidden-layer activation function.")
    var activation: Activation = .relu

    @Option(parsing: .unconditional, help: ArgumentHelp("Slope of leaky-relu below 0.", valueName: "slope"))
    var leak: Float = Activation.defaultLeak

    @Option(help: "Loss function.")
    var loss: LossFunction = .crossEntropy

    @Option(parsing: .unconditional, help: "Seed for the weights and the choice of images.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest relative error that passes.", valueName: "fraction"))
    var tolerance = GradientCheck.defaultTolerance

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...1000).contains(samples) else { throw ValidationError("--samples must be between 1 and 1000, got \(samples)") }
        guard (1...4096).contains(hidden) else { throw ValidationError("--hidden must be between 1 and 4096, got \(hidden)") }
        guard leak.isFinite, (0..<1).contains(leak) else { throw ValidationError("--leak must be in [0, 1), got \(leak)") }
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be a positive number, got \(tolerance)") }
    }

    func run() throws {
        let directory = dataOptions.directory
        let data = try loadData(.train, from: directory, classCount: nil)
        guard samples <= data.count else {
            throw CLIError(file: directory, "the training split has \(data.count) images, fewer than --samples \(samples)", status: .usage)
        }
        var random = SplitMix64(seed: seed)
        let chosen = Array((0..<data.count).shuffled(using: &random).prefix(samples))
        let normalise = Normalisation.unitRange(features: data.pixelsPerImage)
        let x = chosen.flatMap { normalise.apply(to: Array(data.images[($0 * data.pixelsPerImage)..<(($0 + 1) * data.pixelsPerImage)])) }
        let labels = chosen.map { Int32(data.labels[$0]) }
        var model = MLP(shape: MLPShape(inputs: data.pixelsPerImage, hidden: hidden, outputs: data.classCount),
                        activation: activation, seed: seed)
        model.leak = leak
        var analytic = GradientCheck.analytic(model: model, loss: loss, x: x, labels: labels)
        Self.breakForTest(&analytic, shape: model.shape)
        let check = GradientCheck(model: model, loss: loss, x: x, labels: labels, analytic: analytic)
        let passed = check.passes(tolerance: tolerance)
        if output.json {
            print(JSON.object([
                ("shape", .string("\(model.shape)")), ("activation", .string(activation.rawValue)),
                ("leak", activation == .leakyRelu ? .number(Double(leak)) : .null), ("loss", .string(loss.rawValue)),
                ("samples", .integer(samples)), ("seed", .string(String(seed))), ("data", .string(directory)),
                ("epsilon", .number(check.epsilon)), ("tolerance", .number(tolerance)),
                ("blocks", .array(check.blocks.map { b in .object([
                    ("name", .string(b.name)), ("entries", .integer(b.entries)), ("checked", .integer(b.checked)),
                    ("skipped", .integer(b.skipped)), ("largest_gradient", .number(b.largestGradient)),
                    ("max_relative_error", .number(b.maxRelativeError)),
                ]) })),
                ("passed", .bool(passed)),
            ]).text)
        } else {
            print("gradient check: \(model.shape) \(model.activationSummary), \(loss.rawValue), \(samples) training images of "
                  + "\(directory) (seed \(seed)); central differences in Double, ε \(check.epsilon)")
            print("block  entries  checked  skipped  largest |grad|  max rel. error")
            for b in check.blocks {
                print(b.name.padding(toLength: 5, withPad: " ", startingAt: 0) + padded(String(b.entries), 9) + padded(String(b.checked), 9)
                      + padded(String(b.skipped), 9) + padded(scientific(b.largestGradient), 16) + padded(scientific(b.maxRelativeError), 16))
            }
            if passed { print("passed: every block within \(scientific(tolerance))") }
        }
        guard passed else {
            let failing = check.blocks.filter { $0.maxRelativeError > tolerance }
                .map { "\($0.name) \(scientific($0.maxRelativeError))" }.joined(separator: ", ")
            throw CLIError("gradient check failed: \(failing) above --tolerance \(scientific(tolerance))",
                           hint: "backprop disagrees with the loss it claims to differentiate")
        }
    }

    /// A test hook: MNIST_CLI_TEST_BREAK_GRADIENT=b1 (or W1, W2, b2) scales that block's analytic
    /// gradient by 1.01, a bug as small as a dropped term, so tests see the check fail. Unset, it does nothing.
    static func breakForTest(_ gradient: inout [Float], shape: MLPShape) {
        guard let name = Terminal.environment("MNIST_CLI_TEST_BREAK_GRADIENT"),
              let block = shape.blocks.first(where: { $0.name == name }) else { return }
        for i in block.range { gradient[i] *= 1.01 }
    }
}
