import Foundation
import MLPCore
import Testing

/// `export`: each format, loaded by the library people would load it with (onnxruntime, numpy,
/// safetensors), gives `predict`'s probabilities within 1e-5, for every activation, with and
/// without --standardise. `predict --idx` feeds the model the file's raw pixels through the same
/// Classifier as every other input, so its --json probabilities are the reference.
@Suite final class ExportTests {
    let dir: URL

    init() throws {
        dir = try CLI.temporaryDirectory()
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static let tolerance = 1e-5

    /// The activations, each with an argument that makes it count: leaky-relu with a slope other
    /// than the default, so a file that forgot it would be seen.
    static let activations: [(String, [String])] = [("relu", []), ("leaky-relu", ["--leak", "0.2"]), ("sigmoid", []), ("tanh", [])]

    static let cases: [(activation: String, standardise: Bool)] = activations.flatMap { a in [(a.0, false), (a.0, true)] }

    /// Names with a quote and a backslash, which the JSON in the files must escape.
    static let classNames = ["zero", "one \"1\"", "two\\2", "three", "four", "five", "six", "seven", "eight", "nine"]

    @Test(.enabled(if: Python.isReady), arguments: cases)
    func syntheticModelsGivePredictsProbabilities(activation: String, standardise: Bool) throws {
        try SyntheticDataset.write(to: dir, trainCount: 300, testCount: 60)
        try (Self.classNames.joined(separator: "\n") + "\n").write(toFile: path("names.txt"), atomically: true, encoding: .utf8)
        try checkRoundTrip(data: dir.path, activation: activation, standardise: standardise, images: 60,
                           extra: ["--classes", path("names.txt")], names: Self.classNames)
    }

    @Test(.enabled(if: Python.isReady && CLI.hasMNIST), arguments: cases)
    func mnistModelsGivePredictsProbabilitiesOn1000TestImages(activation: String, standardise: Bool) throws {
        try checkRoundTrip(data: CLI.mnistDirectory, activation: activation, standardise: standardise, images: 1000,
                           extra: [], names: (0..<10).map { "\($0)" })
    }

    /// Trains a small model, exports it in every format, and compares what Python computes from
    /// each file with `predict`'s probabilities on the first `images` test images.
    private func checkRoundTrip(data: String, activation: String, standardise: Bool, images: Int,
                                extra: [String], names: [String]) throws {
        let model = path("model.bin")
        let activationArguments = Self.activations.first { $0.0 == activation }!.1
        let trained = try CLI.run(["train", "--data", data, "--hidden", "24", "--epochs", "1", "--lr", "0.1", "--threads", "1",
                                   "--activation", activation, "--out", model] + activationArguments
                                  + (standardise ? ["--standardise"] : []) + extra)
        try #require(trained.status == 0, "\(trained.stderr)")
        for format in ExportFormat.allCases {
            let exported = try CLI.run(["export", model, "--format", format.rawValue])
            try #require(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.hasPrefix("wrote \(path("model." + format.fileExtension)): "), "\(exported.stdout)")
        }

        let testImages = try testImagesFile(in: data)
        let predicted = try CLI.run(["predict", "--model", model, "--idx", testImages, "--json"]
                                    + (0..<images).flatMap { ["--index", "\($0)"] })
        try #require(predicted.status == 0, "\(predicted.stderr)")
        let reference = try predicted.stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["probabilities"] as? [Double])
        }
        try #require(reference.count == images)

