/// The exit statuses scripts can rely on (README: "Exit codes").
enum ExitStatus: Int32 {
    case success = 0
    case failure = 1            // bad input, I/O, diverged training
    case belowMinimum = 2       // eval --min-accuracy not met
    case usage = 64             // EX_USAGE, as swift-argument-parser uses
    case interrupted = 130      // SIGINT (128 + 2)
    case terminated = 143       // SIGTERM (128 + 15)
}

/// A failure the CLI reports as one `error:` line: which file (if any), what is wrong, what to do.
struct CLIError: Error, CustomStringConvertible {
    var file: String?
    var problem: String
    var hint: String?
    var status: ExitStatus = .failure

    init(file: String? = nil, _ problem: String, hint: String? = nil, status: ExitStatus = .failure) {
        self.file = file
        self.problem = problem
        self.hint = hint
        self.status = status
    }

    var description: String {
        var line = file.map { "\($0): \(problem)" } ?? problem
        if let hint { line += " (\(hint))" }
        return line
    }
}

extension CLIError {
    /// Wraps a library error; their descriptions already name the file.
    init(_ error: any Error) {
        self = error as? CLIError ?? CLIError(String(describing: error))
    }
}
