import Foundation
import OrchestraAgents
import OrchestraTesting
import Synchronization

/// Tools for template tests: each records its calls, and answers with what `respond` makes of its arguments.
final class ToolBench: Sendable {
    private let calls = Mutex<[(String, JSONValue)]>([])

    /// The calls made, in order: tool and arguments.
    var made: [(tool: String, arguments: JSONValue)] { calls.withLock { $0.map { (tool: $0.0, arguments: $0.1) } } }

    /// The arguments of every call of `tool`, in order.
    func arguments(of tool: String) -> [JSONValue] { made.filter { $0.tool == tool }.map(\.arguments) }

    /// A tool named `name`, with a schema of `parameters`, whose result `respond` makes.
    func tool(
        _ name: String, parameters: JSONSchema = .object(properties: [:], additionalProperties: nil),
        _ respond: @escaping @Sendable (JSONValue) async throws -> JSONValue = { _ in .null }
    ) -> FunctionTool {
        FunctionTool(name: name, description: "The \(name) tool.", parameters: parameters) { arguments in
            self.calls.withLock { $0.append((name, arguments)) }
            return try await respond(arguments)
        }
    }
}

/// Two parties that must both arrive: `arrive` returns whether the other came too, waiting up to ten seconds so
/// that a test of concurrency fails, rather than hangs, when the two run one after the other.
final class Rendezvous: Sendable {
    private let arrived = Mutex(0)

    func arrive() async -> Bool {
        arrived.withLock { $0 += 1 }
        for _ in 0..<1_000 where arrived.withLock({ $0 }) < 2 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return arrived.withLock { $0 } >= 2
    }
}

extension JSONValue {
    /// Parses JSON text; a test's fixture that is not JSON fails the test.
    init(json text: String) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

/// The text of the last user message of a request.
func lastUserText(_ request: ChatRequest) -> String {
    request.messages.last { $0.role == .user }?.content ?? ""
}
