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
            let runs = (0..<chunks).map { _ in Atomic<Int>(0) }
            let busy = (0..<threads).map { _ in Atomic<Bool>(false) }
            let badLanes = Atomic<Int>(0), overlaps = Atomic<Int>(0)
            pool.run(chunks: chunks) { chunk, lane in
                guard (0..<threads).contains(lane) else { badLanes.add(1, ordering: .relaxed); return }
                if busy[lane].exchange(true, ordering: .acquiring) { overlaps.add(1, ordering: .relaxed) }
                runs[chunk].add(1, ordering: .relaxed)
                // Some work, so that more than one lane takes part.
                var x = Double(chunk)
                for _ in 0..<200 { x = (x * 1.000001).squareRoot() + 1 }
                if x.isNaN { overlaps.add(1, ordering: .relaxed) }
                busy[lane].store(false, ordering: .releasing)
            }
            #expect(runs.allSatisfy { $0.load(ordering: .relaxed) == 1 }, "\(threads) threads, \(chunks) chunks")
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
