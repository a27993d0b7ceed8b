import Foundation
import Orchestra

extension EventMonitoringTour {
    /// What section 7 wrote, and section 8 saw.
    struct Exports: Sendable {
        /// The files written, by name, in the order written.
        var files: [String] = []
        /// Section 8: one line per state — its path, span and parent span, indented by depth.
        var spans: [String] = []
    }

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

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(width - text.count, 0))
    }
}
