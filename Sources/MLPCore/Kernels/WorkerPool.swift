import Foundation
import Synchronization

/// Persistent threads that help the calling thread through phases of fixed chunks.
///
/// A phase is `chunks` numbered pieces of work. Whichever lane is running claims the next
/// unclaimed chunk from one atomic ticket, so a thread the scheduler has taken away claims nothing
/// and the others finish the phase without it: the caller never waits for a worker to start, only
/// for chunks already claimed to end. (A pool that hands every lane a fixed share waits a whole
/// time slice whenever another process has one of the cores; yielding does not help, as the
/// yielding thread gets its core back before the descheduled partner runs.) Each chunk is computed
/// whole by one lane, so results do not depend on which lane ran it.
///
/// Waiting is a short spin, then a park on a condition variable: workers between phases (they wake
/// on the next phase, but the caller starts it without them), the caller for the last claimed
/// chunks (parking frees its core, where the scheduler can then run the thread it waits for).
///
/// One wait remains: a worker descheduled in the middle of a chunk holds that chunk until it runs
/// again, which on a crowded machine can be many time slices. So the caller notes each phase whose
/// last chunks kept it waiting far longer than a chunk takes (a stall), and after one it runs the
/// next phases alone for a while (10 ms, doubling with each further stall up to 0.3 s), then offers
/// chunks to the workers again; a phase without a stall resets the backoff. The same backoff
/// follows a crowded phase, one in which the caller itself lost its core for a fifth of the time
/// it computed (its thread CPU time against the clock): more threads want the cores than there
/// are (another busy process, a second training), so a worker only takes time from the caller.
/// Alone on the machine, neither happens and every phase is shared.
final class WorkerPool {
    let count: Int
    private let shared: PoolState
    /// Until when phases run on the caller alone, and the current backoff.
    private var aloneUntil = 0.0
    private var backoff = WorkerPool.firstBackoff
    static let firstBackoff = 0.01, longestBackoff = 0.3

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

