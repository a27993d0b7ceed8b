import Foundation
import Orchestra
import Synchronization
import Testing

@testable import event_monitoring

@Suite("Event monitoring")
struct EventMonitoringTests {
    @Test(
        "the tour shows the lifecycle, both AsyncSequences, a timing table, a failure, a cancellation and the monitor")
    func tour() async throws {
        let printed = Mutex<[String]>([])
        let directory = FileManager.default.temporaryDirectory.appending(path: "event-monitoring-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let seen = try await EventMonitoringTour.run(exportingTo: directory) { line in
            printed.withLock { $0.append(line) }
        }

        // 1. The lifecycle hook: every state of the machine started and completed, in order, and the run completed.
        #expect(seen.lifecycle.first == "🚀 State started: Fetch")
        #expect(seen.lifecycle.last == "🎉 Orchestration completed successfully")
        #expect(
            seen.lifecycle.filter { $0.hasPrefix("🔄") } == [
                "🔄 Transition: Fetch → Summarize", "🔄 Transition: Summarize → Publish",
            ])
        #expect(seen.lifecycle.filter { $0.hasPrefix("✅ State completed: Fetch[") }.count == 3)

        // 2. One run's events from first to last, and both runs' endings on the orchestration's sequence.
        #expect(seen.runEvents.first == "runStarted")
        #expect(seen.runEvents.last == "runCompleted")
        #expect(seen.runEvents.filter { $0 == "chunk" }.count == 3)  // "fetched …", once per document
        #expect(seen.endings.sorted() == ["runCompleted (4 states)", "runCompleted (6 states)"])

        // 3. Three runs, timed per state by a synchronous hook.
        #expect(seen.timings == ["Fetch": 3, "Download": 9, "Summarize": 3, "Publish": 3])

        // 4. The failure: the download that threw, then its composite, then the run — all naming the download.
        #expect(
            seen.failure == [
                "runStarted", "stateStarted", "stateStarted", "stateFailed Fetch[0]/Download", "stateFailed Fetch",
                "runFailed Fetch",
            ])
        #expect(seen.failureError?.code == .stateFailed)
        #expect(seen.failureError?.state == "Fetch[0]/Download")
        #expect(seen.failureError?.underlying.map { "\($0)" } == "no document named 'missing.md'")

        // 5. The cancellation: the running download fails as cancelled, and the run ends cancelled.
        #expect(
            seen.cancellation == [
                "runStarted", "stateStarted", "stateStarted", "stateFailed", "stateFailed", "runCancelled",
            ])

        // 6. The console monitor's plain lines, from the run's start to its summary.
        let first = try #require(seen.console.first)
        #expect(first.contains("▶ run ") && first.hasSuffix(" started"))
        #expect(seen.console.contains { $0.hasSuffix("→ Fetch → Summarize") })
        #expect(seen.console.last?.contains("completed · 6 states · ") == true)

        // 7. The exports, each what it says it is.
        #expect(seen.exports.files == ["machine.mmd", "machine.dot", "run.json", "timeline.mmd"])
        #expect(try read("machine.mmd").contains("-.->|\"has lines\"|"))
        func read(_ name: String) throws -> String {
            try String(contentsOf: directory.appending(path: name), encoding: .utf8)
        }
        #expect(try read("machine.mmd").hasPrefix("flowchart TD\n"))
        #expect(try read("machine.mmd").contains("subgraph"))  // the ForEach around Download
        #expect(try read("machine.dot").hasPrefix("digraph"))
        let record = try RunRecord(json: try read("run.json"))
        #expect(record.status == .completed && record.steps.count == 6)
        #expect(try read("timeline.mmd").hasPrefix("gantt\n"))

        // 8. The spans: the run, then each state under its parent — the downloads under Fetch.
        let spans = seen.exports.spans
        #expect(spans.count == 6, "\(spans)")
        #expect(spans.first?.hasPrefix("run ") == true)
        let fetch = try #require(spans.first { $0.hasPrefix("  Fetch ") })
        let fetchSpan = try #require(fetch.split(separator: " ").dropFirst().first)
        let downloads = spans.filter { $0.hasPrefix("    Fetch[") && $0.contains("/Download ") }
        #expect(downloads.count == 2 && downloads.allSatisfy { $0.hasSuffix("← \(fetchSpan)") }, "\(spans)")

        // 9. Metrics over four good runs and one failed: counts, failures, and the stand-in model's tokens, priced.
        let metrics = try #require(seen.exports.metrics)
        #expect(metrics.runs == 5 && metrics.completed == 4 && metrics.failed == 1)
        #expect(metrics.states["Fetch/Download"]?.count == 13)  // 3 documents × 4 runs, and the missing one
        #expect(metrics.states["Fetch/Download"]?.failures == 1)
        #expect(metrics.states["Summarize"]?.tokens == TokenUsage(promptTokens: 4800, completionTokens: 720))
        // 4,800 tokens in at $0.15 and 720 out at $0.60 per million.
        #expect(metrics.cost == Decimal(string: "0.001152"))
        #expect(try read("metrics.md").contains("| Summarize | 4 | 0 | 0 |"))
        #expect(try read("heatmap.mmd").contains("style s0_0 fill:#"))

        // 10. The audit log: every line JSON, the labelled transition with its reason, and both outcomes.
        let audit = seen.exports.audit
        let objects = try audit.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(objects.contains { $0["event"] as? String == "transition" && $0["because"] as? String == "has lines" })
        #expect(objects.compactMap { $0["outcome"] as? String } == ["completed", "failed"])
        #expect(try read("audit.jsonl").split(separator: "\n").count == audit.count)

        // Every section printed its heading, in order.
        let headings = printed.withLock { $0 }.filter { $0.hasPrefix("\n== ") }.map { $0.dropFirst(4).prefix(2) }
        #expect(headings == ["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9.", "10"])
    }
}
