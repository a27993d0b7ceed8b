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

}
