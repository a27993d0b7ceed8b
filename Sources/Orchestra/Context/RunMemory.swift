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
    private struct Storage {
        var values: [MemorySlot: any Sendable] = [:]
        /// Bumped by every write, so that ``RunMemory/update(_:default:_:)`` can tell whether its
        /// read is still current.
        var version = 0
    }

    private let storage = Mutex(Storage())

    /// Creates an empty memory.
    public init() {}

    /// The value stored under `key`, or `nil`; setting `nil` removes it.
    public subscript<Value>(key: MemoryKey<Value>) -> Value? {
        get { storage.withLock { $0.values[key.slot] } as? Value }
        set {
            storage.withLock {
                $0.values[key.slot] = newValue
                $0.version += 1
            }
        }
    }

    /// The value stored under `key`, or `defaultValue` when there is none.
    ///
    /// The setter stores the new value, so `memory[key, default: 0] += 1` works — but as a read
    /// followed by a write; use ``update(_:default:_:)`` when states may write concurrently.
    public subscript<Value>(key: MemoryKey<Value>, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// Changes the value under `key` atomically and returns what `body` returns.
    ///
    /// `body` works on a copy, outside any lock, so it may itself read or write this memory. The copy
    /// is stored only if nothing was written to the memory meanwhile; otherwise `body` runs again on
    /// the newer value. So `body` may run more than once: keep it free of other side effects.
    ///
    /// - Parameters:
    ///   - key: The slot.
    ///   - defaultValue: The value `body` sees when the slot is empty.
    ///   - body: Mutates the value.
    /// - Returns: What `body` returned on the run whose value was stored.
    /// - Throws: What `body` throws; nothing is stored then.
    @discardableResult
    public func update<Value, Result>(
        _ key: MemoryKey<Value>,
        default defaultValue: Value,
        _ body: (inout Value) throws -> Result
    ) rethrows -> Result {
        while true {
            let (version, current) = storage.withLock { ($0.version, $0.values[key.slot]) }
            var value = current as? Value ?? defaultValue
            let result = try body(&value)
            let stored = storage.withLock { [value] storage in
                guard storage.version == version else { return false }
                storage.values[key.slot] = value
                storage.version += 1
                return true
            }
            if stored { return result }
        }
    }

    /// The names of the keys that currently hold a value, sorted.
    public var keyNames: [String] {
        storage.withLock { $0.values.keys.map(\.name) }.sorted()
    }
}
