// `make bench`: the reference run (784-128-10, ReLU, softmax cross-entropy, plain SGD lr 0.1,
// batch 64, seed 1) timed the way the CLI runs it, next to bench/numpy_reference.py run in the
// same invocation, so the ratio holds on a noisy machine. Also: GEMM GFLOPS per shape, train-set
// load time, 10k eval compute, whole-process train and predict times and peak RSS of the CLI.
// (Whether the kernels are right is for the tests: GEMMTests holds them to their scalar twins.)
// The SwiftPM target mnist-bench, built in release with `make build`'s CPU flags and, like any
// user of the libraries, public API only; scripts/bench.sh builds and runs it.
//
// Also: the same run next to a C program over OpenBLAS (bench/openblas_reference.c), with a busy
// process on one core and two trainings at once (default threads against one, under the same
// load), and the record's width with dense inputs against the same C program.
//
// Usage: mnist-bench --cli PATH [--data DIR] [--epochs N] [--runs N] [--work DIR] [--python PATH]
//                    [--openblas PATH] [--dense-epochs N]
import Foundation
import MLPCore
import Synchronization
import MNISTData

// MARK: - Arguments

var options: [String: String] = [:]
do {
    var words = CommandLine.arguments.dropFirst()[...]
    while let word = words.popFirst() {
        guard word.hasPrefix("--"), let value = words.popFirst() else {
            FileHandle.standardError.write("usage: mnist-bench --cli PATH [--data DIR] [--epochs N] [--runs N] [--work DIR] [--python PATH]\n".data(using: .utf8)!)
            exit(2)
        }
        options[String(word.dropFirst(2))] = value
    }
}
let cli = options["cli"] ?? ".build/release/mnist-cli"
let dataDirectory = options["data"] ?? "data/mnist"
let epochs = Int(options["epochs"] ?? "") ?? 10
let processRuns = Int(options["runs"] ?? "") ?? 3
let work = options["work"] ?? NSTemporaryDirectory() + "mnist-bench-\(getpid())"
let python = options["python"]
let numpyScript = options["numpy-script"] ?? "bench/numpy_reference.py"
/// The C + OpenBLAS peer (bench/openblas_reference.c), built by scripts/bench.sh; nil: skipped.
let openblasPeer = options["openblas"]
/// Epochs of the dense record-width comparison (0 skips it).
let denseEpochs = Int(options["dense-epochs"] ?? "") ?? 2
try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

// MARK: - Helpers

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
func ms(_ seconds: Double) -> String { f(seconds * 1000, 1) + " ms" }
func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
func note(_ text: String) { FileHandle.standardError.write((text + "\n").data(using: .utf8)!) }

/// Runs argv to completion with stdout sent to `stdoutPath` (or /dev/null): wall seconds, peak RSS
/// in KB, exit status. Linux's ru_maxrss of a spawned child starts at its parent's high-water mark
/// (the exec'ing process still has the parent's memory), and this process holds the dataset, so
/// the peak is taken through /usr/bin/time, a small parent, when it exists (0 otherwise).
func spawn(_ argv: [String], environment: [String: String] = [:], stdoutPath: String = "/dev/null")
    -> (seconds: Double, maxRSSKB: Int, status: Int32) {
    let timeTool = "/usr/bin/time", rssFile = work + "/rss.txt"
    guard FileManager.default.isExecutableFile(atPath: timeTool) else {
        let run = launch(argv, environment: environment, stdoutPath: stdoutPath)
        return (run.seconds, 0, run.status)
    }
    let run = launch([timeTool, "-f", "%M", "-o", rssFile] + argv, environment: environment, stdoutPath: stdoutPath)
    let text = (try? String(contentsOfFile: rssFile, encoding: .utf8)) ?? ""
    let kb = text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last ?? 0
    return (run.seconds, kb, run.status)
}

func launch(_ argv: [String], environment: [String: String], stdoutPath: String) -> (seconds: Double, status: Int32) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (cArgs + cEnv).forEach { free($0) } }
    var pid: pid_t = 0
    let start = now()
    guard posix_spawnp(&pid, argv[0], &actions, nil, cArgs, cEnv) == 0 else { return (.nan, -1) }
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
    return (now() - start, (status >> 8) & 0xff)
}

