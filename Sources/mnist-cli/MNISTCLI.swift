import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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

            Exit status: 0 success, 1 error, 2 eval below --min-accuracy, 64 usage error, \
            130/143 training interrupted by SIGINT/SIGTERM (a resumable checkpoint is saved).
            """,
        version: "0.1.0",
        subcommands: [TrainCommand.self, EvalCommand.self, PredictCommand.self])

    /// Our own entry point, so every failure is one `error:` line and a documented exit status,
    /// never swift-argument-parser's multi-line "Error:" block or a backtrace.
    static func main() {
        let status: ExitStatus
        do {
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
        terminate(status.rawValue)
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
