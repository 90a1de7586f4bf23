#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The last SIGINT/SIGTERM seen while training, 0 if none. A signal handler may only do
/// async-signal-safe work: lock-free atomic loads and stores, write(2) and _exit(2).
private let pendingSignal = Atomic<Int32>(0)
/// Whether a signal should stop the process at once (during setup, when nothing has been
/// written) or be left for the training loop to act on at the next batch boundary.
private let stopsAtOnce = Atomic<Bool>(true)

/// SIGINT and SIGTERM during `train`. Installed before anything else is done, so no signal is
/// lost or silent: during setup (loading, initialising) one ends the process at once with a
/// message, as nothing has been written; once training runs, the current batch finishes and a
/// resumable checkpoint is saved.
enum Interrupts {
    static func install() {
        // Touch the globals now: their lazy initialisation is not async-signal-safe.
        _ = pendingSignal.load(ordering: .relaxed)
        _ = stopsAtOnce.load(ordering: .relaxed)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM] {
            // Installed even over an inherited SIG_IGN (a background job's SIGINT): a job that
            // asked to train must still be stoppable cleanly.
            signal(sig) { received in
                if stopsAtOnce.load(ordering: .relaxed) {
                    let message: StaticString = received == SIGTERM
                        ? "error: interrupted by SIGTERM before training started; nothing was written\n"
                        : "error: interrupted by SIGINT before training started; nothing was written\n"
                    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                    _exit(128 + received)
                }
                pendingSignal.store(received, ordering: .relaxed)
            }
            sigaddset(&unblock, sig)
        }
        // A parent may hand us these signals blocked (the mask is inherited across exec).
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// From here on a signal is left for the training loop, which stops at the next batch boundary.
    static func deferToTraining() {
        stopsAtOnce.store(false, ordering: .relaxed)
    }

    /// The signal received since `deferToTraining`, if any.
    static var received: Int32? {
        let sig = pendingSignal.load(ordering: .relaxed)
        return sig == 0 ? nil : sig
    }

    /// A test hook: MNIST_CLI_TEST_RAISE="INT@2:5" (or "TERM@…") raises that signal on this process
    /// right after batch 5 of epoch 2, through the real handler, so tests interrupt at a known
    /// batch instead of sleeping and hoping. Unset, it does nothing.
    static let testTrigger: (signal: Int32, epoch: Int, batch: Int)? = {
        guard let spec = Terminal.environment("MNIST_CLI_TEST_RAISE") else { return nil }
        let parts = spec.split(whereSeparator: { $0 == "@" || $0 == ":" })
        guard parts.count == 3, let epoch = Int(parts[1]), let batch = Int(parts[2]) else { return nil }
        return (parts[0] == "TERM" ? SIGTERM : SIGINT, epoch, batch)
    }()

    static func raiseIfTestTrigger(epoch: Int, batch: Int) {
        if let t = testTrigger, t.epoch == epoch, t.batch == batch { raise(t.signal) }
    }

    static func exitStatus(for sig: Int32) -> ExitStatus {
        sig == SIGTERM ? .terminated : .interrupted
    }

    static func name(of sig: Int32) -> String {
        sig == SIGTERM ? "SIGTERM" : "SIGINT"
    }
}
