import ArgumentParser
import Dispatch
import MLPCore
import MNISTData

extension Activation: ExpressibleByArgument {}
extension LossFunction: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a two-layer network on an IDX dataset and save it as a checkpoint.",
        discussion: """
            Prints one line per epoch (loss, train and test accuracy, time, samples/s) and saves the \
            model atomically to --out.

            Ctrl-C finishes the current batch, saves a resumable checkpoint to --out and exits 130 \
            (143 for SIGTERM); continue with --resume. The same seed and data give the same model \
            bytes, whatever --threads is.
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Units in the hidden layer.")
    var hidden = 128

    @Option(name: .customLong("lr"), help: "Learning rate η of stochastic gradient descent.")
    var learningRate: Float = 0.1

    @Option(help: "Passes over the training set.")
    var epochs = 10

    @Option(help: "Samples per gradient step (the last batch of an epoch may be smaller).")
    var batchSize = 64

    @Option(help: "Momentum μ (0 = plain SGD; 0.9 is typical).")
    var momentum: Float = 0

    @Option(help: "L2 weight decay λ on the weights (not the biases).")
    var weightDecay: Float = 0

    @Option(help: "Hidden-layer activation function.")
    var activation: Activation = .relu

    @Option(help: "Loss function (mse is taken on the softmax outputs).")
    var loss: LossFunction = .crossEntropy

    @Flag(help: "Standardise each input pixel with the training set's mean and spread (stored in the model) instead of x/255.")
    var standardise = false

    @Option(help: "Seed for the initial weights and the shuffling order.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads; the default is the number of cores. Does not change the result.")
    var threads: Int = Terminal.coreCount

    @Option(help: ArgumentHelp("Where to save the model.", valueName: "file"))
    var out = "model.bin"

    @Option(help: ArgumentHelp("Also save to --out every N epochs (the file is always written at the end).", valueName: "n"))
    var checkpointEvery: Int?

    @Option(help: ArgumentHelp("Continue training from a checkpoint saved by train (its settings are kept; --epochs is the total).", valueName: "file"))
    var resume: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...1_000_000).contains(hidden) else { throw ValidationError("--hidden must be between 1 and 1000000, got \(hidden)") }
        guard learningRate.isFinite, learningRate > 0 else { throw ValidationError("--lr must be a positive number, got \(learningRate)") }
        guard (1...100_000).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 100000, got \(epochs)") }
        guard (1...65_536).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 65536, got \(batchSize)") }
        guard momentum.isFinite, (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        guard weightDecay.isFinite, weightDecay >= 0 else { throw ValidationError("--weight-decay must be 0 or more, got \(weightDecay)") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
        if let n = checkpointEvery, n < 1 { throw ValidationError("--checkpoint-every must be 1 or more, got \(n)") }
    }

    func run() throws {
        try checkWritableOutput(out)
        let started = monotonicSeconds()
        let directory = dataOptions.directory
        let (train, test) = try loadTrainAndTest(from: directory)
        var session = try resume.map { try TrainingSession.resuming(from: $0, settings: self, data: train) }
            ?? TrainingSession.starting(settings: self, data: train)
        let report = EpochReporter(json: output.json, epochs: session.targetEpochs)
        if !output.json {
            report.note("training \(session.describe()) on \(train.count) samples (\(directory)), \(threads) thread\(threads == 1 ? "" : "s")")
        }
        Interrupts.install()
        try session.run(train: train, test: test, report: report,
                        checkpointEvery: checkpointEvery, out: out, dataOption: dataOptions.data)
        let final = session.checkpoint(at: session.metadata)
        try ModelFile.save(final, to: out)
        let accuracy = final.metadata.testAccuracy
        report.note("saved \(out) (\(ModelFile.summary(final)), test accuracy \(percent(Double(accuracy)))) "
                    + "in \(fixed(monotonicSeconds() - started, 1)) s")
    }
}

func checkWritableOutput(_ path: String) throws(CLIError) {
    do { try checkWritable(path) } catch { throw CLIError(error.description, hint: "choose another --out") }
}

/// Both splits, the test split read and inflated on another thread meanwhile (it takes ~15% of
/// the load). Should that fail, or its labels not fit the training set's classes, it is loaded
/// again here, in order, for the proper error.
func loadTrainAndTest(from directory: String) throws(CLIError) -> (train: LabeledImages, test: LabeledImages) {
    nonisolated(unsafe) var early: LabeledImages?
    let loading = DispatchGroup()
    DispatchQueue.global().async(group: loading) { early = try? loadSplit(.test, from: directory, classCount: nil) }
    let train = try loadData(.train, from: directory, classCount: nil)
    loading.wait()
    if let t = early, t.classCount <= train.classCount {
        return (train, LabeledImages(images: t.images, labels: t.labels, rows: t.rows, cols: t.cols, classCount: train.classCount))
    }
    return (train, try loadData(.test, from: directory, classCount: train.classCount))
}

func loadData(_ split: Split, from directory: String, classCount: Int?) throws(CLIError) -> LabeledImages {
    do {
        return try loadSplit(split, from: directory, classCount: classCount)
    } catch {
        throw CLIError(error)
    }
}
