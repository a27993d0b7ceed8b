import Foundation

/// A secret that authorizes requests, sent as a bearer token and shown to no one: its description, its
/// debug description and its mirror are `APIKey(redacted)`, so neither `print`, `dump`, string interpolation
/// nor an error or event that carries a model can reveal it. Making a key also hands its secret to every
/// ``AuditLog`` of the process, which writes `<redacted>` wherever the secret would appear — in an
/// error a server or a state wrote, say — without your marking it again.
///
/// ```swift
/// let model = OpenAICompatibleModel(baseURL: url, model: "gpt-4o-mini", apiKey: APIKey(secret))
/// print(model)   // OpenAICompatibleModel(https://api.openai.com/v1/chat/completions, model: gpt-4o-mini, apiKey: APIKey(redacted))
/// ```
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret; read only to build the `Authorization` header.
    let secret: String
    /// Whether the key may go only to OpenAI's own API: the default key, from `OPENAI_API_KEY`.
    let onlyForOpenAI: Bool

    /// Wraps a secret.
    public init(_ secret: String) {
        self.init(secret, onlyForOpenAI: false)
    }

    private init(_ secret: String, onlyForOpenAI: Bool) {
        self.secret = secret
        self.onlyForOpenAI = onlyForOpenAI
        SecretRegistry.register(secret, as: .credential)
    }

    /// The default key of ``OpenAICompatibleModel``: `OPENAI_API_KEY`, sent only to `api.openai.com`, so that an
    /// OpenAI key in the environment never reaches another service or a local server by default. Pass
    /// ``environment(_:)`` to send a variable's key to any host.
    public static var openAIFromEnvironment: APIKey? {
        environment().map { APIKey($0.secret, onlyForOpenAI: true) }
    }

    /// The key in the environment variable `name`, `OPENAI_API_KEY` by default; `nil` when it is unset or
    /// empty, as for a local server that needs none.
    public static func environment(_ name: String = "OPENAI_API_KEY") -> APIKey? {
        guard let secret = ProcessInfo.processInfo.environment[name], !secret.isEmpty else { return nil }
        return APIKey(secret)
    }

    /// `APIKey(redacted)`.
    public var description: String { "APIKey(redacted)" }
    /// `APIKey(redacted)`.
    public var debugDescription: String { description }
    /// No children: `dump` and debuggers' summaries show nothing of the secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
