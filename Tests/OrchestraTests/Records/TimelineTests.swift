import Foundation
import Orchestra
import Testing

@Suite("A run record as a Mermaid gantt timeline")
struct TimelineTests {
    @Test("states become bars in milliseconds, children a section per composite, failures critical")
    func handBuiltRecord() throws {
        let id = RunID(try #require(UUID(uuidString: "1F3A9C2B-0000-4000-8000-000000000000")))
        var record = RunRecord(runID: id, startedAt: Date(timeIntervalSinceReferenceDate: 0))
        record.status = .failed
        let branches = try #require(StatePath(["Research", "Parallel"]))
        record.steps = [
            .init(step: 1, state: "Plan", start: .milliseconds(0), duration: .milliseconds(12), next: "Research"),
            .init(step: 2, state: "Research", start: .milliseconds(12), duration: .milliseconds(300)),
            .init(
                step: 3, state: "Search: web", start: .milliseconds(13), duration: .milliseconds(250), parent: branches),
            .init(
                step: 4, state: "Search #2", start: .milliseconds(13), duration: .microseconds(300), parent: branches),
            .init(
                step: 5, state: "Report", start: .milliseconds(312), duration: .milliseconds(40), failed: true),
        ]
        #expect(
            record.mermaidTimeline == """
                gantt
                    title Run 1F3A9C2B · failed
                    dateFormat x
                    axisFormat %S.%L s
                    section run
                    Plan (12 ms) :done, t1, 0, 12
                    Research (300 ms) :done, t2, 12, 312
                    Report (40 ms) :crit, t5, 312, 352
                    section Research/Parallel
                    Search  web (250 ms) :done, t3, 13, 263
                    Search  2 (0 ms) :done, t4, 13, 14

                """)
    }

    @Test("a name with line breaks stays on its line, and an absurd time draws a bar rather than trap")
    func oddSteps() throws {
        var record = RunRecord(runID: RunID(), startedAt: Date())
        record.steps = [
            .init(step: 1, state: "Fetch\r\nall", start: .zero, duration: .milliseconds(5), next: "Sum"),
            .init(step: 2, state: "Sum\rup", start: .seconds(Int64.max), duration: .seconds(Int64.max)),
        ]
        let lines = record.mermaidTimeline.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!record.mermaidTimeline.unicodeScalars.contains("\r"))
        #expect(lines.contains { $0.hasPrefix("    Fetch all (5 ms) :done, t1, 0, 5") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("    Sum up (") && $0.hasSuffix(", 1000000000000000, 2000000000000000") })
    }

    @Test("a real run with parallel branches: a section per branch, the bars over the same stretch of time")
    func parallelBranchesOverlap() async throws {
        let inFlight = InFlight()
        let both = Parallel(
            meeting("Left", inFlight, together: 2, returning: 1), meeting("Right", inFlight, together: 2, returning: 2),
            name: "Both")
        let handle = Orchestration(both).start(0)
        _ = try await handle.value
        let timeline = (await handle.record).mermaidTimeline
        let lines = timeline.split(separator: "\n").map(String.init)
        // Each branch is a section of its own, `Both[0]` and `Both[1]`, holding its bar.
        #expect(lines.contains("    section Both[0]") && lines.contains("    section Both[1]"), "\(lines)")
        let bars = lines.compactMap { line -> (String, Int, Int)? in
            let parts = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let name = String(line.trimmingCharacters(in: .whitespaces).prefix { $0 != " " })
            guard parts.count == 4, name != "Both", let start = Int(parts[2]), let end = Int(parts[3]) else {
                return nil
            }
            return (name, start, end)
        }
        #expect(bars.map(\.0).sorted() == ["Left", "Right"])
        if bars.count == 2 {
            #expect(bars[0].1 < bars[1].2 && bars[1].1 < bars[0].2, "the branches ran at once: \(bars)")
        }
    }
}