func require<T>(_ value: T?, _ message: String) -> T {
    guard let value else { note("mnist-bench: \(message)"); exit(1) }
    return value
}

// MARK: - Data

let loadTimes = (0..<3).map { _ in
    let start = now()
    _ = try? loadSplit(.train, from: dataDirectory, classCount: nil)
    return now() - start
}
let train: LabeledImages
let test: LabeledImages
do {
    train = try loadSplit(.train, from: dataDirectory, classCount: nil)
    test = try loadSplit(.test, from: dataDirectory, classCount: train.classCount)
} catch {
    note("mnist-bench: \(error)")
    exit(1)
}
let shape = MLPShape(inputs: train.pixelsPerImage, hidden: 128, outputs: train.classCount)
let normalisation = Normalisation.unitRange(features: shape.inputs)
/// Multiply-adds of one epoch ×2: the two 784x128 products per sample (forward and dW1), and the
/// three 128x10 ones (forward, dW2, δ1). δ1 needs no product into the inputs.
let epochFlops = Double(train.count) * Double(4 * shape.inputs * shape.hidden + 6 * shape.hidden * shape.outputs)

// MARK: - GEMM shapes

struct GEMMRow { var name: String; var gflops: Double; var seconds: Double }

func filled(_ count: Int, seed: UInt64) -> [Float] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in Float(Double(random.next() >> 11) * 0x1p-53 - 0.5) }
}

/// Median seconds of one `gemm` call on index-seeded matrices.
func timeGEMM(m: Int, n: Int, k: Int, transposedA: Bool, runs: Int) -> Double {
    let a = filled(m * k, seed: 1), b = filled(k * n, seed: 2)
    var c = [Float](repeating: 0, count: m * n)
    let (rs, cs) = transposedA ? (1, m) : (k, 1)
    var times: [Double] = []
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                for _ in 0..<runs {
                    let start = now()
                    gemm(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: rs, aColumnStride: cs,
                         b: b.baseAddress!, ldb: n, c: c.baseAddress!, ldc: n)
                    times.append(now() - start)
                }
            }
        }
    }
    return median(times)
}

let gemmShapes: [(name: String, m: Int, n: Int, k: Int, transposedA: Bool)] = [
    ("x·W1    (64x784)(784x128)", 64, 128, 784, false),
    ("xᵀ·δ1   (784x64)(64x128)", 784, 128, 64, true),
    ("h·W2    (64x128)(128x16)", 64, 16, 128, false),
    ("hᵀ·δ2   (128x64)(64x16)", 128, 16, 64, true),
    ("δ2·W2ᵀ  (64x10)(10x128)", 64, 128, 10, false),
    ("eval    (1000x784)(784x128)", 1000, 128, 784, false),
]
var gemmRows: [GEMMRow] = []
for s in gemmShapes {
    let flops = 2.0 * Double(s.m * s.n * s.k)
    let seconds = timeGEMM(m: s.m, n: s.n, k: s.k, transposedA: s.transposedA, runs: 200)
    gemmRows.append(GEMMRow(name: s.name, gflops: flops / seconds / 1e9, seconds: seconds))
}

