import Foundation

/// A bounded queue from one producing thread to one consuming thread, with the producer's final
/// result or error.
///
/// The producer blocks while `capacity` items wait; the consumer blocks while none do. Either
/// side can stop the other: the consumer by ``cancelAndWait()`` (the producer's next `put`
/// throws ``Cancelled``), the producer by throwing (the consumer's next ``take()`` rethrows).
final class Handoff<Item: Sendable, Result: Sendable>: @unchecked Sendable {
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private let capacity: Int
    /// Waiting items, oldest first; never more than `capacity`, so removing the first is cheap.
    private var items: [Item] = []
    private var outcome: Swift.Result<Result, any Error>?
    private var cancelled = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Runs the producer on the current thread, recording its result or error when it returns.
    func produce(_ body: (_ put: (Item) throws -> Void) throws -> Result) {
        let result = Swift.Result { try body(put) }
        condition.lock()
        outcome = result
        condition.broadcast()
        condition.unlock()
    }

    private func put(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        items.append(item)
        condition.broadcast()
    }

    /// The next item, or `nil` once the producer has finished; rethrows the producer's error.
    func take() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && outcome == nil { condition.wait() }
        if !items.isEmpty {
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }
        if case .failure(let error)? = outcome { throw error }
        return nil
    }

    /// The producer's result, once ``take()`` has returned `nil`.
    func result() throws -> Result {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }

    /// Stops the producer at its next `put` and waits until it has returned.
    func cancelAndWait() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while outcome == nil { condition.wait() }
        items.removeAll()
    }
}
