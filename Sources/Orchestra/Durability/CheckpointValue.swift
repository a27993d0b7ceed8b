import Foundation

/// A value a checkpoint keeps: a state's input, a prompt, a run's output or a memory value.
///
/// It holds either the value itself — as a run hands it to the store, which may keep it as it is
/// (``InMemoryCheckpointStore`` does) — or its JSON, as a store read it back. It encodes as that JSON, in a
/// string, so any `Encoder` can write a checkpoint and the value comes back exactly.
public struct CheckpointValue: Sendable, Codable, CustomStringConvertible {
    enum Storage: Sendable {
        /// The value, known to be `Encodable`.
        case value(any Sendable)
        /// The value's JSON.
        case json(String)
    }

    let storage: Storage

    /// Keeps `value`, which must be `Encodable`.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - location: What the value is, for the error: `the input of state 'Draft'`, `memory key 'notes'`.
    /// - Throws: ``CheckpointError`` with code ``CheckpointError/Code/notCodable`` when it is not `Encodable`.
    public init(_ value: any Sendable, location: String) throws(CheckpointError) {
        guard value is any Encodable else {
            throw CheckpointError(
                code: .notCodable, location: location,
                message: "\(type(of: value)) is not Codable, so it cannot be saved in a checkpoint; make it Codable"
            )
        }
        storage = .value(value)
    }

    /// Keeps `value`, whose static type the caller knows to be `Codable`.
    init(encodable value: any Sendable) {
        storage = .value(value)
    }

    /// Wraps the JSON of a value, as a store read it back.
    ///
    /// - Parameter json: The value's JSON text, as ``json()`` wrote it.
    public init(json: String) {
        storage = .json(json)
    }

    /// The value's JSON text: the JSON this value was read from, or the value encoded with a `JSONEncoder`.
    ///
    /// - Throws: ``CheckpointError`` when the value's own `encode(to:)` throws.
    public func json() throws(CheckpointError) -> String {
        switch storage {
        case .json(let json): return json
        case .value(let value):
            guard let encodable = value as? any Encodable else {
                throw CheckpointError(
                    code: .notCodable, location: "a checkpoint value", message: "\(type(of: value)) is not Codable")
            }
            do {
                return String(decoding: try JSONEncoder().encode(encodable), as: UTF8.self)
            } catch {
                throw CheckpointError(
                    code: .notCodable, location: "a checkpoint value",
                    message: "\(type(of: value)) could not be encoded as JSON", underlying: error
                )
            }
        }
    }

    /// The value as `T`: the value itself when it is one, or its JSON decoded as `T`.
    ///
    /// - Parameters:
    ///   - type: The type to read it as.
    ///   - location: What the value is, for the error.
    /// - Throws: ``CheckpointError`` with code ``CheckpointError/Code/notCodable`` when it is not a `T` and does
    ///   not decode as one.
    public func decoded<T>(as type: T.Type = T.self, location: String) throws(CheckpointError) -> T {
        switch storage {
        case .value(let value):
            if let typed = value as? T { return typed }
            throw CheckpointError(
                code: .notCodable, location: location,
                message: "the saved value is a \(Swift.type(of: value)), not a \(T.self); was the machine changed?"
            )
        case .json(let json):
            guard let decodable = T.self as? any Decodable.Type else {
                throw CheckpointError(
                    code: .notCodable, location: location,
                    message: "\(T.self) is not Codable, so a saved value cannot be read back as one; make it Codable"
                )
            }
            let decoded: any Decodable
            do {
                decoded = try JSONDecoder().decode(decodable, from: Data(json.utf8))
            } catch {
                throw CheckpointError(
                    code: .notCodable, location: location,
                    message: "the saved JSON does not decode as \(T.self); was the type changed since the run was "
                        + "saved? JSON: \(Self.cut(json))",
                    underlying: error
                )
            }
            guard let typed = decoded as? T else {
                throw CheckpointError(
                    code: .notCodable, location: location,
                    message: "decoding as \(T.self) gave a \(Swift.type(of: decoded))")
            }
            return typed
        }
    }

    /// Encodes the value's JSON as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(try json())
    }

    /// Decodes a value's JSON from a string.
    public init(from decoder: any Decoder) throws {
        storage = .json(try decoder.singleValueContainer().decode(String.self))
    }

    /// The value, or its JSON when that is all there is.
    public var description: String {
        switch storage {
        case .value(let value): String(describing: value)
        case .json(let json): json
        }
    }

    private static func cut(_ text: String) -> String {
        text.count > 200 ? text.prefix(200) + "…" : text
    }
}
