import Synchronization

/// The memory of one run: typed values that any state of the run can read and write.
///
/// Each run starts with an empty memory; runs never share one. Reads and writes are atomic
/// per call, so states that run at the same time (branches of a fan-out) can use it safely;
/// use ``update(_:default:_:)`` for a read-modify-write that must not interleave.
///
/// ```swift
/// let visits = MemoryKey<Int>("visits")
/// context.memory[visits, default: 0] += 1
/// ```
public final class RunMemory: Sendable {
    private let values = Mutex<[MemorySlot: any Sendable]>([:])

    /// Creates an empty memory.
    public init() {}

    /// The value stored under `key`, or `nil`; setting `nil` removes it.
    public subscript<Value>(key: MemoryKey<Value>) -> Value? {
        get { values.withLock { $0[key.slot] } as? Value }
        set { values.withLock { $0[key.slot] = newValue } }
    }

    /// The value stored under `key`, or `defaultValue` when there is none.
    ///
    /// The setter stores the new value, so `memory[key, default: 0] += 1` works — but as a read
    /// followed by a write; use ``update(_:default:_:)`` when states may write concurrently.
    public subscript<Value>(key: MemoryKey<Value>, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// Changes the value under `key` in one atomic step and returns what `body` returns.
    ///
    /// - Parameters:
    ///   - key: The slot.
    ///   - defaultValue: The value `body` sees when the slot is empty.
    ///   - body: Mutates the value; it runs while the memory is locked, so keep it short.
    /// - Returns: What `body` returns.
    @discardableResult
    public func update<Value, Result: Sendable>(
        _ key: MemoryKey<Value>,
        default defaultValue: Value,
        _ body: (inout Value) throws -> Result
    ) rethrows -> Result {
        try values.withLock { storage in
            var value = storage[key.slot] as? Value ?? defaultValue
            let result = try body(&value)
            storage[key.slot] = value
            return result
        }
    }

    /// The names of the keys that currently hold a value, sorted.
    public var keyNames: [String] {
        values.withLock { $0.keys.map(\.name) }.sorted()
    }
}
