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
        /// Values a resumed run's checkpoint held that no key has read yet, by key name. Only a key knows its
        /// value's type, so each is decoded when a key of its name and type first reads it.
        var saved: [String: [Checkpoint.MemoryEntry]] = [:]
        /// The first saved value that did not decode; the run fails with it once the state that read it ends.
        var restoreFailure: CheckpointError?
        /// The last checkpoint's entries and the version they were taken at, reused while nothing is written.
        var snapshot: (version: Int, entries: [Checkpoint.MemoryEntry])?

        /// Drops the saved value of `key`, which a write replaced before any read decoded it.
        mutating func forgetSaved<Value>(_ key: MemoryKey<Value>) {
            guard var entries = saved[key.name] else { return }
            let type = memoryTypeName(Value.self)
            entries.removeAll { $0.type == type }
            saved[key.name] = entries.isEmpty ? nil : entries
        }

        /// The value under `key`, decoding a saved one on its first read.
        mutating func value<Value>(for key: MemoryKey<Value>) -> (any Sendable)? {
            let slot = key.slot
            if let value = values[slot] { return value }
            guard !saved.isEmpty, var entries = saved[key.name] else { return nil }
            let type = memoryTypeName(Value.self)
            guard let index = entries.firstIndex(where: { $0.type == type }) else { return nil }
            let entry = entries.remove(at: index)
            saved[key.name] = entries.isEmpty ? nil : entries
            do {
                let value: Value = try entry.value.decoded(location: "memory key '\(key.name)' (\(type))")
                values[slot] = value
                return value
            } catch {
                if restoreFailure == nil { restoreFailure = error }
                return nil
            }
        }
    }

    private let storage = Mutex(Storage())

    /// Creates an empty memory.
    public init() {}

    /// A memory holding a checkpoint's values, decoded as keys read them.
    init(restoring entries: [Checkpoint.MemoryEntry]) {
        storage.withLock { storage in
            for entry in entries { storage.saved[entry.name, default: []].append(entry) }
            storage.snapshot = (0, entries)
        }
    }

    /// The value stored under `key`, or `nil`; setting `nil` removes it.
    public subscript<Value>(key: MemoryKey<Value>) -> Value? {
        get { storage.withLock { $0.value(for: key) } as? Value }
        set {
            storage.withLock {
                $0.values[key.slot] = newValue
                $0.version += 1
                if !$0.saved.isEmpty { $0.forgetSaved(key) }
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
            let (version, current) = storage.withLock { ($0.version, $0.value(for: key)) }
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
        storage.withLock { $0.values.keys.map(\.name) + $0.saved.keys }.sorted()
    }

    /// The memory's values for a checkpoint, sorted by name: those written, and those restored and not read yet.
    ///
    /// - Throws: ``CheckpointError`` naming the first key whose value is not `Codable`.
    func checkpointEntries() throws(CheckpointError) -> [Checkpoint.MemoryEntry] {
        let (version, values, saved, cached) = storage.withLock { ($0.version, $0.values, $0.saved, $0.snapshot) }
        if let cached, cached.version == version { return cached.entries }
        var entries: [Checkpoint.MemoryEntry] = []
        entries.reserveCapacity(values.count)
        for (slot, value) in values {
            let type = memoryTypeName(slot.valueType)
            entries.append(
                .init(
                    name: slot.name, type: type,
                    value: try CheckpointValue(value, location: "memory key '\(slot.name)' (\(type))")
                )
            )
        }
        for list in saved.values { entries.append(contentsOf: list) }
        entries.sort { ($0.name, $0.type) < ($1.name, $1.type) }
        storage.withLock { storage in
            if storage.version == version { storage.snapshot = (version, entries) }
        }
        return entries
    }

    /// The first saved value that failed to decode since the last call.
    func takeRestoreFailure() -> CheckpointError? {
        storage.withLock { storage in
            defer { storage.restoreFailure = nil }
            return storage.restoreFailure
        }
    }
}

/// How a checkpoint names a memory value's type: as `String(reflecting:)` writes it (`Swift.Array<Swift.String>`,
/// `MyApp.Draft`), readable and stable across processes — except for a private or local type, whose reflected name
/// holds a runtime address that differs in every process; such a type is named by its mangled name instead.
func memoryTypeName(_ type: Any.Type) -> String {
    let readable = String(reflecting: type)
    guard readable.contains("(unknown context at ") else { return readable }
    return _mangledTypeName(type) ?? readable
}
