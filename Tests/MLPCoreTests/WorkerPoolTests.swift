import Foundation
import Synchronization
import Testing
@testable import MLPCore

struct WorkerPoolTests {
    /// Every chunk of every phase runs exactly once, on a lane in 0..<count, and never on a lane
    /// that is already running another chunk (each lane's scratch memory is its own).
    @Test(arguments: [1, 2, 3])
    func everyChunkRunsOnceOnAFreeLane(threads: Int) {
        let pool = WorkerPool(threads: threads)
        for chunks in [1, 2, 7, 64, 1000] {
            let runs = Mutex([Int](repeating: 0, count: chunks))
            let busy = Mutex([Bool](repeating: false, count: threads))
            let badLanes = Atomic<Int>(0), overlaps = Atomic<Int>(0)
            pool.run(chunks: chunks) { chunk, lane in
                guard (0..<threads).contains(lane) else { badLanes.add(1, ordering: .relaxed); return }
                let wasBusy = busy.withLock { busy in
                    defer { busy[lane] = true }
                    return busy[lane]
                }
                if wasBusy { overlaps.add(1, ordering: .relaxed) }
                runs.withLock { $0[chunk] += 1 }
                // Some work, so that more than one lane takes part.
                var x = Double(chunk)
                for _ in 0..<200 { x = (x * 1.000001).squareRoot() + 1 }
                if x.isNaN { overlaps.add(1, ordering: .relaxed) }
                busy.withLock { $0[lane] = false }
            }
            #expect(runs.withLock { $0 } == [Int](repeating: 1, count: chunks), "\(threads) threads, \(chunks) chunks")
            #expect(badLanes.load(ordering: .relaxed) == 0)
            #expect(overlaps.load(ordering: .relaxed) == 0)
        }
    }

    /// A phase whose chunk stalls (as when the scheduler takes a worker's core) still finishes,
    /// with the other chunks run by the lanes that are free; chunk-sized results land in order.
    @Test func aStalledChunkHoldsUpOnlyItself() {
        let pool = WorkerPool(threads: 2)
        var out = [Int](repeating: -1, count: 50)
        out.withUnsafeMutableBufferPointer { out in
            let out = out.baseAddress!
            for _ in 0..<20 {
                pool.run(chunks: 50) { chunk, _ in
                    if chunk == 3 { usleep(2000) }
                    out[chunk] = chunk * chunk
                }
            }
        }
        #expect(out == (0..<50).map { $0 * $0 })
    }
}
