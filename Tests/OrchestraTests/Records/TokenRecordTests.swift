import Foundation
import Orchestra
import OrchestraTesting
import Testing

/// Tokens that states record reach the run's record: by step, summed, kept on failure, and written as JSON.
@Suite("Token usage in records")
struct TokenRecordTests {
    @Test("each step keeps what its state recorded, attempts and children included, and the run sums them")
    func tokensByStep() async throws {
        let plan = Runnable<Int, [Int]>("Plan") { n, context in
            context.recordTokens(TokenUsage(promptTokens: 10, completionTokens: 2))
            context.recordTokens(TokenUsage(promptTokens: 5, completionTokens: 1))
            return Array(0..<n)
        }
        let search = Runnable<Int, Int>("Search") { n, context in
            context.recordTokens(TokenUsage(promptTokens: 100 + n, completionTokens: 1))
            return n
        }
        let attempts = Counter()
        let flaky = Runnable<[Int], Int>("Sum") { numbers, context in
            context.recordTokens(TokenUsage(promptTokens: 1, completionTokens: 1))
            attempts.increment()
            if attempts.count == 1 { throw Boom(reason: "first attempt") }
            return numbers.reduce(0, +)
        }.retry(RetryPolicy(maxAttempts: 2, initialDelay: .zero))
        let gather = ForEach(search, maxConcurrency: 2)
        plan.advance(to: gather)
        gather.advance(to: flaky)
        let handle = Orchestration(start: plan, exit: flaky).start(3)
        #expect(try await handle.value == 3)
        let record = await handle.record

        let tokens = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.path.description, $0.tokens) })
        #expect(tokens["Plan"] == TokenUsage(promptTokens: 15, completionTokens: 3))
        #expect(tokens["ForEach"] == .some(nil))
        #expect(tokens["ForEach[0]/Search"] == TokenUsage(promptTokens: 100, completionTokens: 1))
        #expect(tokens["ForEach[2]/Search"] == TokenUsage(promptTokens: 102, completionTokens: 1))
        #expect(tokens["Sum"] == TokenUsage(promptTokens: 2, completionTokens: 2))
        #expect(record.tokens == TokenUsage(promptTokens: 15 + 303 + 2, completionTokens: 3 + 3 + 2))
    }

    @Test("a failed run keeps the tokens its states spent, and the record round-trips through JSON")
    func failedRunKeepsTokens() async throws {
        let spend = Runnable<Int, Int>("Spend") { n, context in
            context.recordTokens(TokenUsage(promptTokens: 7, completionTokens: 3))
            return n
        }
        let fail = Runnable<Int, Int>("Fail") { _, context in
            context.recordTokens(TokenUsage(promptTokens: 4, completionTokens: 0))
            throw Boom(reason: "after spending")
        }
        spend.advance(to: fail)
        let handle = Orchestration(start: spend, exit: fail).start(1)
        _ = await handle.result
        let record = await handle.record
        #expect(record.status == .failed)
        #expect(
            record.steps.map(\.tokens) == [
                TokenUsage(promptTokens: 7, completionTokens: 3), TokenUsage(promptTokens: 4, completionTokens: 0),
            ])
        #expect(record.tokens == TokenUsage(promptTokens: 11, completionTokens: 3))

        let json = try JSONEncoder().encode(record)
        #expect(String(decoding: json, as: UTF8.self).contains(#""tokens":{"#))
        #expect(try JSONDecoder().decode(RunRecord.self, from: json).steps.map(\.tokens) == record.steps.map(\.tokens))
    }

    @Test("a run that recorded no tokens has none, and writes none")
    func noTokens() async throws {
        let handle = Orchestration(Add(1)).start(1)
        _ = await handle.result
        let record = await handle.record
        #expect(record.tokens == .zero)
        #expect(record.steps.count == 1)
        #expect(record.steps.allSatisfy { $0.tokens == nil })
        #expect(!String(decoding: try JSONEncoder().encode(record), as: UTF8.self).contains("tokens"))
    }
}
