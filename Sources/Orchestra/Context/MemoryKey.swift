/// A typed key into a run's ``RunMemory``.
///
/// Declare keys once, as static constants, so every state reads and writes the same slot
/// with the same type:
///
/// ```swift
/// extension MemoryKey where Value == [String] {
///     static let sources = MemoryKey("sources")
/// }
/// context.memory[.sources, default: []].append(url)
/// ```
///
/// Two keys are the same slot only if both their name and their value type are equal.
public struct MemoryKey<Value: Sendable>: Hashable, Sendable, CustomStringConvertible {
    /// The key's name.
    public let name: String

    /// Creates a key.
    ///
    /// - Parameter name: A name unique among the keys of this value type.
    public init(_ name: String) {
        self.name = name
    }

    /// The name and the value type, as in `sources: Array<String>`.
    public var description: String { "\(name): \(Value.self)" }

    var slot: MemorySlot { MemorySlot(name: name, valueType: Value.self) }
}

/// A key's identity inside the memory's dictionary: its name and its value type.
struct MemorySlot: Hashable, Sendable {
    var name: String
    /// The value type, for a checkpoint to name; compared by identity.
    let valueType: Any.Type

    init(name: String, valueType: Any.Type) {
        self.name = name
        self.valueType = valueType
    }

    static func == (lhs: MemorySlot, rhs: MemorySlot) -> Bool {
        lhs.name == rhs.name && ObjectIdentifier(lhs.valueType) == ObjectIdentifier(rhs.valueType)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(ObjectIdentifier(valueType))
    }
}
