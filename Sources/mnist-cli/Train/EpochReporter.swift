import MLPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints training progress: a line per epoch (text or JSON on stdout), and a live progress line
/// on stderr only when stderr is a terminal, so logs and pipes stay clean.
final class EpochReporter {
    let json: Bool
    let epochs: Int
    private let live = Terminal.stderrIsTerminal
    private var lastDraw = 0.0
    private var drawn = false

    /// Whether epoch lines show the learning rate (it moves only under a schedule).
    var showsLearningRate = false

    /// What each epoch is evaluated on: "test" or "validation".
    let held: String

    init(json: Bool, epochs: Int, held: String = "test") {
        self.json = json
        self.epochs = epochs
        self.held = held
    }

    /// A learning rate in 4 significant digits: 0.05, 0.0001234.
    private func rate(_ value: Float) -> String {
        guard value.isFinite, value > 0 else { return "\(value)" }
        var digits = 4, scaled = Double(value)
        while scaled < 1 && digits < 12 { scaled *= 10; digits += 1 }
        return fixed(Double(value), digits - 1)
    }

    /// A remark for people: stdout with text output, stderr with --json (stdout stays pure JSON).
    func note(_ text: String) {
        clearProgress()
        if json { Terminal.errorLine(text) } else { print(text); fflush(nil) }
    }

    /// A line for people about how the run went (an interruption, how to resume), always on stderr,
    /// where it reaches the terminal or the log even when stdout is a results file.
    func alert(_ text: String) {
        clearProgress()
        Terminal.errorLine(text)
    }

    func progress(epoch: Int, batch: Int, of batches: Int, meanLoss: Double) {
        guard live else { return }
        let now = monotonicSeconds()
        guard now - lastDraw >= 0.1 || batch == batches else { return }
        lastDraw = now
        Terminal.writeError("\r\u{1B}[K" + progressLine(epoch: epoch, batch: batch, of: batches, meanLoss: meanLoss,
                                                           columns: Terminal.stderrColumns ?? 80))
        drawn = true
    }

    func epochDone(_ s: EpochStats, _ fields: EpochFields) {
        clearProgress()
        if json {
            print(fields.json.text)
        } else {
            let width = String(epochs).count
            print("epoch \(padded(String(s.epoch), width))/\(epochs)  loss \(fixed(s.meanLoss, 4))  "
                  + "train \(percent(s.trainAccuracy))  \(held == "test" ? "test" : "valid") \(percent(s.evaluationAccuracy))  "
                  + "\(fixed(s.seconds, 2)) s  \(Int(s.samplesPerSecond.isFinite ? s.samplesPerSecond : 0)) samples/s"
                  + (showsLearningRate ? "  lr \(rate(s.learningRate))" : "")
                  + (s.deadUnitFraction.map { "  dead \(percent($0))" } ?? ""))
        }
        fflush(nil)  // a line per epoch even when stdout is a pipe (CI logs)
    }

    /// "epoch 3/10 [######..........] 312/938  loss 0.1534", narrowed to fit `columns`: the bar
    /// shrinks, then goes, then the text is cut. A line as wide as the terminal would wrap, and
    /// every redraw would then scroll the terminal instead of replacing the line.
    func progressLine(epoch: Int, batch: Int, of batches: Int, meanLoss: Double, columns: Int) -> String {
        let head = "epoch \(epoch)/\(epochs) ", tail = "\(batch)/\(batches)  loss \(fixed(meanLoss, 4))"
        let room = columns - 1 - head.count - tail.count - 3  // "[", "] "
        var line = head + tail
        if room >= 5 {
            let width = min(24, room)
            let filled = batches == 0 ? width : width * batch / batches
            line = head + "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + tail
        }
        return String(line.prefix(max(columns - 1, 0)))
    }

    private func clearProgress() {
        if drawn {
            Terminal.writeError("\r\u{1B}[K")
            drawn = false
        }
    }
}
