import Foundation
import Orchestra

extension EventMonitoringTour {
    /// What section 7 wrote, and section 8 saw.
    struct Exports: Sendable {
        /// The files written, by name, in the order written.
        var files: [String] = []
        /// Section 8: one line per state — its path, span and parent span, indented by depth.
        var spans: [String] = []
        /// Section 9: the metrics of the runs it made.
        var metrics: RunMetrics?
        /// Section 10: the audit log's lines.
        var audit: [String] = []
    }

    /// What the example's stand-in model costs, per million tokens (OpenAI's list price for gpt-4o-mini).
    static let prices: PriceTable? = try? PriceTable([ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.60)])

    /// 7. The exports: the machine as Mermaid and DOT, one run as JSON and as a gantt timeline — files to paste into
    /// Markdown, render with Graphviz, or keep.
    static func exports(_ print: @escaping @Sendable (String) -> Void, to directory: URL) async throws -> Exports {
        print("\n== 7. Exports: the machine, and a run, written to \(directory.path)\n")
        let orchestration = digestOrchestration()
        let handle = orchestration.start(documents)
        _ = await handle.result
        let record = await handle.record
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var exports = Exports()
        func write(_ name: String, _ text: String, _ what: String) throws {
            try text.write(to: directory.appending(path: name), atomically: true, encoding: .utf8)
            exports.files.append(name)
            print("  \(pad(name, 14))  \(what)")
        }
        try write("machine.mmd", orchestration.graph.mermaid, "the machine, a Mermaid flowchart")
        try write("machine.dot", orchestration.graph.dot, "the machine, for Graphviz: dot -Tsvg machine.dot")
        try write("run.json", try record.json(), "the run's record (Docs/Schemas/RunRecord.schema.json)")
        try write("timeline.mmd", record.mermaidTimeline, "the run on a time axis, a Mermaid gantt")
        return exports
    }

    /// 8. Spans: every event carries its run's trace and its own span, so a hook can rebuild the run as a trace for
    /// OpenTelemetry or any tracer. Here, one run's states as a tree of spans.
    static func spans(_ print: @escaping @Sendable (String) -> Void) async -> [String] {
        print("\n== 8. Spans: each state is a span of the run's trace, a composite's children its child spans\n")
        let handle = digestOrchestration().start(Array(documents.prefix(2)))
        var depth: [SpanID: Int] = [:]
        var lines: [String] = []
        for await event in handle.events {
            switch event.kind {
            case .runStarted:
                depth[event.spanID] = 0
                print("  trace \(event.traceID)")
                lines.append("run \(event.spanID)")
            case .stateStarted:
                let level = (event.parentSpanID.flatMap { depth[$0] } ?? 0) + 1
                depth[event.spanID] = level
                let indent = String(repeating: "  ", count: level)
                lines.append("\(indent)\(event.path) \(event.spanID) ← \(event.parentSpanID.map { "\($0)" } ?? "-")")
            default: break
            }
        }
        for line in lines { print("  " + line) }
        return lines
    }

    /// 9. Metrics and costs: a collector folds each run's record into per-state counts, failures, retries, latency
    /// percentiles, tokens and costs, and the graph draws them as a heat map.
    static func metrics(_ print: @escaping @Sendable (String) -> Void, to directory: URL) async throws -> RunMetrics {
        print("\n== 9. Metrics and costs, and the machine as a heat map\n")
        let orchestration = digestOrchestration()
        let collector = try orchestration.collectMetrics(prices: prices)
        for _ in 0..<4 { _ = try? await orchestration.run(documents) }
        _ = try? await orchestration.run([Document(name: "missing.md", fetchTime: .milliseconds(5))])
        await orchestration.waitForHooks()  // the collector is a hook: let it take the last run
        let metrics = collector.snapshot
        for line in metrics.table.split(separator: "\n") { print("  " + line) }
        try metrics.table.write(to: directory.appending(path: "metrics.md"), atomically: true, encoding: .utf8)
        let heat = orchestration.graph.mermaid(heat: metrics)
        try heat.write(to: directory.appending(path: "heatmap.mmd"), atomically: true, encoding: .utf8)
        print("\n  metrics.md      the table above")
        print("  heatmap.mmd     the machine, each state shaded by its time, with its tokens")
        return metrics
    }

    /// 10. The audit log: a JSON line for every decision — each transition and why, retries, breaker changes,
    /// re-plans, selections — and each outcome, with secrets redacted.
    static func audit(_ print: @escaping @Sendable (String) -> Void, to directory: URL) async throws -> [String] {
        print("\n== 10. The audit log: decisions and outcomes as JSON lines\n")
        let file = directory.appending(path: "audit.jsonl")
        try? FileManager.default.removeItem(at: file)  // a fresh log for this tour; a real one only appends
        let orchestration = digestOrchestration()
        let log = try AuditLog(file: file)
        log.attach(to: orchestration)
        _ = try? await orchestration.run(Array(documents.prefix(2)))
        _ = try? await orchestration.run([Document(name: "missing.md", fetchTime: .milliseconds(5))])
        await orchestration.waitForHooks()  // the log writes from its hook: every line is in the file after this
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        // The decisions and outcomes; the file also has every state's start and end.
        for line in lines where line.contains(#""event":"transition""#) || line.contains(#""outcome""#) {
            print("  " + line)
        }
        print("\n  audit.jsonl     \(lines.count) lines, states' starts and ends included")
        return lines
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(width - text.count, 0))
    }
}
