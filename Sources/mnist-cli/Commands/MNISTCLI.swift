import ArgumentParser
// @preconcurrency: to read C's `stdout` (a global the C library mutates) for its error flag.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

@main
struct MNISTCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-cli",
        abstract: "Train, evaluate and use a two-layer neural network on MNIST or any IDX dataset.",
        discussion: """
            Quick start:
              mnist-cli train --hidden 128 --lr 0.1     # writes model.bin
              mnist-cli eval model.bin                  # accuracy and confusion matrix
              mnist-cli predict digit.png               # which digit, with probabilities
              mnist-cli gradcheck                       # backprop vs numerical gradients
              mnist-cli draw templates model.bin        # pictures of what it learned (PNG)
              mnist-cli report model.bin                # all of it on one HTML page

            Exit status: 0 success, 1 error, 2 eval below --min-accuracy, 64 usage error, \
            130/143 training interrupted by SIGINT/SIGTERM (a resumable checkpoint is saved).

            Shell completion: mnist-cli --generate-completion-script bash (or zsh, fish) prints a \
            script that completes subcommands, options, and file and folder arguments.
            """,
        version: "0.2.0",
        subcommands: [TrainCommand.self, EvalCommand.self, PredictCommand.self, GradcheckCommand.self,
                      DrawCommand.self, ReportCommand.self, InfoCommand.self, ExportCommand.self])

    /// Our own entry point, so every failure is one `error:` line and a documented exit status,
    /// never swift-argument-parser's multi-line "Error:" block or a backtrace.
    static func main() {
        var status: ExitStatus
        do {
            guard CommandLine.arguments.count > 1 else {
                throw CLIError("no subcommand given: use train, eval, predict, gradcheck, draw, report, info or export", hint: "see 'mnist-cli --help'", status: .usage)
            }
            var command = try parseAsRoot()
            try command.run()
            status = .success
        } catch let error as CLIError {
            Terminal.errorLine("error: \(error)")
            status = error.status
        } catch let error as ExitCode {
            terminate(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version: printed by the parser
            }
            if code == .validationFailure {
                let message = MNISTCLI.message(for: error)
                Terminal.errorLine("error: \(lowercasedFirst(message)) (see '\(helpCommand())')")
                status = .usage
            } else {
                Terminal.errorLine("error: \(CLIError(error))")
                status = .failure
            }
        }
        if status == .success || status == .belowMinimum, let failure = standardOutputFailure() {
            Terminal.errorLine("error: standard output: \(failure) (is the disk full?)")
            status = .failure
        }
        terminate(status.rawValue)
    }

    /// Why writing standard output failed, if it did: results a script redirects to a full disk
    /// must not end in a green job with an empty file.
    private static func standardOutputFailure() -> String? {
        if fflush(stdout) != 0 { return "write failed: " + String(cString: strerror(errno)).lowercased() }
        return ferror(stdout) != 0 ? "write failed" : nil
    }

    /// "mnist-cli train --help" when a subcommand was named, else "mnist-cli --help".
    private static func helpCommand() -> String {
        let names = configuration.subcommands.map { $0._commandName }
        let args = CommandLine.arguments.dropFirst()
        if let sub = args.first(where: { names.contains($0) }) { return "mnist-cli \(sub) --help" }
        return "mnist-cli --help"
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
