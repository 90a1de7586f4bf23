import Foundation
import Testing
import TestSupport

/// `make install` runs scripts/install.sh on the release build; here it installs the binary under
/// test into a temporary DESTDIR, as a packager would.
@Suite struct InstallTests {
    static let script = TestData.repositoryRoot.appendingPathComponent("scripts/install.sh").path

    @Test func installsARunnableBinaryAndCompletionsForEveryShell() throws {
        let dir = try CLI.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let run = try CLI.run([Self.script, CLI.binary, "/opt/mnist"], environment: ["DESTDIR": dir.path],
                              program: "/bin/sh")
        #expect(run.status == 0, "\(run.stderr)")
        let root = dir.appendingPathComponent("opt/mnist").path
        let installed = try CLI.run(["--version"], program: root + "/bin/mnist-cli")
        #expect(installed.status == 0)
        #expect(installed.stdout == (try CLI.run(["--version"])).stdout)
        // Each completion script names every subcommand the binary has.
        let subcommands = try CLI.run(["--help"]).stdout
            .components(separatedBy: "SUBCOMMANDS:").last!
            .components(separatedBy: "\n\n").first!  // the list ends at the first blank line
            .split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(subcommands.contains("predict"))
        for path in ["share/bash-completion/completions/mnist-cli", "share/zsh/site-functions/_mnist-cli",
                     "share/fish/vendor_completions.d/mnist-cli.fish"] {
            let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
            for name in subcommands { #expect(text.contains(name), "\(path) lacks \(name)") }
        }
    }

    @Test func aMissingBinaryIsOneErrorLine() throws {
        let dir = try CLI.temporaryDirectory()
        defer { Fixtures.remove(dir) }
        let missing = dir.appendingPathComponent("no-such-binary").path
        let run = try CLI.run([Self.script, missing, "/usr/local"], environment: ["DESTDIR": dir.path], program: "/bin/sh")
        #expect(run.status == 1)
        #expect(run.stderrLines == ["error: \(missing): no such program; run `make build` first"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("usr").path))
    }
}
