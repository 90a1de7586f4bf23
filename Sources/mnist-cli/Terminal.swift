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
    static var stderrColumns: Int? {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
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