        let loaded = try Python.run(Python.roundTrip, arguments: [path("model"), testImages, "\(images)"])
        for format in ExportFormat.allCases {
            let probabilities = try #require(loaded["probabilities"]?[format.rawValue] as? [[Double]], "\(format)")
            try #require(probabilities.count == images && probabilities.allSatisfy { $0.count == names.count }, "\(format)")
            let worst = zip(probabilities, reference).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .infinity
            #expect(worst <= Self.tolerance, "\(format), \(activation)\(standardise ? ", standardised" : ""): differs from predict by up to \(worst)")
            // The sums show the softmax is really there (a graph ending at the logits would not sum to 1).
            #expect(probabilities.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-5 })
            #expect(loaded["classes"]?[format.rawValue] as? [String] == names, "\(format)'s class names")
            #expect(loaded["activation"]?[format.rawValue] as? String == activation, "\(format)'s activation")
        }
    }

    /// t10k-images-idx3-ubyte, raw or gzip'd, in `data`.
    private func testImagesFile(in data: String) throws -> String {
        let raw = data + "/t10k-images-idx3-ubyte"
        return FileManager.default.fileExists(atPath: raw) ? raw : raw + ".gz"
    }

    // MARK: - Where the file goes, and when nothing is written

    private func trainedModel() throws -> String {
        try SyntheticDataset.write(to: dir, trainCount: 100, testCount: 20)
        let model = path("model.bin")
        let trained = try CLI.run(["train", "--data", dir.path, "--hidden", "8", "--epochs", "1", "--threads", "1", "--out", model])
        try #require(trained.status == 0, "\(trained.stderr)")
        return model
    }

    /// The files in the test's folder other than the data and the model: what an export left.
    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { !$0.contains("idx") && $0 != "model.bin" && $0 != "runs" }.sorted()
    }

    @Test func theDefaultOutputIsTheModelsNameWithTheFormatsExtensionBesideIt() throws {
        let model = try trainedModel()
        try FileManager.default.createDirectory(atPath: path("runs.d"), withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: model, toPath: path("runs.d/first"))
        for format in ExportFormat.allCases {
            let result = try CLI.run(["export", "runs.d/first", "--format", format.rawValue], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("wrote runs.d/first.\(format.fileExtension): \(format.displayName), 784-8-10 relu"), "\(result.stdout)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("runs.d")).sorted()
                == ["first", "first.npz", "first.onnx", "first.safetensors"])
    }

    @Test func anExportReplacesAnEarlierExportOfItsFormat() throws {
        let model = try trainedModel()
        for format in ExportFormat.allCases {
            let output = path("again.\(format.fileExtension)")
            for _ in 0..<2 {
                let result = try CLI.run(["export", model, "--format", format.rawValue, "--output", output])
                #expect(result.status == 0, "\(result.stderr)")
            }
            #expect(format.startsLikeOne(Array(try Data(contentsOf: URL(fileURLWithPath: output)).prefix(ExportFormat.headLength))))
        }
    }

    @Test func jsonSaysWhatWasWritten() throws {
        let model = try trainedModel()
        for format in ExportFormat.allCases {
            let output = path("j.\(format.fileExtension)")
            let result = try CLI.run(["export", model, "--format", format.rawValue, "--output", output, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == 1)
            let written = try jsonObject(try #require(lines.first))
            let size = try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int
            #expect(written["wrote"] as? String == output && written["format"] as? String == format.rawValue)
            #expect(written["bytes"] as? Int == size && written["model"] as? String == model)
        }
    }

    @Test(arguments: ExportFormat.allCases)
    func anExistingFileOfAnotherKindIsNotReplaced(_ format: ExportFormat) throws {
        let model = try trainedModel()
        let output = path("other.\(format.fileExtension)")
        // The model itself, under the export's name: the slip this guards against.
        try FileManager.default.copyItem(atPath: model, toPath: output)
        let before = try Data(contentsOf: URL(fileURLWithPath: output))
        let result = try CLI.run(["export", model, "--format", format.rawValue, "--output", output])
        #expect(result.status == 1)
        let article = format == .safetensors ? "a" : "an"
        #expect(result.stderrLines == ["error: \(output): exists and is not \(article) \(format.displayName) file; refusing to replace it"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
        #expect(try leftovers() == ["other.\(format.fileExtension)"])
    }

    @Test func anOutputInAMissingFolderSaysSo() throws {
        let model = try trainedModel()
        let output = path("no-such-folder/m.onnx")
        let result = try CLI.run(["export", model, "--format", "onnx", "--output", output])
        #expect(result.status == 1)
        #expect(result.stderrLines == ["error: \(output): directory \(path("no-such-folder")) does not exist"], "\(result.stderr)")
        #expect(try leftovers() == [])
    }

    @Test func anOutputThatIsADirectoryIsRefused() throws {
        let model = try trainedModel()
        try FileManager.default.createDirectory(atPath: path("model.onnx"), withIntermediateDirectories: false)
        let result = try CLI.run(["export", model, "--format", "onnx"])
        #expect(result.status == 1)
        #expect(result.stderrLines == ["error: \(path("model.onnx")): is a directory, not a regular file; refusing to replace it"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("model.onnx")).isEmpty)
        #expect(try leftovers() == ["model.onnx"])
    }

    @Test func anOutputNamedForAnotherFormatIsAUsageError() throws {
        let model = try trainedModel()
        let before = try Data(contentsOf: URL(fileURLWithPath: model))
        let result = try CLI.run(["export", model, "--format", "npz", "--output", model])
        #expect(result.status == 64)
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: --output \(model): NPZ files end in .npz"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)
        #expect(try leftovers() == [])
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let model = try trainedModel()
        let result = try CLI.run(["export", model, "--format", "pdf"])
        #expect(result.status == 64)
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: ") && result.stderr.contains("pdf"), "\(result.stderr)")
        #expect(try leftovers() == [])
    }

    @Test(arguments: ["missing.bin", "garbage.bin"])
    func aModelThatCannotBeReadWritesNothing(_ name: String) throws {
        if name == "garbage.bin" { try Data("not a model".utf8).write(to: dir.appendingPathComponent(name)) }
        let result = try CLI.run(["export", path(name), "--format", "onnx"])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: \(path(name)): "), "\(result.stderr)")
        #expect(try leftovers() == (name == "garbage.bin" ? [name] : []))
    }
}

/// python3 with numpy, onnxruntime and safetensors, when the machine has them (.ci/run installs them).
enum Python {
    static let isReady: Bool = {
        let probe = try? CLI.run(["-c", "import numpy, onnxruntime, safetensors"], program: executable ?? "/nonexistent")
        return CLI.skipNotice(probe?.status == 0, "export round trips: python3 with numpy, onnxruntime and safetensors is not installed "
            + "(pip install numpy onnxruntime safetensors)" + (probe.map { ": " + ($0.stderr.split(separator: "\n").last ?? "") } ?? ""))
    }()

    /// The first python3 on $PATH, the one `pip install` installs for.
    static let executable: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        .split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs `script` and parses the one JSON object it prints.
    static func run(_ script: String, arguments: [String]) throws -> [String: [String: Any]] {
        let result = try CLI.run(["-c", script] + arguments, program: executable!)
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]])
    }

    /// argv: the exports' path without extension, an IDX image file (raw or gzip'd), a count.
    /// Prints the probabilities each file gives for the first `count` images, and the class names
    /// and activation each file states. The maths for NPZ and safetensors is docs/export.md's.
    static let roundTrip = """
        import sys, json, gzip
        import numpy as np, onnxruntime as ort
        from safetensors import safe_open
        base, images, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
        data = open(images, "rb").read()
        if data[:2] == b"\\x1f\\x8b": data = gzip.decompress(data)
        pixels = np.frombuffer(data, np.uint8, count=count * 784, offset=16).reshape(count, 784).astype(np.float32)

        def forward(t, activation, leak):
            x = (pixels - t["shift"]) * t["scale"]
            z = x @ t["W1"] + t["b1"]
            f = {"relu": lambda z: np.maximum(z, 0), "leaky-relu": lambda z: np.where(z > 0, z, leak * z),
                 "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}[activation]
            logits = f(z) @ t["W2"] + t["b2"]
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)

        session = ort.InferenceSession(base + ".onnx", providers=["CPUExecutionProvider"])
        onnx_meta = session.get_modelmeta().custom_metadata_map
        z = np.load(base + ".npz", allow_pickle=False)
        npz_activation = str(z["activation"])
        with safe_open(base + ".safetensors", "np") as f:
            st_meta = f.metadata()
            st = {k: f.get_tensor(k) for k in f.keys()}
        out = {
            "probabilities": {
                "onnx": session.run(["probabilities"], {"pixels": pixels})[0],
                "npz": forward(z, npz_activation, float(z["leak"]) if "leak" in z.files else 0.0),
                "safetensors": forward(st, st_meta["activation"], float(st_meta.get("leak", 0))),
            },
            "classes": {"onnx": json.loads(onnx_meta["classes"]), "npz": z["classes"].tolist(),
                        "safetensors": json.loads(st_meta["classes"])},
            "activation": {"onnx": onnx_meta["activation"], "npz": npz_activation, "safetensors": st_meta["activation"]},
        }
        out["probabilities"] = {k: v.astype(float).tolist() for k, v in out["probabilities"].items()}
        print(json.dumps(out))
        """
}
