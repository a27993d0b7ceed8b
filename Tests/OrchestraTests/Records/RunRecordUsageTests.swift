import Foundation
import Orchestra
import Synchronization
import Testing

@Suite("A run record's tokens by model, and retries")
struct RunRecordUsageTests {
    @Test("tokens named by model add up per model, unnamed ones count in the total only; retries are counted")
    func tokensByModelAndRetries() async throws {
        let attempts = Mutex(0)
        let call = Runnable<Int, Int>("Call") { n, context in
            context.recordTokens(TokenUsage(promptTokens: 100, completionTokens: 10), model: "large")
            context.recordTokens(TokenUsage(promptTokens: 5, completionTokens: 1), model: "small")
            context.recordTokens(TokenUsage(promptTokens: 1, completionTokens: 1))
            let attempt = attempts.withLock { value in
                value += 1
                return value
            }
            if attempt < 3 { throw Boom(reason: "attempt \(attempt)") }
            return n
        }
        .retry(RetryPolicy(maxAttempts: 3, initialDelay: .zero))
        let after = Runnable<Int, Int>("After") { n, _ in n }
        call.advance(to: after)
        let handle = Orchestration(start: call, exit: after).start(1)
        _ = try await handle.value
        let record = await handle.record
        let step = try #require(record.steps.first)
        #expect(step.retries == 2)
        #expect(step.tokens == TokenUsage(promptTokens: 318, completionTokens: 36))
        #expect(
            step.tokensByModel == [
                "large": TokenUsage(promptTokens: 300, completionTokens: 30),
                "small": TokenUsage(promptTokens: 15, completionTokens: 3),
            ])
        #expect(record.steps[1].retries == 0 && record.steps[1].tokensByModel.isEmpty)
        let decoded = try JSONDecoder().decode(RunRecord.self, from: JSONEncoder().encode(record))
        // Durations go through seconds as a `Double`; what matters here survives exactly.
        #expect(decoded.steps.map(\.tokensByModel) == record.steps.map(\.tokensByModel))
        #expect(decoded.steps.map(\.retries) == [2, 0])
        #expect(decoded.steps.map(\.tokens) == record.steps.map(\.tokens))
        // A step without retries or named models writes neither.
        let json = try #require(String(data: JSONEncoder().encode(record.steps[1]), encoding: .utf8))
        #expect(!json.contains("retries") && !json.contains("tokensByModel"), "\(json)")
    }

    @Test("a failed run resumed: the failed attempt keeps its own tokens, the new attempt has its own")
    func resumedRunKeepsTheFailedAttemptsTokens() async throws {
        let broken = Mutex(true)
        let before = Runnable<String, String>("Before") { text, _ in text }
        let flaky = Runnable<String, String>("Flaky") { text, context in
            let failing = broken.withLock { $0 }
            let used = failing ? 100 : 7
            context.recordTokens(TokenUsage(promptTokens: used, completionTokens: 1), model: failing ? "big" : "small")
            if failing { throw Boom(reason: "down") }
            return text
        }
        .retry(RetryPolicy(maxAttempts: 2, initialDelay: .zero, jitter: .none))
        before.advance(to: flaky)
        let store = InMemoryCheckpointStore()
        let orchestration = Orchestration(start: before, exit: flaky, options: .init(checkpoints: store))
        let completed = Mutex<RunRecord?>(nil)
        orchestration.onEvent(
            .synchronous { event in
                if case .runCompleted(let record) = event.kind { completed.withLock { $0 = record } }
            })
        let handle = orchestration.start("x")
        _ = await handle.result
        let failed = await handle.record
        #expect(failed.tokens == TokenUsage(promptTokens: 200, completionTokens: 2))
        broken.withLock { $0 = false }
        _ = try await orchestration.resume(handle.id)
        await orchestration.waitForHooks()
        let record = try #require(completed.withLock { $0 })
        let flakySteps = record.steps.filter { $0.state == "Flaky" }
        #expect(flakySteps.count == 2)
        #expect(flakySteps.map(\.failed) == [true, false])
        #expect(
            flakySteps.map(\.tokens) == [
                TokenUsage(promptTokens: 200, completionTokens: 2), TokenUsage(promptTokens: 7, completionTokens: 1),
            ])
        #expect(
            flakySteps.map(\.tokensByModel) == [
                ["big": TokenUsage(promptTokens: 200, completionTokens: 2)],
                ["small": TokenUsage(promptTokens: 7, completionTokens: 1)],
            ])
        #expect(flakySteps.map(\.retries) == [1, 0])
        #expect(record.tokens == TokenUsage(promptTokens: 207, completionTokens: 3))
    }

    @Test(
        "a record file whose times no Duration holds is refused with a DecodingError, not trapped on",
        arguments: [#""start":1e300"#, #""start":0,"duration":-1e300"#, #""start":0,"duration":1e300"#])
    func timesOutOfRange(step: String) {
        let json =
            #"{"runID":"\#(RunID())","startedAt":"2026-11-22T09:30:00.125Z","status":"completed","steps":[{"step":1,"state":"S",\#(step)}]}"#
        #expect(throws: DecodingError.self) { try RunRecord(json: json) }
        let run =
            #"{"runID":"\#(RunID())","startedAt":"2026-11-22T09:30:00.125Z","status":"completed","steps":[],"duration":1e300}"#
        #expect(throws: DecodingError.self) { try RunRecord(json: run) }
    }
}
