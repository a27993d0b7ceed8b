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
        let seen = await EventMonitoringTour.run { line in printed.withLock { $0.append(line) } }

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

        // Every section printed its heading, in order.
        let headings = printed.withLock { $0 }.filter { $0.hasPrefix("\n== ") }.map { $0.dropFirst(4).prefix(2) }
        #expect(headings == ["1.", "2.", "3.", "4.", "5.", "6."])
    }
}
