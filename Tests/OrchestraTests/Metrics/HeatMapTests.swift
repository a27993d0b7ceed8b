import Foundation
import Orchestra
import Testing

@Suite("Heat map: the graph filled and labelled by time and tokens per state")
struct HeatMapTests {
    /// Two runs of the graph-export machine, by hand, so that times and tokens are fixed: Plan, Research (Search,
    /// three iterations of Refine in the Loop, Summarise), Checks (only Check sources ran), Merge, Review.
    static func records() -> [RunRecord] {
        func step(
            _ n: Int, _ state: String, ms: Int, under parent: [String]? = nil, tokens: Int = 0, model: String = "gpt-4o"
        ) -> RunRecord.Step {
            let usage = tokens > 0 ? TokenUsage(promptTokens: tokens - tokens / 4, completionTokens: tokens / 4) : nil
            return RunRecord.Step(
                step: n, state: state, start: .zero, duration: .milliseconds(ms),
                parent: parent.flatMap { StatePath($0) }, tokens: usage, tokensByModel: usage.map { [model: $0] } ?? [:]
            )
        }
        return (0..<2).map { run in
            var record = RunRecord(runID: RunID(), startedAt: Date(timeIntervalSince1970: 0))
            record.status = .completed
            record.duration = .milliseconds(1000)
            record.steps = [
                step(1, "Plan", ms: 12, tokens: 120),
                step(2, "Research", ms: 600),
                step(3, "Search", ms: 240, under: ["Research"], tokens: 340),
                step(4, "Loop", ms: 300, under: ["Research"]),
                step(5, "Refine", ms: 100, under: ["Research", "Loop[0]"], tokens: 800),
                step(6, "Refine", ms: 100, under: ["Research", "Loop[1]"], tokens: 800),
                step(7, "Refine", ms: 100, under: ["Research", "Loop[2]"], tokens: 800 + run),
                step(8, "Summarise \"notes\"", ms: 60, under: ["Research"], tokens: 1500),
                step(9, "Checks", ms: 90),
                step(10, "Check sources", ms: 85, under: ["Checks[0]"]),
                step(11, "Merge", ms: 3),
                step(12, "Review", ms: 45, tokens: 60),
            ]
            return record
        }
    }

    static func metrics() -> RunMetrics { RunMetrics(records: records()) }

    @Test("the heat maps of the graph-export machine match their golden Mermaid and DOT")
    func goldenFiles() throws {
        let graph = GraphExportTests.machine().graph
        try GraphExportTests.expectGolden(graph.mermaid(heat: Self.metrics()), "machine-heat.mmd")
        try GraphExportTests.expectGolden(graph.dot(heat: Self.metrics()), "machine-heat.dot")
    }

    @Test(
        "the heat map is well formed, the hottest state is red, one that never ran is plain, labels add time and tokens"
    )
    func heat() throws {
        let graph = GraphExportTests.machine().graph
        let mermaid = graph.mermaid(heat: Self.metrics())
        let problems = MermaidCheck.problems(in: mermaid)
        #expect(problems.isEmpty, "\(problems)")
        #expect(MermaidCheck.problems(in: "flowchart TD\n    style x fill:#fff\n") == ["'x' is used but not declared"])
        let id = Dictionary(graph.nodes.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        let research = try #require(id["Research"])
        let facts = try #require(id["Check facts"])
        let refine = try #require(id["Refine"])
        // Research: 1.2 s over two runs, the most; Refine 600 ms, half of it.
        #expect(mermaid.contains("    style \(research) fill:#d73027\n"))
        #expect(mermaid.contains("    style \(refine) fill:#eb9893\n"))
        #expect(mermaid.contains("\(refine)[\"Refine<br/>600 ms · 4,801 tok\"]"))
        // A composite's tokens are those of the states inside it.
        #expect(mermaid.contains("subgraph \(research) [\"Research · Pipeline<br/>1.20 s · 8,481 tok\"]"))
        #expect(mermaid.contains("\(facts)[\"Check facts\"]"))
        #expect(!mermaid.contains("style \(facts) "))
        // Without metrics, or with empty ones, the drawing is the plain one.
        #expect(graph.mermaid(heat: RunMetrics()) == graph.mermaid)
        #expect(graph.dot(heat: RunMetrics()) == graph.dot)
    }

    @Test("a real run's metric keys are the paths of the graph's nodes, so every state that ran is drawn")
    func realRunMatchesGraph() async throws {
        let orchestration = GraphExportTests.machine()
        let handle = orchestration.start("a")
        _ = try await handle.value
        let metrics = RunMetrics(records: [await handle.record])
        let graph = orchestration.graph
        let byID = Dictionary(graph.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let paths = Set(
            graph.nodes.map { node in
                var names = [node.name]
                var parent = node.parent
                while let id = parent, let holder = byID[id] {
                    names.insert(holder.name, at: 0)
                    parent = holder.parent
                }
                return names.joined(separator: "/")
            })
        #expect(Set(metrics.states.keys).isSubset(of: paths), "\(metrics.states.keys.sorted()) vs \(paths.sorted())")
        #expect(metrics.states["Research/Loop/Refine"]?.count == 3)
        let styled = graph.mermaid(heat: metrics).split(separator: "\n").filter { $0.hasPrefix("    style ") }
        #expect(styled.count == metrics.states.count)
    }

    @Test("tokens a model reported wrongly, near Int.max, are held at the bound in a composite's label, not trapped on")
    func hugeTokens() throws {
        var record = RunRecord(runID: RunID(), startedAt: Date(timeIntervalSince1970: 0))
        record.status = .completed
        let huge = TokenUsage(promptTokens: .max / 2 + 1, completionTokens: 0)
        record.steps = [
            RunRecord.Step(step: 1, state: "Plan", start: .zero, duration: .milliseconds(1)),
            RunRecord.Step(step: 2, state: "Research", start: .zero, duration: .milliseconds(3), tokens: huge),
            RunRecord.Step(
                step: 3, state: "Search", start: .zero, duration: .milliseconds(1), parent: StatePath(["Research"]),
                tokens: huge),
            RunRecord.Step(
                step: 4, state: "Summarise \"notes\"", start: .zero, duration: .milliseconds(1),
                parent: StatePath(["Research"]), tokens: huge),
        ]
        let mermaid = GraphExportTests.machine().graph.mermaid(heat: RunMetrics(records: [record]))
        #expect(mermaid.contains("Research · Pipeline<br/>3 ms · 9,223,372,036,854,775,807 tok"), "\(mermaid)")
    }
}
