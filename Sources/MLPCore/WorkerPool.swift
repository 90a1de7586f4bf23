import Foundation
import Synchronization

/// Persistent threads that run one job on `count` lanes at a time; lane 0 is the calling thread.
///
/// Per-batch jobs take tens of microseconds, about what it costs to wake a sleeping thread, so
/// workers spin on an atomic generation counter while jobs keep coming and park on a condition
/// variable only after a quiet spell of about a millisecond, so an idle pool costs no CPU.
/// Any thread that has waited longer than a normal phase (`busyPolls`, ~70 µs) yields its core
/// between polls: when another process takes one of the two cores, pure spinning made each
/// side burn whole scheduler slices waiting for a descheduled partner (6 s epochs instead of 0.2).
final class WorkerPool {
    let count: Int
    private let shared: PoolState

    init(threads: Int) {
        count = max(1, threads)
        shared = PoolState()
        for lane in 1..<count {
            let state = shared
            let thread = Thread { state.work(lane: lane) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    deinit {
        shared.stop()
    }

    /// Runs body(lane) for every lane in 0..<count, lane 0 on the caller; returns when all are done.
    func run(_ body: (Int) -> Void) {
        guard count > 1 else { return body(0) }
        withoutActuallyEscaping(body) { body in
            shared.post(body)
            body(0)
            shared.waitForWorkers(count - 1)
        }
    }
}

/// The state the caller and the workers share. Safe by protocol: `job` is written only by the
/// caller before it bumps `generation` (release) and read by workers after they see the bump
/// (acquire); the caller clears it only after every worker has reported done.
private final class PoolState: @unchecked Sendable {
    /// Polls (about 0.5 ns each) before a waiting thread starts yielding its core.
    static let busyPolls = 1 << 17
    /// Yields (about 0.6 µs each when nothing else wants the core) before a worker parks.
    static let yieldsBeforeParking = 2000

    let generation = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let condition = NSCondition()
    nonisolated(unsafe) var job: ((Int) -> Void)?

    func post(_ body: @escaping (Int) -> Void) {
        job = body
        finished.store(0, ordering: .relaxed)
        bump()
    }

    func waitForWorkers(_ workers: Int) {
        var polls = 0
        while finished.load(ordering: .acquiring) < workers {
            if polls < Self.busyPolls { polls += 1 } else { sched_yield() }
        }
        job = nil
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        bump()
    }

    private func bump() {
        generation.add(1, ordering: .releasing)
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    func work(lane: Int) {
        var seen = 0
        while true {
            var polls = 0
            while generation.load(ordering: .acquiring) == seen {
                polls += 1
                if polls > Self.busyPolls { sched_yield() }
                if polls == Self.busyPolls + Self.yieldsBeforeParking {
                    park(seen: seen)
                    polls = 0
                }
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .relaxed) { return }
            runJob(lane: lane)
            finished.add(1, ordering: .releasing)
        }
    }

    /// Kept out of line so the worker's reference to the job is released before it reports done.
    @inline(never)
    private func runJob(lane: Int) {
        job?(lane)
    }

    private func park(seen: Int) {
        condition.lock()
        while generation.load(ordering: .acquiring) == seen { condition.wait() }
        condition.unlock()
    }
}
