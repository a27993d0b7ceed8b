import Foundation
import Orchestra
import OrchestraAgents
import Synchronization
import Testing

@Suite("A run record as JSON, against Docs/Schemas/RunRecord.schema.json")
struct RunRecordSchemaTests {
    static let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Docs/Schemas/RunRecord.schema.json")

    func schema() throws -> JSONSchema {
        try JSONDecoder().decode(JSONSchema.self, from: Data(contentsOf: Self.schemaURL))
    }

    /// A run that fills every field a record has: composite children, a labelled transition, tokens by model, a
    /// retry, and a failure at the end.
    func failedRun() async throws -> RunRecord {
        let attempts = Mutex(0)
        let flaky = Runnable<Int, Int>("Flaky") { n, context in
            context.recordTokens(TokenUsage(promptTokens: 10, completionTokens: 2), model: "small")
            let first = attempts.withLock { count in
                count += 1
                return count == 1
            }
            if first { throw URLError(.timedOut) }
            return n
        }
        .retry(RetryPolicy(maxAttempts: 2, initialDelay: .zero))
        let both = Parallel(
            Runnable<Int, Int>("Left") { n, _ in n }, Runnable<Int, Int>("Right") { n, _ in n }, name: "Both")
        let fail = Runnable<(Int, Int), Int>("Fail") { _, _ in throw URLError(.badServerResponse) }
        flaky.advance(to: both, label: "always")
        both.advance(to: fail)
        let handle = Orchestration(start: flaky, exit: fail).start(1)
        _ = await handle.result
        return await handle.record
    }

    @Test("a record with every field validates, and reads back")
    func validates() async throws {
        let record = try await failedRun()
        #expect(record.status == .failed && record.error != nil)
        #expect(record.steps.contains { $0.parent != nil } && record.steps.contains { $0.retries > 0 })
        let text = try record.json()
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let violations = try schema().validate(value)
        #expect(violations.isEmpty, "\(violations)\n\(text)")
        // The start with its milliseconds: `"startedAt" : "2026-11-22T09:30:00.125Z"`.
        #expect(text.firstMatch(of: /"startedAt" : "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/) != nil, "\(text)")
        // Once through JSON, a record is a fixed point: nothing is lost on a second trip.
        let once = try RunRecord(json: text)
        #expect(try RunRecord(json: once.json(prettyPrinted: false)) == once)
        #expect(abs(once.startedAt.timeIntervalSince(record.startedAt)) < 0.001)
        #expect(once.steps.map(\.path) == record.steps.map(\.path))
    }

    @Test("the schema is strict: an unknown key, a failed: false and a bad status are refused")
    func strict() async throws {
        let record = try await failedRun()
        let schema = try schema()
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(try record.json().utf8))
        guard case .object(var object) = value, case .array(var steps) = object["steps"],
            case .object(var step) = steps.first
        else {
            Issue.record("not a record: \(value)")
            return
        }
        var extra = object
        extra["comment"] = .string("not in the schema")
        #expect(!schema.accepts(.object(extra)))
        var status = object
        status["status"] = .string("done")
        #expect(!schema.accepts(.object(status)))
        step["failed"] = .bool(false)
        steps[0] = .object(step)
        object["steps"] = .array(steps)
        #expect(!schema.accepts(.object(object)))
    }

    @Test("a start that is not an ISO-8601 date is a decoding error")
    func badDate() throws {
        let text =
            #"{"runID":"1F3A9C2B-0000-4000-8000-000000000000","startedAt":"yesterday","status":"completed","steps":[]}"#
        #expect(throws: DecodingError.self) { try RunRecord(json: text) }
        let plain = text.replacingOccurrences(of: "yesterday", with: "2026-11-22T09:30:00Z")
        #expect(try RunRecord(json: plain).startedAt == Date(timeIntervalSince1970: 1_795_339_800))
    }
}
