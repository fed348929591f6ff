import Foundation
import Synchronization
import Testing
@testable import DecoyWorkflows

/// The queue between the simulating thread and the writer: order, bound, errors, cancellation.
@Suite struct HandoffTests {
    struct Failure: Error, Equatable {}

    /// Runs `body` as the producer of `handoff` on a new thread.
    func start(_ handoff: Handoff<Int, String>, _ body: @escaping @Sendable ((Int) throws -> Void) throws -> String) {
        Thread { handoff.produce(body) }.start()
    }

    @Test func deliversEveryItemInOrderThenTheResult() throws {
        let handoff = Handoff<Int, String>(capacity: 2)
        start(handoff) { put in
            for i in 0..<1000 { try put(i) }
            return "done"
        }
        var received: [Int] = []
        while let item = try handoff.take() { received.append(item) }
        #expect(received == Array(0..<1000))
        #expect(try handoff.result() == "done")
    }

    /// A slow consumer never finds more than `capacity` items waiting, nor the producer more than
    /// `capacity` items ahead of what has been taken.
    @Test func producerWaitsWhileTheQueueIsFull() throws {
        let handoff = Handoff<Int, String>(capacity: 2)
        let produced = Atomic<Int>(0)
        start(handoff) { put in
            for i in 0..<50 {
                try put(i)
                produced.store(i + 1, ordering: .sequentiallyConsistent)
            }
            return ""
        }
        var taken = 0
        var largestLead = 0
        while let _ = try handoff.take() {
            taken += 1
            Thread.sleep(forTimeInterval: 0.002)
            largestLead = max(largestLead, produced.load(ordering: .sequentiallyConsistent) - taken)
        }
        #expect(taken == 50)
        #expect(largestLead <= 2)
    }

    @Test func theProducersErrorReachesTheConsumerAfterItsItems() throws {
        let handoff = Handoff<Int, String>(capacity: 4)
        start(handoff) { put in
            try put(1)
            try put(2)
            throw Failure()
        }
        #expect(try handoff.take() == 1)
        #expect(try handoff.take() == 2)
        #expect(throws: Failure.self) { try handoff.take() }
    }

    /// The consumer stopping (a write failed) stops the producer at its next item, and waits for it.
    @Test func cancellingStopsAndAwaitsTheProducer() throws {
        let handoff = Handoff<Int, String>(capacity: 1)
        let attempts = Atomic<Int>(0)
        start(handoff) { put in
            for i in 0..<1_000_000 {
                attempts.add(1, ordering: .sequentiallyConsistent)
                try put(i)
            }
            return "finished"
        }
        #expect(try handoff.take() == 0)
        handoff.cancelAndWait()
        #expect(throws: Handoff<Int, String>.Cancelled.self) { try handoff.result() }
        #expect(attempts.load(ordering: .sequentiallyConsistent) <= 3)
    }
}
