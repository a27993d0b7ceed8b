import Foundation
import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Audit log: what is written", .timeLimit(.minutes(1)))
struct AuditLogTests {
    static let quickRetry = RetryPolicy(maxAttempts: 3, initialDelay: .zero, jitter: .none)

    /// Classify routes by a labelled condition; Big fails once and is retried; Charge fails, opens its breaker and
    /// falls back to Backup; Report throws.
    static func machine(breaker: CircuitBreaker) -> Orchestration<Int, Int> {
        let classify = Runnable<Int, Int>("Classify") { n, _ in n }
        let big = Add(1, name: "Big").injectingFaults(.failFirst(1, with: Boom(reason: "flaky"))).retry(quickRetry)
        let small = Add(0, name: "Small")
        let charge = Runnable<Int, Int>("Charge") { _, _ in throw Boom(reason: "card declined") }
            .circuitBreaker(breaker).fallback(to: Runnable<Int, Int>("Backup") { n, _ in n })
        let report = Runnable<Int, Int>("Report") { n, context in
            context.record(
                RunDecision(.route, choice: "archive", reason: "total \(n) is final", details: ["n": "\(n)"]))
            throw Boom(reason: "printer on fire")
        }
        classify.advance(to: big, label: "large order") { $0 >= 10 }.advance(to: small, label: "small order")
        big.advance(to: charge)
        small.advance(to: charge)
        charge.advance(to: report)
        return Orchestration(start: classify, exit: report, options: .init(clock: ManualClock()))
    }

    @Test("a run with a route, a retry, a breaker, a fallback, a decision and a failure: each line is JSON, in order")
    func decisionsInOrder() async throws {
        let lines = AuditLines()
        let orchestration = Self.machine(breaker: CircuitBreaker("Payments", failureThreshold: 1))
        lines.log().attach(to: orchestration)
        let handle = orchestration.start(12)
        _ = await handle.result
        await orchestration.waitForHooks()

        let objects = try lines.objects()
        let events = objects.compactMap { $0["event"] as? String }
        #expect(
            events.filter { $0 != "stateStarted" && $0 != "stateCompleted" } == [
                "runStarted", "transition", "retrying", "transition", "circuitChanged", "fallback", "transition",
                "decision", "stateFailed", "runFailed",
            ])
        for object in objects {
            #expect(object["run"] as? String == handle.id.description)
            #expect(object["trace"] as? String == handle.id.traceID.description)
            #expect((object["span"] as? String)?.count == 16)
            #expect(object["step"] is Int)
            #expect(object["state"] is String && object["path"] is String)
            let time = try #require(object["time"] as? String)
            #expect(try Date(time, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) <= Date())
            #expect(object["clock"] is Double)
        }
        #expect(objects.first?["parentSpan"] == nil)
        #expect(objects.first { $0["event"] as? String == "stateStarted" }?["parentSpan"] as? String != nil)