/// The record run's shapes (784-H-10 as the Makefile's RECORD_FLAGS set it, batch 128, augmented
/// inputs: dense, so no zeros skipped), one thread each, next to numpy's products of the same
/// shapes, one BLAS thread, in this run.
let recordHidden = 2048
let recordShapes: [(name: String, m: Int, n: Int, k: Int, transposedA: Bool)] = [
    ("x·W1    (128x784)(784x\(recordHidden))", 128, recordHidden, 784, false),
    ("xᵀ·δ1   (784x128)(128x\(recordHidden))", 784, recordHidden, 128, true),
    ("h·W2    (128x\(recordHidden))(\(recordHidden)x16)", 128, 16, recordHidden, false),
    ("δ2·W2ᵀ  (128x10)(10x\(recordHidden))", 128, recordHidden, 10, false),
]
let recordRows = recordShapes.map { s in
    let seconds = timeGEMM(m: s.m, n: s.n, k: s.k, transposedA: s.transposedA, runs: 50)
    return GEMMRow(name: s.name, gflops: 2.0 * Double(s.m * s.n * s.k) / seconds / 1e9, seconds: seconds)
}
let numpyRecord: [String: Double] = {
    guard let python else { return [:] }
    let output = work + "/numpy-gemm.json"
    let specs = recordShapes.map { "\($0.m)x\($0.n)x\($0.k)\($0.transposedA ? "t" : "")" }
    let script = URL(fileURLWithPath: numpyScript).deletingLastPathComponent().appendingPathComponent("numpy_gemm.py").path
    let run = spawn([python, script, "50"] + specs, environment: ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"], stdoutPath: output)
    guard run.status == 0, let data = FileManager.default.contents(atPath: output),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Double] else { return [:] }
    return json
}()

/// The same shapes through the C peer's OpenBLAS (Debian's build, its kernel for this CPU), one thread.
let openblasRecord: [String: Double] = {
    guard let openblasPeer else { return [:] }
    let output = work + "/openblas-gemm.json"
    let specs = recordShapes.map { "\($0.m)x\($0.n)x\($0.k)\($0.transposedA ? "t" : "")" }
    let run = spawn([openblasPeer, "gemm", "50"] + specs, environment: ["OPENBLAS_NUM_THREADS": "1"], stdoutPath: output)
    guard run.status == 0, let data = FileManager.default.contents(atPath: output),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Double] else { return [:] }
    return json
}()

if options["only"] == "gemm" {
    // `--only gemm`: the record shapes' table alone, for working on the kernels.
    for (s, row) in zip(recordShapes, recordRows) {
        let spec = "\(s.m)x\(s.n)x\(s.k)\(s.transposedA ? "t" : "")", flops = 2.0 * Double(s.m * s.n * s.k)
        print("\(pad(row.name, 36))\(pad(f(row.gflops, 1), 8))\(openblasRecord[spec].map { f(flops / $0 / 1e9, 1) } ?? "-")")
    }
    exit(0)
}

// MARK: - The reference run, in process, as the CLI runs it

struct ReferenceRun { var epochSeconds: [Double]; var testAccuracy: Double; var parameters: [Float] }

extension NormalisedImages: BatchSource {}
let trainSamples = NormalisedImages(train, normalisation), testSamples = NormalisedImages(test, normalisation)

/// `mnist-cli train --hidden 128 --lr 0.1` through the same library loop, in process. `fused`
/// false applies the optimiser step after backprop to the stored gradient (same bits).
func referenceRun(threads: Int, fused: Bool = true, epochs: Int = epochs, hidden: Int = 128, batchSize: Int = 64,
                  train: NormalisedImages = trainSamples, test: NormalisedImages = testSamples) -> ReferenceRun {
    let sgd = SGDConfig(learningRate: 0.1)
    let shape = MLPShape(inputs: shape.inputs, hidden: hidden, outputs: shape.outputs)
    let trainer = Trainer(model: MLP(shape: shape, activation: .relu, seed: 1), loss: .crossEntropy,
                          sgd: sgd, maxBatch: batchSize, threads: threads)
    trainer.fusesOptimiserStep = fused
    let run = TrainingRun(trainer: trainer, state: .starting(TrainingSettings(seed: 1, batchSize: batchSize, sgd: sgd, loss: .crossEntropy)))
    var seconds: [Double] = [], accuracy = Double.nan
    _ = try! run.train(epochs: epochs, on: train, evaluatingOn: test,
                   hooks: TrainingHooks(afterEpoch: { epoch, _ in
                       seconds.append(epoch.seconds)
                       accuracy = epoch.evaluationAccuracy
                       return .carryOn
                   }))
    return ReferenceRun(epochSeconds: seconds, testAccuracy: accuracy, parameters: trainer.model.parameters)
}

