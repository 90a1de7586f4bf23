import Foundation
import Testing

/// Command-line parsing and validation: each bad call gets exit 64 and one `error:` line naming the option.
@Suite struct UsageTests {
    @Test(arguments: [
        (["train", "--lr", "-1"], "--lr must be a positive number, got -1"),
        (["train", "--epochs", "-1"], "--epochs must be between 1 and 100000, got -1"),
        (["train", "--seed", "-5"], "--seed must be a whole number from 0 to 18446744073709551615, got -5"),
        (["train", "--hidden", "-3"], "--hidden must be between 1 and 1000000, got -3"),
        (["train", "--data", ""], "--data is empty"),
        (["train", "--out", ""], "--out is empty"),
        (["eval", "m.bin", "--min-accuracy", "-0.1"], "--min-accuracy is a fraction between 0 and 1 (0.97 for 97%), got -0.1"),
        (["eval", "m.bin", "--threads", "-2"], "--threads must be between 1 and 256, got -2"),
        ([], "no subcommand given"),
        (["train", "--lr", "nan"], "--lr"),
        (["train", "--hidden", "0"], "--hidden"),
        (["train", "--epochs", "0"], "--epochs"),
        (["train", "--batch-size", "0"], "--batch-size"),
        (["train", "--momentum", "1"], "--momentum"),
        (["train", "--weight-decay", "-0.1"], "--weight-decay"),
        (["train", "--threads", "0"], "--threads"),
        (["train", "--activation", "softplus"], "activation"),
        (["train", "--loss", "hinge"], "loss"),
        (["train", "--checkpoint-every", "0"], "--checkpoint-every"),
        (["train", "--no-such-flag"], "--no-such-flag"),
        (["eval"], "model"),
        (["eval", "m.bin", "--min-accuracy", "97"], "--min-accuracy"),
        (["eval", "m.bin", "--split", "validation"], "split"),
        (["predict"], "picture file"),
        (["predict", "a.png", "--top", "0"], "--top"),
        (["predict", "a.png", "--top", "-2"], "--top must be 1 or more, got -2"),
        (["predict", "--idx", "x.idx"], "--index"),
        (["predict", "--index", "3"], "--idx"),
        (["predict", "a.png", "--idx", "x.idx", "--index", "1"], "not both"),
        (["frobnicate"], "frobnicate"),
    ])
    func badUsageExits64WithOneErrorLine(arguments: [String], mentions: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64, "\(arguments): status \(result.status), stderr \(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(mentions), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func helpListsTheSubcommandsAndExitsZero() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        for sub in ["train", "eval", "predict"] { #expect(result.stdout.contains(sub)) }
    }

    @Test func trainHelpDocumentsEveryOption() throws {
        let result = try CLI.run(["train", "--help"])
        #expect(result.status == 0)
        for option in ["--data", "--hidden", "--lr", "--epochs", "--batch-size", "--momentum", "--weight-decay",
                       "--activation", "--loss", "--seed", "--threads", "--out", "--json", "--resume", "--checkpoint-every"] {
            #expect(result.stdout.contains(option), "train --help lacks \(option)")
        }
    }
}
