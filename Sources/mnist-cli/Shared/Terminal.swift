#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error, written straight to the descriptor: unbuffered, so progress and errors appear
/// at once and in order, whatever stdout's buffering does.
enum Terminal {
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// One line to stderr.
    static func errorLine(_ text: String) { writeError(text + "\n") }

    /// True when stderr is a terminal: only then do we draw a live progress line.
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// The width of the terminal on stderr, if it is one and says.
    static var stderrColumns: Int? { columns(of: 2) }

    /// The width text on standard output should fit: $COLUMNS when set (shells export it, and
    /// tests and pipes can), else the terminal's on stdout, else 80.
    static var stdoutColumns: Int {
        if let text = environment("COLUMNS"), let n = Int(text), n > 0 { return n }
        return columns(of: 1) ?? 80
    }

    /// The width of the terminal on descriptor `fd`, if it is one and says.
    private static func columns(of fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Number of online CPU cores, the default for --threads.
    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}

/// Ends the process with `status` (a free function: inside a command, `exit` means the parser's).
func terminate(_ status: Int32) -> Never { exit(status) }
