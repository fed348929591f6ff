import Foundation

/// One slot per task of a `DispatchQueue.concurrentPerform`, each written once by its task
/// under a lock and read after all have finished, in task order.
package final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    package init(count: Int) { storage = Array(repeating: nil, count: count) }

    package func set(_ index: Int, _ value: Value) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    /// Every slot's value, in order.
    /// - Precondition: every slot was set.
    package var values: [Value] { storage.map { $0! } }
}
