/// A value that must never be shown: its description, debug description and mirror are `<redacted>`, and every
/// ``AuditLog`` cuts its text out of what it writes — even from an error message that quotes the raw value.
///
/// ```swift
/// let password = Sensitive(form.password)
/// print(password)                       // <redacted>
/// try await login(user, password.value) // the value itself, where it is needed
/// ```
///
/// A value whose type is `LosslessStringConvertible` (`String`, `Int`, …) — or an optional, array, set, dictionary
/// or tuple of such values — is remembered process-wide as it is wrapped, so that audit logs recognise its text
/// anywhere; texts shorter than four characters are not (they would
/// erase ordinary words), and of very many values only the 1,024 most recent are. Other values are shown as
/// `<redacted>` but not looked for in text. A checkpoint store, which must resume the run with the value, keeps
/// it: `Sensitive` is `Codable` as its value is.
public struct Sensitive<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The value; read it only where it is used.
    public let value: Value

    /// Wraps a value, and remembers its text as a secret for every ``AuditLog``.
    ///
    /// - Parameter value: The value to keep from logs.
    public init(_ value: Value) {
        self.value = value
        Self.register(value, depth: 0)
    }

    /// Remembers the text of `value`, and of what it holds when it is an optional, a collection, a dictionary or a
    /// tuple — `Sensitive(["token-1", "token-2"])` keeps both from logs — a few levels deep.
    private static func register(_ value: Any, depth: Int) {
        // A flag is no secret, and its text, `true` or `false`, would be cut out of every later line.
        if value is Bool { return }
        if let text = value as? any LosslessStringConvertible {
            SecretRegistry.register(text.description, as: .value)
            return
        }
        guard depth < 4 else { return }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional, .collection, .set, .dictionary, .tuple:
            for child in mirror.children { register(child.value, depth: depth + 1) }
        default: break
        }
    }

    /// `<redacted>`.
    public var description: String { Redactor.marker }
    /// `<redacted>`.
    public var debugDescription: String { Redactor.marker }
    /// No children: `dump` and debuggers show nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Sensitive: Equatable where Value: Equatable {}
extension Sensitive: Hashable where Value: Hashable {}

extension Sensitive: Codable where Value: Codable {
    /// Encodes the value itself, as a checkpoint needs it.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: What encoding the value throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// Decodes the value, and remembers it as a secret again.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: What decoding the value throws.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Value.self))
    }
}
