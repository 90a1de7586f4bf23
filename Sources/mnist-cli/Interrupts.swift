#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The last SIGINT/SIGTERM seen while training, 0 if none. A signal handler may only do
/// async-signal-safe work, and a lock-free atomic store is.
private let pendingSignal = Atomic<Int32>(0)

/// Lets training finish its current batch and save, instead of dying mid-write on Ctrl-C.
enum Interrupts {
    static func install() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { received in pendingSignal.store(received, ordering: .relaxed) }
            sigaddset(&unblock, sig)
        }
        // A parent may hand us these signals blocked (the mask is inherited across exec).
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// The signal received since `install`, if any.
    static var received: Int32? {
        let sig = pendingSignal.load(ordering: .relaxed)
        return sig == 0 ? nil : sig
    }

    static func exitStatus(for sig: Int32) -> ExitStatus {
        sig == SIGTERM ? .terminated : .interrupted
    }

    static func name(of sig: Int32) -> String {
        sig == SIGTERM ? "SIGTERM" : "SIGINT"
    }
}
