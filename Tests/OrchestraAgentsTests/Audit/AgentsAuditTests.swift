import Foundation
import OrchestraTesting
import Synchronization
import Testing

@testable import OrchestraAgents

@Suite("Audit log: plans, re-plans, selections and API keys", .timeLimit(.minutes(1)))
struct AgentsAuditTests {
    /// A log that keeps its lines, decoded.
    final class Lines: Sendable {
        private let written = Mutex<[String]>([])
        var raw: [String] { written.withLock { $0 } }
        func log() -> AuditLog { AuditLog { [self] line in written.withLock { $0.append(line) } } }
        func objects() throws -> [[String: Any]] {
            try raw.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        }
        func decisions() throws -> [[String: Any]] { try objects().filter { $0["event"] as? String == "decision" } }
    }

    @Test("the Reactive template's plan and re-plan are decisions, in order, with why")
    func replanIsADecision() async throws {
        let bench = ToolBench()
        let model = planningModel([
            #"{"steps": [{"id": "topic", "kind": "tool", "tool": "search", "input": {"query": "${input}"}},"#
                + #" {"id": "page", "kind": "tool", "tool": "fetch", "input": {}, "depends_on": ["topic"]}]}"#,
            #"{"steps": [{"id": "copy", "kind": "tool", "tool": "mirror", "input": {}}]}"#,
        ])
        let reactive = Orchestration.reactive(model: model, tools: try ReactiveTemplateTests.tools(bench))
        let lines = Lines()
        lines.log().attach(to: reactive)
        let handle = reactive.start("tides")
        _ = try await handle.value
        await reactive.waitForHooks()

        let decisions = try lines.decisions()
        #expect(decisions.map { $0["decision"] as? String } == ["plan", "replan"])
        #expect(decisions.map { $0["choice"] as? String } == ["topic, page", "copy"])
        #expect(decisions.map { $0["state"] as? String } == ["Plan", "Replan"])
        #expect(decisions[0]["reason"] as? String == "the model planned 2 steps for the request")
        #expect(decisions[1]["reason"] as? String == "step 'page' failed: the mirror is unreachable")
        #expect(decisions[1]["details"] as? [String: String] == ["number": "1", "replaced": "nothing"])
        #expect(decisions.allSatisfy { $0["run"] as? String == handle.id.description })
        #expect(try lines.objects().last?["outcome"] as? String == "completed")
    }

    @Test("an orchestrator's selection is written with the run it started")
    func selectionIsADecision() async throws {
        let orchestrator = try Orchestrator(model: ScriptedModel([.text("Paris.")]), selector: RuleBasedSelector())
        let lines = Lines()
        let subscriptions = lines.log().attach(to: orchestrator)
        #expect(subscriptions.count == 3)
        let run = try await orchestrator.start("What is the capital of France?")
        #expect(try await run.handle.value == "Paris.")
        for subscription in subscriptions { await subscription.waitUntilDelivered() }

        let selection = try #require(try lines.decisions().first { $0["decision"] as? String == "selection" })
        #expect(selection["choice"] as? String == "simple")
        #expect(selection["reason"] as? String == run.choice.reason)
        let details = try #require(selection["details"] as? [String: String])
        #expect(
            details["decidedBy"] == "rules"
                && details["confidence"] == OrchestrationChoice.format(run.choice.confidence))
        #expect(selection["run"] as? String == run.handle.id.description)
        #expect(selection["trace"] as? String == run.handle.id.traceID.description)
        #expect(
            try lines.objects().contains { $0["run"] as? String == run.handle.id.description && $0["outcome"] != nil })
    }

    @Test("cancelling the subscriptions attach(to:) returned stops the selections' lines too")
    func cancelledOrchestratorLogWritesNothing() async throws {
        let orchestrator = try Orchestrator(model: ScriptedModel([.text("Paris.")]), selector: RuleBasedSelector())
        let lines = Lines()
        let subscriptions = lines.log().attach(to: orchestrator)
        for subscription in subscriptions { subscription.cancel() }
        let run = try await orchestrator.start("What is the capital of France?")
        #expect(try await run.handle.value == "Paris.")
        for subscription in subscriptions { await subscription.waitUntilDelivered() }
        #expect(lines.raw.isEmpty, "\(lines.raw)")
    }

    @Test("an API key is never written: not from a server that echoes it, nor from an error that quotes it")
    func apiKeyNeverWritten() async throws {
        // Not marked anywhere: the log knows it because an APIKey was made of it.
        let secret = "live-\(UUID().uuidString)"
        let server = try LocalHTTPServer { request, connection in
            connection.writeHead(status: 401, contentType: "application/json")
            let echoed = request.headers["authorization"] ?? ""
            connection.write(#"{"error":{"message":"Incorrect API key provided: \#(echoed) (\#(secret))"}}"#)
        }
        let model = OpenAICompatibleModel(baseURL: server.baseURL, model: "m", apiKey: APIKey(secret))
        let simple = Orchestration.simple(model: model)
        let careless = Orchestration(
            Runnable<String, String>("Careless") { _, _ in
                throw ModelError(
                    .status(500, message: "retry with key \(secret) and Bearer abc\(secret)"), endpoint: "x")
            })

        try await withTemporaryFile { url in
            let log = try AuditLog(file: url)
            log.attach(to: simple)
            log.attach(to: careless)
            let refused = await simple.start("hi").result
            #expect(server.requests.first?.headers["authorization"] == "Bearer \(secret)")
            guard case .failure(let error) = refused else { throw ModelError(.cancelled, endpoint: "") }
            #expect(error.code == .stateFailed)
            _ = await careless.start("hi").result
            await simple.waitForHooks()
            await careless.waitForHooks()

            let written = try String(contentsOf: url, encoding: .utf8)
            #expect(!written.contains(secret))
            #expect(written.contains("<redacted>"))
            let lines = written.split(separator: "\n")
            #expect(lines.filter { $0.contains(#""event":"runFailed""#) }.count == 2)
            for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
        }
    }

    @Test("a credential header's token and a cookie's values are secrets alone, not only with the scheme or name")
    func credentialHeaderParts() throws {
        let token = "tok\(UUID().uuidString.prefix(12))"
        let session = "ses\(UUID().uuidString.prefix(12))"
        _ = OpenAICompatibleModel(
            baseURL: URL(string: "http://127.0.0.1:1/v1")!, model: "m", apiKey: nil,
            headers: ["Authorization": "Bearer \(token)", "Cookie": "session=\(session); theme=dark"])
        let lines = Lines()
        try lines.log().record(RunDecision(.route, choice: "c", reason: "the server refused \(token) for \(session)"))
        let written = lines.raw.joined()
        #expect(!written.contains(token) && !written.contains(session), "\(written)")
        // The scheme does not become a secret.
        try lines.log().record(RunDecision(.route, choice: "Bearer", reason: "r"))
        #expect(try lines.decisions().last?["choice"] as? String == "Bearer")
    }
}

/// Runs `body` with the URL of a file that does not exist yet, in the temporary directory, and removes it after.
func withTemporaryFile(_ body: (URL) async throws -> Void) async throws {
    let url = FileManager.default.temporaryDirectory.appending(path: "orchestra-audit-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: url) }
    try await body(url)
}