/// Accuracy on the 10k test set, as `mnist-cli eval` computes it.
func evaluate(_ model: MLP, threads: Int) -> (accuracy: Double, seconds: Double) {
    let inference = Inference(model: model, maxBatch: evaluationChunk, threads: threads)
    let start = now()
    let result = inference.evaluate(testSamples, loss: .crossEntropy)
    return (result.confusion.accuracy, now() - start)
}

struct NumpyRun { var epochSeconds: [Double]; var testAccuracy: Double }

func numpyRun(threads: Int) -> NumpyRun? {
    guard let python else { return nil }
    let output = work + "/numpy-\(threads).json"
    let env = ["OPENBLAS_NUM_THREADS": "\(threads)", "OMP_NUM_THREADS": "\(threads)", "MKL_NUM_THREADS": "\(threads)"]
    let run = spawn([python, numpyScript, dataDirectory, "\(epochs)"], environment: env, stdoutPath: output)
    guard run.status == 0, let data = FileManager.default.contents(atPath: output),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let seconds = json["epoch_seconds"] as? [Double], let accuracy = json["test_accuracy"] as? Double else {
        note("mnist-bench: the numpy reference run failed (status \(run.status)); skipping the comparison")
        return nil
    }
    return NumpyRun(epochSeconds: seconds, testAccuracy: accuracy)
}

// Interleaved (numpy, ours) per thread count, so both see the same machine load.
var ours: [Int: ReferenceRun] = [:]
var numpy: [Int: NumpyRun] = [:]
for threads in [2, 1] {
    note("reference run, \(threads) thread(s): numpy, then mnist-cli's kernels (\(epochs) epochs each)")
    numpy[threads] = numpyRun(threads: threads)
    ours[threads] = referenceRun(threads: threads)
}
let sameBits = ours[1]!.parameters == ours[2]!.parameters
note("the reference run again, 1 and 2 threads, with the optimiser step after backprop instead of fused into it")
let unfused = [2, 1].reduce(into: [Int: ReferenceRun]()) { $0[$1] = referenceRun(threads: $1, fused: false) }

// MARK: - The C + OpenBLAS peer

struct PeerRun { var kernel: String; var epochSeconds: [Double]; var testAccuracy: Double }

/// bench/openblas_reference.c on `threads` OpenBLAS threads: 784-hidden-10, SGD lr 0.1.
func openblasRun(threads: Int, epochs: Int = epochs, hidden: Int = 128, batchSize: Int = 64, standardise: Bool = false) -> PeerRun? {
    guard let openblasPeer else { return nil }
    let output = work + "/openblas-\(threads)-\(hidden).json"
    let run = spawn([openblasPeer, dataDirectory, "\(epochs)", "\(hidden)", "\(batchSize)", "0.1", standardise ? "1" : "0"],
                    environment: ["OPENBLAS_NUM_THREADS": "\(threads)", "OMP_NUM_THREADS": "\(threads)"], stdoutPath: output)
    guard run.status == 0, let data = FileManager.default.contents(atPath: output),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let seconds = json["epoch_seconds"] as? [Double], let accuracy = json["test_accuracy"] as? Double else {
        note("mnist-bench: the C + OpenBLAS run failed (status \(run.status)); skipping it")
        return nil
    }
    return PeerRun(kernel: json["kernel"] as? String ?? "?", epochSeconds: seconds, testAccuracy: accuracy)
}

var peer: [Int: PeerRun] = [:]
var oursBesidePeer: [Int: [Double]] = [:]
if openblasPeer != nil {
    // Interleaved, twice, so both see the same machine.
    for _ in 0..<2 {
        for threads in [2, 1] {
            note("reference run, \(threads) thread(s): C + OpenBLAS, then mnist-cli's kernels")
            if let run = openblasRun(threads: threads) {
                peer[threads, default: PeerRun(kernel: run.kernel, epochSeconds: [], testAccuracy: run.testAccuracy)].epochSeconds += run.epochSeconds
            }
            oursBesidePeer[threads, default: []] += referenceRun(threads: threads).epochSeconds
        }
    }
}

// MARK: - Under load

