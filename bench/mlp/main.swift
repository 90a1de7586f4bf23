// Benchmark for MLPCore: GFLOPS per GEMM shape, then epoch-equivalent training time (938 steps of
// batch 64 on a 784-128-10 ReLU net, synthetic data) for 1 and 2 threads. The SwiftPM target
// mlp-bench, public API only; `make build` builds it with the release CPU flags:
//   make build && .build/release/mlp-bench [epochs [threads...]]
// For the baseline x86-64 figures (no CPU flags), in a scratch path of its own:
//   swift build -c release --scratch-path .build-baseline --product mlp-bench && .build-baseline/release/mlp-bench
#if canImport(Glibc)
import Glibc
#endif
import MLPCore

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// `count` uniform values in [-0.5, 0.5), 64-byte aligned as the library's own buffers are.
func filled(_ count: Int, seed: UInt64) -> UnsafeMutablePointer<Float> {
    var random = SplitMix64(seed: seed)
    let p = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        .bindMemory(to: Float.self, capacity: max(count, 1))
    for i in 0..<count { p[i] = Float(Double(random.next() >> 11) * 0x1p-53 - 0.5) }
    return p
}

let arguments = CommandLine.arguments.dropFirst()
let epochs = arguments.first.flatMap { Int($0) } ?? 5
let threadCounts = arguments.count > 1 ? arguments.dropFirst().compactMap { Int($0) } : [1, 2]

print("GEMM shapes (batch 64, 784-128-10), median of 200 runs:")
let shapes: [(name: String, m: Int, n: Int, k: Int, transposedA: Bool)] = [
    ("x·W1      (64x784)(784x128)", 64, 128, 784, false),
    ("xᵀ·δ1     (784x64)(64x128) ", 784, 128, 64, true),
    ("h·W2      (64x128)(128x16) ", 64, 16, 128, false),
    ("hᵀ·δ2     (128x64)(64x16)  ", 128, 16, 64, true),
    ("δ2·W2ᵀ    (64x10)(10x128)  ", 64, 128, 10, false),
]
for shape in shapes {
    let a = filled(shape.m * shape.k, seed: 1), b = filled(shape.k * shape.n, seed: 2), c = filled(shape.m * shape.n, seed: 3)
    let (rs, cs) = shape.transposedA ? (1, shape.m) : (shape.k, 1)
    var times: [Double] = []
    for _ in 0..<200 {
        let start = now()
        gemm(m: shape.m, n: shape.n, k: shape.k, a: a, aRowStride: rs, aColumnStride: cs, b: b, ldb: shape.n, c: c, ldc: shape.n)
        times.append(now() - start)
    }
    let flops = 2.0 * Double(shape.m * shape.n * shape.k)
    print("  \(shape.name)  \(String(format: "%7.1f", flops / median(times) / 1e9)) GFLOPS  \(String(format: "%6.1f", median(times) * 1e6)) µs")
}

let shape = MLPShape(inputs: 784, hidden: 128, outputs: 10)
let batch = 64, steps = 938, distinctBatches = 32
let x = filled(distinctBatches * batch * shape.inputs, seed: 3)
let labels = UnsafeMutablePointer<Int32>.allocate(capacity: distinctBatches * batch)
for i in 0..<(distinctBatches * batch) { labels[i] = Int32(i * 7 % 10) }
print("Epoch-equivalent: \(steps) steps of batch \(batch), 784-128-10 relu, cross-entropy, lr 0.1; median of \(epochs) epochs:")
for threads in threadCounts {
    let trainer = Trainer(model: MLP(shape: shape, activation: .relu, seed: 1), loss: .crossEntropy,
                          sgd: SGDConfig(learningRate: 0.01), maxBatch: batch, threads: threads)
    var times: [Double] = []
    for _ in 0..<epochs {
        let start = now()
        for s in 0..<steps {
            let i = s % distinctBatches
            trainer.step(x: x + i * batch * shape.inputs, labels: labels + i * batch, count: batch)
        }
        times.append(now() - start)
    }
    let flops = Double(steps) * 4 * Double(batch * shape.hidden * (shape.inputs + 16))
    print("  \(threads) thread\(threads == 1 ? " " : "s"): \(String(format: "%.4f", median(times))) s/epoch  (\(String(format: "%.0f", flops / median(times) / 1e9)) GFLOPS effective; all: \(times.map { String(format: "%.4f", $0) }.joined(separator: " ")))")
}