        let transitions = try lines.lines("transition").map { [$0["from"], $0["to"], $0["because"]] as? [String] }
        #expect(
            transitions == [
                ["Classify", "Big", "large order"], ["Big", "Charge", "the only way out"],
                ["Charge", "Report", "the only way out"],
            ])
        let retry = try #require(try lines.lines("retrying").first)
        #expect(retry["attempt"] as? Int == 2 && retry["delay"] as? Double == 0)
        #expect((retry["error"] as? [String: Any])?["message"] as? String == "boom: flaky")
        let breaker = try #require(try lines.lines("circuitChanged").first)
        #expect(breaker["breaker"] as? String == "Payments" && breaker["to"] as? String == "open")
        let fallback = try #require(try lines.lines("fallback").first)
        #expect(fallback["to"] as? String == "Backup")
        #expect(((fallback["error"] as? [String: Any])?["message"] as? String)?.contains("card declined") == true)
        let decision = try #require(try lines.lines("decision").first)
        #expect(decision["decision"] as? String == "route" && decision["choice"] as? String == "archive")
        #expect(decision["reason"] as? String == "total 13 is final")
        #expect(decision["details"] as? [String: String] == ["n": "13"])

        let end = try #require(objects.last)
        #expect(end["outcome"] as? String == "failed")
        #expect(end["steps"] as? Int == 5)
        #expect(end["duration"] is Double)
        let error = try #require(end["error"] as? [String: Any])
        #expect(error["code"] as? String == "state failed" && error["state"] as? String == "Report")
        #expect((error["message"] as? String)?.contains("printer on fire") == true)
        #expect((error["type"] as? String)?.hasSuffix("Boom") == true)
    }

    @Test("an unlabelled choice among several advancers says so; chunks that report no decision are not written")
    func unlabelledAndChunks() async throws {
        let lines = AuditLines()
        let start = Runnable<Int, Int>("Start") { n, context in
            context.emit("model tokens nobody audits")
            return n
        }
        let (one, two) = (Add(1, name: "One"), Add(2, name: "Two"))
        start.advance(to: one) { $0 > 0 }.advance(to: two)
        one.advance(to: two)
        let orchestration = Orchestration(start: start, exit: two)
        lines.log().attach(to: orchestration)
        #expect(try await orchestration.run(1) == 4)
        await orchestration.waitForHooks()
        #expect(
            try lines.lines("transition").map { $0["because"] as? String } == [
                "an unlabelled advancer", "the only way out",
            ])
        #expect(try lines.lines("decision").isEmpty)
        #expect(!lines.raw.joined().contains("model tokens"))
        let end = try #require(try lines.objects().last)
        #expect(end["event"] as? String == "runCompleted" && end["outcome"] as? String == "completed")
    }

    @Test("a decision made outside any run is written with the run it was made for")
    func decisionOutsideRun() throws {
        let lines = AuditLines()
        let run = RunID()
        try lines.log().record(RunDecision(.selection, choice: "planner", reason: "two steps"), run: run)
        let line = try #require(try lines.objects().first)
        #expect(line["event"] as? String == "decision" && line["decision"] as? String == "selection")
        #expect(line["run"] as? String == run.description && line["trace"] as? String == run.traceID.description)
    }

    @Test("the file sink appends lines, creating the file; lines already there are kept")
    func fileSink() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let url = directory.appending(path: "audit.jsonl")
            try Data("{\"earlier\":true}\n".utf8).write(to: url)
            let orchestration = Orchestration(Add(1, name: "One"))
            try AuditLog(file: url).attach(to: orchestration)
            _ = try await orchestration.run(1)
            _ = try await orchestration.run(2)
            await orchestration.waitForHooks()
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "{\"earlier\":true}")
            #expect(lines.count == 1 + 2 * 4)
            for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
        }
    }

    @Test("a file that cannot be opened is a typed error naming it")
    func fileCannotOpen() throws {
        let url = URL(filePath: "/nonexistent-orchestra-directory/audit.jsonl")
        let error = try #require(throws: AuditLogError.self) { try AuditLog(file: url) }
        #expect(error.code == .cannotOpen && error.path == url.path(percentEncoded: false))
        #expect(error.errno == ENOENT)
        #expect(error.description.contains("'/nonexistent-orchestra-directory/audit.jsonl'"))
    }

    @Test("strings are escaped: quotes, backslashes, newlines and control characters leave one valid line")
    func escaping() throws {
        let lines = AuditLines()
        let awkward = "line one\nline \"two\"\t\\ \u{1}\u{2028} ünï 🎻"
        try lines.log().record(RunDecision(.route, choice: awkward, reason: "r", details: [awkward: awkward]))
        let line = try #require(try lines.objects().first)
        #expect(line["choice"] as? String == awkward)
        #expect(line["details"] as? [String: String] == [awkward: awkward])
        // As written: the separators and control characters escaped, the rest of the text as it is.
        let raw = try #require(lines.raw.first)
        #expect(!raw.contains("\u{2028}") && !raw.contains("\u{1}") && !raw.contains("\t"))
        #expect(raw.contains(#"\u2028"#) && raw.contains(#"\u0001"#) && raw.contains("ünï 🎻"), "\(raw)")
    }

    struct ChargeError: Error, CustomStringConvertible {
        var description: String
    }

    @Test(
        "the sample of Docs/Observability.md: a retried review, a decision, a breaker opening on an error quoting secrets"
    )
    func documentedSample() async throws {
        let lines = AuditLines()
        let number = "4111 1111 \(Int.random(in: 1000...9999)) \(Int.random(in: 1000...9999))"
        let card = Sensitive(number)
        let classify = Runnable<Sensitive<String>, Int>("Classify") { _, _ in 1_250 }
        let charge = Runnable<Int, String>("Charge") { _, _ in
            throw ChargeError(description: "card \(card.value) declined; Authorization: Bearer tok_9f8e7d6c5b4a")
        }
        .circuitBreaker(CircuitBreaker("Payments", failureThreshold: 1))
        let attempts = Counter()
        let review = Runnable<Int, Int>("Review") { n, context in
            attempts.increment()
            if attempts.count == 1 { throw ChargeError(description: "review service timed out") }
            context.record(
                RunDecision(.route, choice: "manual", reason: "total \(n) is above 1000", details: ["limit": "1000"]))
            return n
        }
        .retry(RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(5), jitter: .none))
        let approve = Runnable<Int, Int>("Approve") { n, _ in n }
        approve.advance(to: charge)
        classify.advance(to: review, label: "large order") { $0 >= 1_000 }.advance(to: approve, label: "small order")
        review.advance(to: charge)
        let orchestration = Orchestration(start: classify, exit: charge)
        lines.log().attach(to: orchestration)
        _ = await orchestration.start(card).result
        await orchestration.waitForHooks()

        #expect(
            try lines.objects().map { $0["event"] as? String } == [
                "runStarted", "stateStarted", "stateCompleted", "transition", "stateStarted", "retrying", "decision",
                "stateCompleted", "transition", "stateStarted", "circuitChanged", "stateFailed", "runFailed",
            ])
        let written = lines.raw.joined(separator: "\n")
        #expect(!written.contains(number) && !written.contains("tok_9f8e7d6c5b4a"))
        let error = try #require(try lines.lines("runFailed").first?["error"] as? [String: Any])
        #expect(
            error["message"] as? String
                == "state 'Charge' threw at step 3: card <redacted> declined; Authorization: <redacted>")
    }
}

@Suite("The audit log's sink", .timeLimit(.minutes(1)))
struct AuditSinkTests {
    @Test("a sink may mark values as it writes: no deadlock, and later lines redact them")
    func sinkMarksValues() throws {
        let log = Mutex<AuditLog?>(nil)
        let written = Mutex<[String]>([])
        let audit = AuditLog { line in
            written.withLock { $0.append(line) }
            log.withLock { $0 }?.redact("plum-tree-42")
        }
        log.withLock { $0 = audit }
        try audit.record(RunDecision(.route, choice: "plum-tree-42", reason: "first"))
        try audit.record(RunDecision(.route, choice: "plum-tree-42", reason: "second"))
        let lines = written.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines.first?.contains("plum-tree-42") == true)  // not marked yet when the first line was written
        #expect(lines.last?.contains("plum-tree-42") == false && lines.last?.contains("<redacted>") == true)
    }
}
