import Foundation
import Orchestra
import OrchestraTesting
import Testing

@Suite("Run metrics: counts, failures, retries, tokens and exact costs from records")
struct RunMetricsTests {
    static var prices: PriceTable {
        get throws {
            try PriceTable([
                ModelPrice(model: "gpt-4o", input: 2.5, output: 10),
                ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.6),
            ])
        }
    }

    /// Draft records tokens of a dated model, of a model without a price, and of no model; Check records 50/10
    /// of gpt-4o per attempt, and retries until its input ends with `!` — which "fail" never does.
    /// Draft takes 120 ms on `clock`, and Check 40 ms per attempt.
    static func machine(_ clock: ManualClock = ManualClock()) -> Orchestration<String, String> {
        let draft = Runnable<String, String>("Draft") { topic, context in
            clock.advance(by: .milliseconds(120))
            context.recordTokens(TokenUsage(promptTokens: 100, completionTokens: 20), model: "gpt-4o-mini-2024-07-18")
            context.recordTokens(TokenUsage(promptTokens: 7, completionTokens: 3), model: "llama-3")
            context.recordTokens(TokenUsage(promptTokens: 10, completionTokens: 5))
            return topic
        }
        let check = Runnable<String, String>("Check") { text, context in
            clock.advance(by: .milliseconds(40))
            context.recordTokens(TokenUsage(promptTokens: 50, completionTokens: 10), model: "gpt-4o")
            guard text.hasSuffix("!"), !text.hasPrefix("fail") else { throw Boom(reason: text) }
            return text
        }
        .retry(RetryPolicy(maxAttempts: 3, initialDelay: .zero, jitter: .none)) { text, _, _ in text + "!" }
        draft.advance(to: check)
        return Orchestration(start: draft, exit: check, options: .init(clock: clock))
    }

    static func records() async -> [RunRecord] {
        let orchestration = machine()
        var records: [RunRecord] = []
        for input in ["ok", "fail"] {
            let handle = orchestration.start(input)
            _ = await handle.result
            records.append(await handle.record)
        }
        return records
    }

    @Test("a completed run with one retry and a failed run with two: exact counts, tokens and Decimal costs")
    func countsAndCosts() async throws {
        let records = await Self.records()
        #expect(records.map(\.status) == [.completed, .failed])
        let metrics = RunMetrics(records: records, prices: try Self.prices)

        #expect(metrics.runs == 2)
        #expect(metrics.completed == 1)
        #expect(metrics.failed == 1)
        #expect(metrics.cancelled == 0 && metrics.suspended == 0)
        #expect(metrics.latency.count == 2)

        let draft = try #require(metrics.states["Draft"])
        #expect(draft.count == 2)
        #expect(draft.failures == 0)
        #expect(draft.retries == 0)
        #expect(draft.tokens == TokenUsage(promptTokens: 234, completionTokens: 56))
        // 2 × (100 × 0.15 + 20 × 0.6) / 1e6
        #expect(draft.cost == Decimal(string: "0.000054"))
        #expect(
            draft.unpriced == [
                "": TokenUsage(promptTokens: 20, completionTokens: 10),
                "llama-3": TokenUsage(promptTokens: 14, completionTokens: 6),
            ])

        let check = try #require(metrics.states["Check"])
        #expect(check.count == 2)
        #expect(check.failures == 1)
        #expect(check.retries == 3)
        #expect(check.latency.count == 2)
        #expect(check.tokens == TokenUsage(promptTokens: 250, completionTokens: 50))
        // (250 × 2.5 + 50 × 10) / 1e6
        #expect(check.cost == Decimal(string: "0.001125"))
        #expect(check.unpriced.isEmpty)

        #expect(metrics.tokens == TokenUsage(promptTokens: 484, completionTokens: 106))
        #expect(metrics.cost == Decimal(string: "0.001179"))
        #expect(metrics.unpricedTokens == TokenUsage(promptTokens: 34, completionTokens: 16))
    }

    @Test("the table of the two runs, as Docs/Observability.md shows it")
    func table() async throws {
        let metrics = RunMetrics(records: await Self.records(), prices: try Self.prices)
        #expect(
            metrics.table == """
                2 runs: 1 completed, 1 failed, 0 cancelled, 0 suspended

                | State | Runs | Failed | Retries | p50 | p90 | p99 | Tokens in | Tokens out | Cost | Unpriced tokens |
                | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
                | Check | 2 | 1 | 3 | 80 ms | 120 ms | 120 ms | 250 | 50 | 0.001125 | 0 |
                | Draft | 2 | 0 | 0 | 120 ms | 120 ms | 120 ms | 234 | 56 | 0.000054 | 50 |
                | **all runs** | 2 | 1 | 3 | 200 ms | 240 ms | 240 ms | 484 | 106 | 0.001179 | 50 |

                Unpriced tokens by model: (no model) 30, llama-3 20

                """)
    }

    @Test("without a price table nothing is costed as free: every token is unpriced, by model")
    func noPrices() async {
        let metrics = RunMetrics(records: await Self.records())
        #expect(metrics.cost == 0)
        #expect(metrics.unpricedTokens == metrics.tokens)
        #expect(metrics.unpriced["gpt-4o"] == TokenUsage(promptTokens: 250, completionTokens: 50))
        #expect(metrics.unpriced["gpt-4o-mini-2024-07-18"] == TokenUsage(promptTokens: 200, completionTokens: 40))
    }

    @Test("merging metrics of two sets of runs equals the metrics of all of them; JSON keeps them")
    func merging() async throws {
        let first = await Self.records()
        let second = await Self.records() + Self.records()
        var merged = RunMetrics(records: first, prices: try Self.prices)
        merged.merge(RunMetrics(records: second, prices: try Self.prices))
        let union = RunMetrics(records: first + second, prices: try Self.prices)
        #expect(merged == union)
        #expect(merged.runs == 6)
        #expect(merged.states["Check"]?.retries == 9)
        #expect(merged != RunMetrics(records: first, prices: try Self.prices))
        let decoded = try JSONDecoder().decode(RunMetrics.self, from: JSONEncoder().encode(merged))
        #expect(decoded == merged)
    }

    @Test("a ForEach's items are one row, keyed by the path without indices")
    func forEachIsOneRow() async throws {
        let search = Runnable<String, Int>("Search") { query, context in
            context.recordTokens(TokenUsage(promptTokens: query.count, completionTokens: 1), model: "gpt-4o")
            return query.count
        }
        let all = ForEach(search, maxConcurrency: 3, name: "Search all")
        let handle = Orchestration(all).start(["a", "bb", "ccc", "dddd", "eeeee"])
        _ = await handle.result
        let record = await handle.record
        #expect(record.steps.contains { $0.path.description == "Search all[3]/Search" })
        let metrics = RunMetrics(records: [record], prices: try Self.prices)
        #expect(Set(metrics.states.keys) == ["Search all", "Search all/Search"])
        #expect(metrics.states["Search all/Search"]?.count == 5)
        #expect(metrics.states["Search all/Search"]?.tokens == TokenUsage(promptTokens: 15, completionTokens: 5))
        #expect(metrics[try #require(StatePath(["Search all", "Search all[4]", "Search"]))] == nil)
        #expect(metrics[try #require(StatePath(["Search all[4]", "Search"]))]?.count == 5)
        #expect(RunMetrics.key(for: try #require(StatePath(["A", "Loop[12]", "B[x]", "C[]"]))) == "A/Loop/B[x]/C[]")
    }

    @Test("token counts a model reported wrongly are held at the bounds, not trapped on")
    func wrongTokenCounts() {
        var record = RunRecord(runID: RunID(), startedAt: Date())
        record.status = .completed
        record.steps = [
            RunRecord.Step(
                step: 1, state: "Odd", start: .zero, duration: .zero,
                tokens: TokenUsage(promptTokens: .min, completionTokens: 5),
                tokensByModel: ["m": TokenUsage(promptTokens: .max, completionTokens: -3)])
        ]
        let metrics = RunMetrics(records: [record])
        #expect(metrics.states["Odd"]?.count == 1)
        #expect(metrics.unpriced[""] == TokenUsage(promptTokens: 0, completionTokens: 8))
    }

    @Test("a resumed run's record counts only from the step it resumed at")
    func resumedAt() {
        var record = RunRecord(runID: RunID(), startedAt: Date())
        record.status = .completed
        record.duration = .seconds(10)
        record.steps = [
            RunRecord.Step(step: 1, state: "Write", start: .zero, duration: .seconds(1)),
            RunRecord.Step(step: 2, state: "Approve", start: .seconds(8), duration: .seconds(1)),
            RunRecord.Step(step: 3, state: "Publish", start: .seconds(9), duration: .seconds(1)),
        ]
        var metrics = RunMetrics()
        metrics.add(record, resumedAt: 2)
        #expect(metrics.states.keys.sorted() == ["Approve", "Publish"])
        #expect(metrics.latency.total == .seconds(2))
        metrics.add(record)
        #expect(metrics.states["Write"]?.count == 1)
        #expect(metrics.latency.total == .seconds(12))
    }

    @Test("retry counts from a record file are checked as read and held at Int.max as added, not trapped on")
    func wrongRetryCounts() throws {
        func record(retries: String) -> Data {
            Data(
                #"{"runID":"\#(RunID())","startedAt":0,"status":"completed","steps":[{"step":1,"state":"S","start":0,"duration":0.1,"retries":\#(retries)}]}"#
                    .utf8)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RunRecord.self, from: record(retries: "-1")) }
        let huge = try JSONDecoder().decode(RunRecord.self, from: record(retries: String(Int.max)))
        let metrics = RunMetrics(records: [huge, huge])
        #expect(metrics.states["S"]?.retries == .max)
        #expect(metrics.merging(metrics).states["S"]?.retries == .max)
    }

    @Test(
        "the table adds retries of all states without overflow, and keeps a state named with '|' or a line break in its row"
    )
    func tableOfOddStates() {
        var record = RunRecord(runID: RunID(), startedAt: Date())
        record.status = .completed
        record.steps = [
            RunRecord.Step(step: 1, state: "A", start: .zero, duration: .zero, retries: .max),
            RunRecord.Step(step: 2, state: "B|two\nlines", start: .zero, duration: .zero, retries: .max),
        ]
        let table = RunMetrics(records: [record]).table
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(rows.count == 5, "\(table)")
        #expect(rows.last?.contains("| \(Int.max) |") == true, "\(table)")
        #expect(rows.allSatisfy { $0.hasSuffix(" |") }, "\(table)")
    }
}