/// Starts `yes` writing to /dev/null (one busy core, as any other program might keep it), runs
/// body, then stops it.
func withBusyProcess<T>(_ body: () -> T) -> T {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let argv = [strdup("yes"), nil]
    let spawned = posix_spawnp(&pid, "yes", &actions, nil, argv, environ) == 0
    posix_spawn_file_actions_destroy(&actions)
    free(argv[0])
    if !spawned { note("mnist-bench: could not start `yes`; the busy-core figures are without load") }
    defer {
        if spawned {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
    return body()
}

/// Two reference runs at once on `threads` threads each, on threads of this process: both runs'
/// epoch seconds.
func twoAtOnce(threads: Int, epochs: Int) -> [Double] {
    let results = Mutex<[Double]>([])
    let group = DispatchGroup()
    for _ in 0..<2 {
        group.enter()
        let thread = Thread {
            let seconds = referenceRun(threads: threads, epochs: epochs).epochSeconds
            results.withLock { $0 += seconds }
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
    return results.withLock { $0 }
}

let loadEpochs = max(2, epochs / 2)
var busy: [Int: [Double]] = [:], pairs: [Int: [Double]] = [:]
var busyBits: [Int: [Float]] = [:]
note("with `yes` busy on one core: the reference run on 2 and 1 threads, interleaved (\(loadEpochs) epochs each, twice)")
withBusyProcess {
    for _ in 0..<2 {
        for threads in [2, 1] {
            let run = referenceRun(threads: threads, epochs: loadEpochs)
            busy[threads, default: []] += run.epochSeconds
            busyBits[threads] = run.parameters
        }
    }
}
note("two reference runs at once, on 2 threads each and on 1, interleaved (\(loadEpochs) epochs each, twice)")
for _ in 0..<2 {
    for threads in [2, 1] { pairs[threads, default: []] += twoAtOnce(threads: threads, epochs: loadEpochs) }
}
/// The same seed's model after `loadEpochs` epochs, with no load: what the loaded runs must equal.
let quietBits = referenceRun(threads: 2, epochs: loadEpochs).parameters

// MARK: - Dense inputs at the record's width

var denseOurs: [Int: [Double]] = [:], densePeer: [Int: [Double]] = [:]
if denseEpochs > 0 {
    let standardised = Normalisation.standardised(fitTo: train)
    let denseTrain = NormalisedImages(train, standardised), denseTest = NormalisedImages(test, standardised)
    for threads in [2, 1] {
        note("784-\(recordHidden)-10, batch 128, standardised (dense) inputs, \(threads) thread(s): C + OpenBLAS, then mnist-cli's kernels (\(denseEpochs) epochs each)")
        if let run = openblasRun(threads: threads, epochs: denseEpochs, hidden: recordHidden, batchSize: 128, standardise: true) {
            densePeer[threads] = run.epochSeconds
        }
        denseOurs[threads] = referenceRun(threads: threads, epochs: denseEpochs, hidden: recordHidden, batchSize: 128,
                                          train: denseTrain, test: denseTest).epochSeconds
    }
}

// MARK: - Augmentation

extension AugmentedImages: BatchSource {}
/// Every training image distorted once (the record recipe's settings), 128 at a time, one thread.
let augmentedPerSecond: Double = {
    let augmented = try! AugmentedImages(train, normalisation, settings: .simard)
    let x = UnsafeMutablePointer<Float>.allocate(capacity: 128 * augmented.features)
    let labels = UnsafeMutablePointer<Int32>.allocate(capacity: 128)
    defer { x.deallocate(); labels.deallocate() }
    let order = (0..<Int32(augmented.count)).map { $0 }
    let start = now()
    order.withUnsafeBufferPointer { order in
        for range in batchRanges(count: augmented.count, batchSize: 128) {
            augmented.fill(UnsafeBufferPointer(rebasing: order[range]), epoch: 1, x: x, labels: labels)
        }
    }
    return Double(augmented.count) / (now() - start)
}()

// MARK: - Eval compute

let evalModel = try! MLP(shape: shape, activation: .relu, parameters: ours[2]!.parameters)
let evalTimes = [2, 1].map { threads in median((0..<7).map { _ in evaluate(evalModel, threads: threads).seconds }) }

// MARK: - Whole processes: train, predict

note("whole-process runs of \(cli): train x\(processRuns), predict x10")
let modelPath = work + "/model.bin"
let trainRuns = (0..<processRuns).map { _ in
    spawn([cli, "train", "--hidden", "128", "--lr", "0.1", "--data", dataDirectory, "--out", modelPath])
}
let pngPath = work + "/digit.png"
let first = Array(test.images[0..<test.pixelsPerImage])
_ = FileManager.default.createFile(atPath: pngPath, contents: Data(encodeGreyPNG(width: test.cols, height: test.rows, grey: first)))
let predictRuns = (0..<10).map { _ in spawn([cli, "predict", "--model", modelPath, pngPath]) }

// MARK: - Report

let loadAverage = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
print("mnist-cli benchmark: \(shape) relu, cross-entropy, SGD lr 0.1, batch 64, \(epochs) epochs; \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage) at the end")
print("(other processes on the cores slow the 2-thread figures most; compare ratios to numpy, which ran alongside)")
print("One epoch = \(f(epochFlops / 1e9, 1)) GFLOP of matrix products.")
print("")
print("GEMM (1 thread, median of 200)        GFLOPS   per call")
for row in gemmRows {
    print("  \(pad(row.name, 34))\(pad(f(row.gflops, 1), 9))\(f(row.seconds * 1e6, 1)) µs")
}
print("")
print("Epoch time (shuffle + gather + step)    median    min       max       GFLOPS  test acc  vs numpy")
for threads in [2, 1] {
    let n = numpy[threads]
    if let n {
        let t = n.epochSeconds
        print("  numpy, \(threads) thread\(threads == 1 ? " " : "s")                   \(pad(f(median(t), 4) + " s", 10))\(pad(f(t.min()!, 4) + " s", 10))\(pad(f(t.max()!, 4) + " s", 10))\(pad(f(epochFlops / median(t) / 1e9, 0), 8))\(pad(f(n.testAccuracy * 100, 2) + "%", 10))1.00")
    }
    let r = ours[threads]!, t = r.epochSeconds
    let ratio = n.map { f(median(t) / median($0.epochSeconds), 2) + " of numpy's time" } ?? "(numpy not run)"
    print("  mnist-cli, \(threads) thread\(threads == 1 ? " " : "s")               \(pad(f(median(t), 4) + " s", 10))\(pad(f(t.min()!, 4) + " s", 10))\(pad(f(t.max()!, 4) + " s", 10))\(pad(f(epochFlops / median(t) / 1e9, 0), 8))\(pad(f(r.testAccuracy * 100, 2) + "%", 10))\(ratio)")
}
print("  same model bits with 1 and 2 threads: \(sameBits ? "yes" : "NO")")
for threads in [2, 1] {
    let fusedMedian = median(ours[threads]!.epochSeconds), unfusedMedian = median(unfused[threads]!.epochSeconds)
    print("  optimiser step after backprop instead of fused, \(threads) thread\(threads == 1 ? "" : "s"): \(f(unfusedMedian, 4)) s "
          + "(\(f(unfusedMedian / fusedMedian, 2))x the fused epoch); same bits: \(unfused[threads]!.parameters == ours[threads]!.parameters ? "yes" : "NO")")
}
print("")
print("Record shapes (784-\(recordHidden)-10, batch 128, dense inputs), 1 thread, GFLOPS: ours, numpy's OpenBLAS, the C peer's OpenBLAS (\(peer.values.first?.kernel ?? "not run"))")
for (s, row) in zip(recordShapes, recordRows) {
    let spec = "\(s.m)x\(s.n)x\(s.k)\(s.transposedA ? "t" : "")", flops = 2.0 * Double(s.m * s.n * s.k)
    let numpyGFLOPS = numpyRecord[spec].map { flops / $0 / 1e9 }, cGFLOPS = openblasRecord[spec].map { flops / $0 / 1e9 }
    let best = [numpyGFLOPS, cGFLOPS].compactMap { $0 }.max()
    print("  \(pad(row.name, 36))\(pad(f(row.gflops, 1), 8))\(pad(numpyGFLOPS.map { f($0, 1) } ?? "-", 8))\(pad(cGFLOPS.map { f($0, 1) } ?? "-", 8))"
          + (best.map { "ours / best OpenBLAS \(f(row.gflops / $0, 2))" } ?? ""))
}
print("")
if !peer.isEmpty {
    print("Reference run beside C + OpenBLAS (bench/openblas_reference.c, kernel \(peer.values.first!.kernel)), interleaved twice")
    for threads in [2, 1] {
        guard let c = peer[threads]?.epochSeconds, let o = oursBesidePeer[threads] else { continue }
        print("  \(threads) thread\(threads == 1 ? " " : "s"): C \(f(median(c), 4)) s (test \(f(peer[threads]!.testAccuracy * 100, 2))%), mnist-cli \(f(median(o), 4)) s: \(f(median(o) / median(c), 2)) of C's epoch")
    }
} else {
    print("Reference run beside C + OpenBLAS: NOT RUN (no libopenblas-dev: apt-get install -y libopenblas-dev)")
}
func loadLine(_ what: String, _ runs: [Int: [Double]]) -> String {
    let two = median(runs[2] ?? [.nan]), one = median(runs[1] ?? [.nan])
    return "  \(pad(what, 34))2 threads \(f(two, 4)) s, 1 thread \(f(one, 4)) s: \(f(two / one, 2))x the 1-thread epoch (target ≤ 1.2)"
}
print("Under load (median epochs, \(loadEpochs) per run, 2 and 1 threads interleaved twice)")
print(loadLine("`yes` busy on one core:", busy))
print(loadLine("two trainings at once (each):", pairs))
print("  same model bits loaded as unloaded, 2 and 1 threads: \(busyBits[2] == quietBits && busyBits[1] == quietBits ? "yes" : "NO")")
if denseEpochs > 0 {
    print("Dense 784-\(recordHidden)-10, batch 128, --standardise (median of \(denseEpochs) epochs)")
    for threads in [2, 1] {
        let o = median(denseOurs[threads] ?? [.nan])
        let c = densePeer[threads].map { median($0) }
        print("  \(threads) thread\(threads == 1 ? " " : "s"): mnist-cli \(f(o, 3)) s" + (c.map { ", C + OpenBLAS \(f($0, 3)) s: \(f(o / $0, 2)) of C's epoch (target ≤ 0.9)" } ?? " (C peer not run)"))
    }
}
print("")
print("Augmentation (elastic α 34 σ 4 + affine), 1 thread: \(f(augmentedPerSecond, 0)) images/s")
print("")
print("Train-set load (60k, gzip'd IDX): median \(ms(median(loadTimes))) (min \(ms(loadTimes.min()!)))")
print("Eval compute, 10k test set:       \(ms(evalTimes[0])) with 2 threads, \(ms(evalTimes[1])) with 1")
let trainWall = trainRuns.map(\.seconds), failedTrains = trainRuns.filter { $0.status != 0 }.count
print("Whole `mnist-cli train --hidden 128 --lr 0.1`: median \(f(median(trainWall), 2)) s (min \(f(trainWall.min()!, 2)), max \(f(trainWall.max()!, 2)); \(processRuns) runs\(failedTrains > 0 ? ", \(failedTrains) FAILED" : ""))")
print("  peak RSS: \(f(Double(trainRuns.map(\.maxRSSKB).max()!) / 1024, 1)) MB (0 = /usr/bin/time missing)")
let predictWall = predictRuns.map(\.seconds), failedPredicts = predictRuns.filter { $0.status != 0 }.count
print("Whole `mnist-cli predict` on one PNG: median \(ms(median(predictWall))) (min \(ms(predictWall.min()!)); 10 runs\(failedPredicts > 0 ? ", \(failedPredicts) FAILED" : "")), peak RSS \(f(Double(predictRuns.map(\.maxRSSKB).max()!) / 1024, 1)) MB")
try? FileManager.default.removeItem(atPath: work)