    /// Runs body(chunk, lane) for every chunk in 0..<chunks, each once, on whichever lanes are
    /// free (lane 0 is the caller, which takes part); returns when all are done. `lane` says whose
    /// scratch memory the chunk may use: no two chunks run on one lane at once.
    func run(chunks: Int, _ body: (_ chunk: Int, _ lane: Int) -> Void) {
        guard chunks > 0 else { return }
        guard count > 1, chunks > 1, chunks <= PoolState.chunkMask else {
            for chunk in 0..<chunks { body(chunk, 0) }
            return
        }
        let start = monotonicSeconds()
        guard start >= aloneUntil else {
            for chunk in 0..<chunks { body(chunk, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let ownStart = threadCPUSeconds()
            let generation = shared.post(body, chunks: chunks)
            var mine = 0
            while let chunk = shared.claim(generation) {
                body(chunk, 0)
                shared.finished.add(1, ordering: .acquiringAndReleasing)
                mine += 1
            }
            let claimedAll = monotonicSeconds()
            let ownCPU = threadCPUSeconds() - ownStart
            shared.waitForChunks(chunks)
            let waited = monotonicSeconds() - claimedAll
            noteWait(waited, perChunk: (claimedAll - start) / Double(max(mine, 1)),
                     crowded: ownCPU < 0.8 * (claimedAll - start) && claimedAll - start > 50e-6, now: claimedAll + waited)
        }
    }

    /// A stall is a wait for other lanes' chunks of more than four of the caller's own chunk times
    /// plus 0.2 ms: a chunk that long has lost its core. A crowded phase is one in which the caller
    /// itself, while computing, was off its core a fifth of the time: more threads want the cores
    /// than there are, and a worker only takes time from the caller.
    private func noteWait(_ waited: Double, perChunk: Double, crowded: Bool, now: Double) {
        if crowded || waited > 4 * perChunk + 200e-6 {
            aloneUntil = now + backoff
            backoff = min(backoff * 2, Self.longestBackoff)
        } else {
            backoff = Self.firstBackoff
        }
    }
}

/// The state the caller and the workers share, safe by protocol: the caller writes `job` before it
/// publishes a phase's ticket, and a worker reads it only after claiming a chunk of that phase by
/// compare-and-swap, which keeps the phase (and `job`) in place until the worker reports the chunk
/// done. The ticket packs the phase's generation, chunk count and next unclaimed chunk, so a
/// worker that looks late can never claim a chunk of the phase after the one it saw.
private final class PoolState: @unchecked Sendable {
    /// How long a worker spins between phases before it parks: longer than the serial gaps of a
    /// training step, short enough that a worker whose caller has lost its core soon gives its own
    /// core back.
    static let idleSpin = 30e-6
    /// How long the caller spins on chunks that other lanes still run before it parks: about a
    /// chunk's time; a chunk running longer has most likely lost its core.
    static let finishSpin = 10e-6

    static let chunkBits = 20
    static let chunkMask = (1 << chunkBits) - 1
    /// Generations wrap; a worker would have to sleep through 2^23 phases to mistake one for another.
    static let generationMask = (1 << 23) - 1

    let ticket = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    /// Workers parked on `wake`; whether the caller is parked on `done`.
    let sleepers = Atomic<Int>(0)
    let callerParked = Atomic<Bool>(false)
    let wake = NSCondition()
    let done = NSCondition()
    nonisolated(unsafe) var job: ((Int, Int) -> Void)?
    nonisolated(unsafe) var generation = 0

    static func generation(of ticket: Int) -> Int { ticket >> (2 * chunkBits) }

    /// Publishes a phase of `chunks` chunks (fewer than 2^20) and returns its generation.
    func post(_ body: @escaping (Int, Int) -> Void, chunks: Int) -> Int {
        job = body
        finished.store(0, ordering: .relaxed)
        generation = (generation + 1) & Self.generationMask
        ticket.store(generation << (2 * Self.chunkBits) | chunks << Self.chunkBits, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            wake.lock()
            wake.broadcast()
            wake.unlock()
        }
        return generation
    }

    /// The next unclaimed chunk of phase `generation`, now claimed; nil when none is left.
    func claim(_ generation: Int) -> Int? {
        var current = ticket.load(ordering: .relaxed)
        while true {
            let chunks = (current >> Self.chunkBits) & Self.chunkMask, next = current & Self.chunkMask
            guard Self.generation(of: current) == generation, next < chunks else { return nil }
            let (exchanged, seen) = ticket.compareExchange(expected: current, desired: current + 1,
                                                           ordering: .acquiringAndReleasing)
            if exchanged { return next }
            current = seen
        }
    }

    /// Called by the caller once it finds no chunk left to claim.
    func waitForChunks(_ chunks: Int) {
        var spinning = SpinClock(seconds: Self.finishSpin)
        while finished.load(ordering: .acquiring) < chunks {
            guard spinning.isOver() else { continue }
            done.lock()
            callerParked.store(true, ordering: .sequentiallyConsistent)
            while finished.load(ordering: .sequentiallyConsistent) < chunks { done.wait() }
            callerParked.store(false, ordering: .relaxed)
            done.unlock()
        }
        job = nil
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation = (generation + 1) & Self.generationMask
        ticket.store(generation << (2 * Self.chunkBits), ordering: .sequentiallyConsistent)
        wake.lock()
        wake.broadcast()
        wake.unlock()
    }

    func work(lane: Int) {
        var seen = 0
        while true {
            var spinning = SpinClock(seconds: Self.idleSpin)
            while Self.generation(of: ticket.load(ordering: .relaxed)) == seen {
                if spinning.isOver() { park(seen: seen) }
            }
            if stopping.load(ordering: .acquiring) { return }
            let current = ticket.load(ordering: .acquiring)
            seen = Self.generation(of: current)
            let chunks = (current >> Self.chunkBits) & Self.chunkMask
            while let chunk = claim(seen) {
                runJob(chunk: chunk, lane: lane)
                let count = finished.add(1, ordering: .sequentiallyConsistent).newValue
                if count == chunks && callerParked.load(ordering: .sequentiallyConsistent) {
                    done.lock()
                    done.broadcast()
                    done.unlock()
                }
            }
        }
    }

    /// Kept out of line so the worker's reference to the job is released before it reports the
    /// chunk done (the caller's `withoutActuallyEscaping` checks that none is left).
    @inline(never)
    private func runJob(chunk: Int, lane: Int) {
        job?(chunk, lane)
    }

    private func park(seen: Int) {
        wake.lock()
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while Self.generation(of: ticket.load(ordering: .sequentiallyConsistent)) == seen { wake.wait() }
        sleepers.subtract(1, ordering: .relaxed)
        wake.unlock()
    }
}

/// A spin's time limit, read from the clock only every 64 polls (a clock read costs tens of polls).
private struct SpinClock {
    private let deadline: Double
    private var polls = 0

    init(seconds: Double) {
        deadline = monotonicSeconds() + seconds
    }

    @inline(__always)
    mutating func isOver() -> Bool {
        polls &+= 1
        return polls & 63 == 0 && monotonicSeconds() > deadline
    }
}

/// CPU time the calling thread has run, in seconds.
private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
