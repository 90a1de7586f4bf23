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
            Prints one line per epoch (loss, train and test accuracy, time, samples/s, and for relu and \
            leaky-relu the share of hidden units that never fired, with a warning above half) and saves the \
            model atomically to --out. A run that learns nothing (the loss far above where it \
            started, or train accuracy no better than chance with the loss not falling) stops with \
            an error and leaves --out as it was. With --json the epoch lines are JSON objects (the keys \
            --log uses), and one last object sums the run up: the epoch the model file keeps and why (last, \
            best validation, early stop, interrupted), its test accuracy, the model file and the seconds taken.

            Ctrl-C finishes the current batch, saves a resumable checkpoint to --out, prints the \
            command that resumes it and exits 130 (143 for SIGTERM); before the first batch it \
            stops at once and writes nothing. The same seed and data give the same model bytes, \
            whatever --threads is.

            With --resume, training continues where the checkpoint stopped, into the same file \
            unless --out says otherwise. --lr, --momentum, --nesterov, --weight-decay, --beta1, --beta2, \
            --epsilon, --dropout, --epochs, --patience, --threads, --data, --out, --log, --classes and \
            --checkpoint-every may change; the options that fix the model, the order of the data or the course \
            of the run (--hidden, --activation, --leak, --loss, --batch-size, --seed, --standardise, --schedule, \
            --warmup, --average, --optimiser) may only repeat the checkpoint's values.
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(parsing: .unconditional, help: "Units in the hidden layer (default: 128).")
    var hidden: Int?

    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Learning rate η (default: 0.1; with adam or adamw, 0.001).")
    var learningRate: Float?

    @Option(parsing: .unconditional, help: "Passes over the training set, in all (a resumed run counts the epochs already done).")
    var epochs = 10

    @Option(parsing: .unconditional, help: "Samples per gradient step; the last batch of an epoch may be smaller (default: 64).")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "Momentum μ: 0 is plain SGD, 0.9 is typical (default: 0).")
    var momentum: Float?

    @Flag(help: "Nesterov's momentum: each step looks ahead along the velocity (needs --momentum).")
    var nesterov = false

    @Option(parsing: .unconditional, help: "Weight decay λ on the weights, not the biases: L2 (added to the gradient), or with adamw decoupled (default: 0; with adamw, 0.01).")
    var weightDecay: Float?

    @Option(help: ArgumentHelp("How the learning rate moves: constant, cosine (from --lr to 0 over the run) or step:E:F (× F every E epochs) (default: constant).",
                               valueName: "schedule"))
    var schedule: ScheduleOption?

    @Option(parsing: .unconditional, help: ArgumentHelp("Epochs over which the learning rate first climbs from 0 to --lr (default: 0).", valueName: "epochs"))
    var warmup: Int?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Evaluate and save a moving average of the weights, a ← βa + (1 − β)w after every step; 0.999 is typical (default: 0, off).",
                               valueName: "β"))
    var average: Float?

    @Option(help: "Hidden-layer activation function (default: relu).")
    var activation: Activation?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Slope of leaky-relu below 0, from 0 up to (not including) 1 (default: 0.01).", valueName: "slope"))
    var leak: Float?

    @Option(help: "Loss function; mse is taken on the softmax outputs (default: cross-entropy).")
    var loss: LossFunction?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Hold out N training images (the same N for every seed) and evaluate each epoch on them instead of the test set; the model file keeps the epoch with the best validation accuracy, and the test set is read once, at the end (default: 0).",
                               valueName: "n"))
    var validation: Int?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Stop when the validation accuracy has not improved for N epochs, keeping the best epoch (needs --validation).",
                               valueName: "n"))
    var patience: Int?

    @OptionGroup var augmentationOptions: AugmentationOptions

    @OptionGroup var optimiserOptions: OptimiserOptions

    @Flag(help: "Standardise each input pixel with the training set's mean and spread (stored in the model) instead of x/255.")
    var standardise = false

    @Option(parsing: .unconditional, help: "Seed for the initial weights and the shuffling order (default: 1).",
            transform: parseSeed)
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "Worker threads; the default is the number of cores. Does not change the result.")
    var threads: Int = Terminal.coreCount

    @Option(help: ArgumentHelp("Where to save the model (default: model.bin, or the --resume file when resuming). "
                               + "A symbolic link is followed and its target replaced.", valueName: "file"),
            completion: .file(extensions: ["bin"]))
    var out: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Also save to --out every N epochs (the file is always written at the end).", valueName: "n"))
    var checkpointEvery: Int?

    @Option(help: ArgumentHelp("Continue training from a checkpoint saved by train; --epochs is the total.", valueName: "file"),
            completion: .file(extensions: ["bin"]))
    var resume: String?

    @Option(help: ArgumentHelp("Also write each epoch's figures to this file as the epoch ends: CSV with a header when it ends in .csv, "
                               + "JSON Lines when .jsonl or .json. A resumed run appends to it.", valueName: "file"),
            completion: .file(extensions: ["csv", "jsonl", "json"]))
    var log: String?

    @Option(help: ArgumentHelp("Names of the classes, one per line, class 0 first, stored in the model for eval and predict "
                               + "(default: classes.txt in the data folder, when there).", valueName: "file"),
            completion: .file(extensions: ["txt"]))
    var classes: String?

    @Option(help: ArgumentHelp(
        "How predict brings a picture into this model's input: digit, object or none (default: the data's own form).",
        discussion: InputForm.help + """
             The default: MNIST, Fashion-MNIST, KMNIST and EMNIST are recognised by their files' \
            checksums wherever they are (MNIST is digit, the others object); other data is none, so a \
            picture of one of its own 28x28 images reads as its IDX file does.
            """, valueName: "form"))
    var inputForm: InputForm?

    @OptionGroup var output: OutputOptions

    /// Where the model goes.
    var outputPath: String { out ?? resume ?? "model.bin" }

    func validate() throws {
        if let hidden { guard (1...1_000_000).contains(hidden) else { throw ValidationError("--hidden must be between 1 and 1000000, got \(hidden)") } }
        if let learningRate { guard learningRate.isFinite, learningRate > 0 else { throw ValidationError("--lr must be a positive number, got \(learningRate)") } }
        guard (1...100_000).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 100000, got \(epochs)") }
        if let batchSize { guard (1...65_536).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 65536, got \(batchSize)") } }
        if let momentum { guard momentum.isFinite, (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") } }
        if let weightDecay { guard weightDecay.isFinite, weightDecay >= 0 else { throw ValidationError("--weight-decay must be 0 or more, got \(weightDecay)") } }
        if let validation { guard validation >= 0 else { throw ValidationError("--validation must be 0 or more, got \(validation)") } }
        if let patience { guard (1...100_000).contains(patience) else { throw ValidationError("--patience must be between 1 and 100000 epochs, got \(patience)") } }
        if let warmup { guard (0...100_000).contains(warmup) else { throw ValidationError("--warmup must be between 0 and 100000 epochs, got \(warmup)") } }
        if let average { guard average.isFinite, (0..<1).contains(average) else { throw ValidationError("--average must be in [0, 1), got \(average)") } }
        if nesterov && (momentum ?? 0) == 0 && resume == nil { throw ValidationError("--nesterov needs --momentum, such as --momentum 0.9") }
        if resume == nil { try optimiserOptions.validate(momentum: momentum, nesterov: nesterov) }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
        if let n = checkpointEvery, n < 1 { throw ValidationError("--checkpoint-every must be 1 or more, got \(n)") }
        if out?.isEmpty == true { throw ValidationError("--out is empty; give a file name") }
        if resume?.isEmpty == true { throw ValidationError("--resume is empty; give the checkpoint file") }
        if let leak {
            guard leak.isFinite, (0..<1).contains(leak) else { throw ValidationError("--leak must be in [0, 1), got \(leak)") }
            if activation != .leakyRelu && resume == nil { throw ValidationError("--leak needs --activation leaky-relu") }
        }
        if let log, EpochLog.format(of: log) == nil {
            throw ValidationError("--log must end in .csv (CSV) or .jsonl/.json (JSON Lines), got \(log)")
        }
        if classes?.isEmpty == true { throw ValidationError("--classes is empty; give the names file") }
    }

    func run() throws {
        Interrupts.install()
        let started = monotonicSeconds()
        let plan = try TrainPlan(self)
        let directory = dataOptions.directory
        let (all, test) = try slowStep("loading \(directory)") { () throws(CLIError) in try loadTrainAndTest(from: directory) }
        for warning in labelWarnings(all.labelCounts, file: directory) { Terminal.errorLine(warning) }
        let (train, held) = try split(all, test: test, plan: plan)
        let (run, normalisation) = try slowStep("initialising a \(plan.hidden)-unit network") { () throws(CLIError) in try plan.makeRun(on: train) }
        let file = try modelFileContext(plan: plan, normalisation: normalisation, directory: directory, train: all, test: test)
        let epochLog = try log.map { path throws(CLIError) in try EpochLog(path: path, appending: plan.resumed != nil) }
        let report = EpochReporter(json: output.json, epochs: epochs, held: plan.sections.validation > 0 ? "validation" : "test")
        report.showsLearningRate = plan.settings.schedule != .constant
        if !output.json {
            let data = [directory, file.datasetName].compactMap { $0 }.joined(separator: ": ")
            report.note("training \(plan.describe(run, standardised: !normalisation.isUnitRange)) on \(train.count) samples "
                        + "(\(data), \(file.inputForm.rawValue) form), \(threads) thread\(threads == 1 ? "" : "s")")
        }
        Interrupts.deferToTraining()
        let end = try plan.train(run, describedBy: file, on: train, evaluatingOn: held, report: report, log: epochLog)
        if case .interrupted(let signal) = end {
            try plan.saveInterrupted(run, file, by: signal, report: report)
            summarise(run, .interrupted, plan: plan, started: started)
            throw CLIError("training interrupted by \(Interrupts.name(of: signal))", status: Interrupts.exitStatus(for: signal))
        }
        if end == .earlyStop, let patience = plan.sections.patience {
            report.note("stopped early after epoch \(run.state.position.epochsCompleted): no better validation accuracy for \(patience) epoch\(patience == 1 ? "" : "s")")
        }
        if let best = run.state.best, plan.sections.validation > 0 {
            // The test set, read once: the kept epoch's weights, after every choice was made on validation.
            let accuracy = evaluate(plan.checkpoint(of: run, file), on: test, threads: threads).confusion.accuracy
            run.state.testAccuracy = Float(accuracy)
            report.note("kept epoch \(best.epoch) (validation \(percent(Double(best.accuracy)))); "
                        + "test \(percent(accuracy)), error \(percent(1 - accuracy))")
        }
        let final = plan.checkpoint(of: run, file)
        try ModelFile.save(final, to: plan.out)
        report.note("saved \(plan.out) (\(ModelFile.summary(final)), test accuracy \(percent(Double(run.state.testAccuracy ?? .nan)))) "
                    + "in \(fixed(monotonicSeconds() - started, 1)) s")
        summarise(run, end == .earlyStop ? .earlyStop : plan.sections.validation > 0 ? .bestValidation : .last, plan: plan, started: started)
    }

    /// With --validation, the training data less the held-out images, and those; else all of it and the test split.
    private func split(_ all: LabeledImages, test: LabeledImages, plan: TrainPlan) throws(CLIError) -> (train: LabeledImages, held: LabeledImages) {
        let heldOut = plan.sections.validation
        let status: ExitStatus = plan.resumed == nil ? .usage : .failure
        // Without a split, train on the loaded images themselves: a copy would cost 47 MB for MNIST.
        guard heldOut > 0 else { return (all, test) }
        let split: ValidationSplit
        do { split = try ValidationSplit(all, validation: heldOut, seed: Self.validationSeed) } catch {
            throw CLIError(file: dataOptions.directory, "\(error)", status: status)
        }
        guard split.training.count >= plan.settings.batchSize else {
            let left = split.training.count
            throw CLIError(file: dataOptions.directory, "--validation \(heldOut) leaves \(left) training sample\(left == 1 ? "" : "s") "
                           + "of \(all.count), fewer than one batch of \(plan.settings.batchSize)",
                           hint: "hold out at most \(all.count - plan.settings.batchSize), or pass a smaller --batch-size", status: status)
        }
        return (split.training, split.validation)
    }

    /// The data's record, class names and input form, for the model file.
    private func modelFileContext(plan: TrainPlan, normalisation: Normalisation, directory: String,
                                  train all: LabeledImages, test: LabeledImages) throws(CLIError) -> ModelFileContext {
        let saved = plan.resumed?.checkpoint
        let data = DataProvenance(folder: directory, train: all, test: test)
        if let recorded = saved?.provenance, recorded.train != data.train {
            Terminal.errorLine("warning: \(plan.out) was trained on \(recorded.summary); it now goes on with \(data.summary)")
        }
        let known = recogniseDataset(in: directory, train: all, test: test)
        return ModelFileContext(
            normalisation: normalisation, provenance: data,
            classNames: try classNames(directory: directory, classes: all.classCount) ?? saved?.classNames
                ?? known?.classNames.flatMap { $0.count == all.classCount ? $0 : nil },
            inputForm: try trainingInputForm(given: inputForm, resumed: saved, resumedFile: resume, known: known),
            datasetName: known?.name)
    }

    /// The last line of `--json`: which epoch the file keeps and why, and how it scores.
    private func summarise(_ run: TrainingRun, _ reason: TrainSummary.Reason, plan: TrainPlan, started: Double) {
        guard output.json else { return }
        let epochs = run.state.position.epochsCompleted
        let summary = TrainSummary(keptEpoch: run.state.best?.epoch ?? epochs, reason: reason, epochsCompleted: epochs,
                                   testAccuracy: run.state.testAccuracy.map(decimalDouble), model: plan.out,
                                   seconds: monotonicSeconds() - started)
        print(summary.json.text)
    }

    /// The names --classes gives, else classes.txt beside the data, checked against the data's
    /// class count; nil when there are neither.
    func classNames(directory: String, classes count: Int) throws(CLIError) -> [String]? {
        let besideData = directory + "/" + ClassNamesFile.defaultName
        guard let path = classes ?? (fileExists(besideData) ? besideData : nil) else { return nil }
        return try ClassNamesFile.read(path, classes: count)
    }

    /// The validation split's draw: fixed, so every seed and every setting is scored on the same images.
    static let validationSeed: UInt64 = 0x5EED

    /// The command that continues this run into the same file, as the user invoked the tool, for
    /// pasting into a POSIX shell.
    func resumeCommand(out: String) -> String {
        var words = [CommandLine.arguments.first ?? "mnist-cli", "train", "--resume", out, "--epochs", "\(epochs)"]
        if let data = dataOptions.data { words += ["--data", data] }
        if let checkpointEvery { words += ["--checkpoint-every", "\(checkpointEvery)"] }
        if let log { words += ["--log", log] }
        if output.json { words.append("--json") }
        return shellCommand(words)
    }
}

/// "-5" and "1e3" are not seeds: a seed is a whole number that fits in 64 bits.
private func parseSeed(_ text: String) throws -> UInt64 {
    guard let value = UInt64(text) else {
        throw ValidationError("--seed must be a whole number from 0 to \(UInt64.max), got \(text)")
    }
    return value
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
    } catch .missingFile(let file, _) where directory == DataOptions.defaultDirectory {
        throw CLIError(file: file, "no such file", hint: "run `make data` to fetch MNIST into \(directory), or give --data")
    } catch {
        throw CLIError(error)
    }
}
