import Foundation
import Orchestra
import Testing

@Suite("Graph export: Mermaid and DOT from the declared edges")
struct GraphExportTests {
    /// Plan → (route) Research, a pipeline whose middle step is a loop, or straight to Review; Research fans out to
    /// two checks that meet in Merge; Review loops back to Plan when "needs work", and is the exit.
    static func machine() -> Orchestration<String, String> {
        let plan = Runnable<String, [String]>("Plan") { topic, _ in [topic] }
        let research = Pipeline<[String], String>(name: "Research") {
            Runnable<[String], String>("Search") { queries, _ in queries.joined(separator: ",") }
            Loop(
                Runnable<String, String>("Refine") { text, _ in text + "." }, until: { $0.count > 3 }, maxIterations: 5)
            Runnable<String, String>("Summarise \"notes\"") { text, _ in text }
        }
        let sources = Runnable<String, Bool>("Check sources") { _, _ in true }
        let facts = Runnable<String, Bool>("Check facts") { _, _ in true }
        let merge = Runnable<(Bool, Bool), String>("Merge") { checks, _ in "\(checks.0 && checks.1)" }
        let review = Runnable<String, String>("Review") { text, _ in text }
        plan.route(to: research, review, label: "has queries?") { queries in
            queries.isEmpty ? .to(review, "") : .to(research, queries)
        }
        research.advance(toAll: sources, facts, join: merge, name: "Checks")
        merge.advance(to: review)
        review.advance(to: plan, label: "needs work", when: { $0.isEmpty }, convert: { $0 })
        return Orchestration(start: plan, exit: review)
    }

    @Test("a machine with a route, a loop, a fan-out and a nested pipeline draws as its golden Mermaid and DOT")
    func goldenFiles() throws {
        let graph = Self.machine().graph
        try Self.expectGolden(graph.mermaid, "machine.mmd")
        try Self.expectGolden(graph.dot, "machine.dot")
    }

    @Test("the Mermaid is well formed: every node an arrow names is declared, and every subgraph ends")
    func mermaidIsWellFormed() throws {
        let problems = MermaidCheck.problems(in: Self.machine().graph.mermaid)
        #expect(problems.isEmpty, "\(problems)")
        // The check itself finds what it must.
        #expect(
            MermaidCheck.problems(in: "flowchart TD\n    a[\"A\"]\n    a --> b\n") == ["'b' is used but not declared"])
        #expect(MermaidCheck.problems(in: "flowchart TD\n    subgraph x [\"X\"]\n") == ["1 subgraph is not ended"])
    }

    @Test("the graph as a value: composites hold their steps, routes are conditional, the start and exit are named")
    func graphValue() {
        let graph = Self.machine().graph
        let byName = Dictionary(graph.nodes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(graph.start == byName["Plan"]?.id)
        #expect(graph.exit == byName["Review"]?.id)
        #expect(byName["Research"]?.composite == "Pipeline")
        #expect(byName["Checks"]?.composite == "Parallel")
        #expect(byName["Refine"]?.parent == byName["Loop"]?.id)
        #expect(byName["Loop"]?.parent == byName["Research"]?.id)
        let route = graph.edges.filter { $0.from == byName["Plan"]?.id }
        #expect(route.count == 2)
        #expect(route.allSatisfy { $0.isConditional && $0.label == "has queries?" })
        let always = graph.edges.first { $0.from == byName["Merge"]?.id }
        #expect(always?.isConditional == false)
        #expect(always?.to == byName["Review"]?.id)
    }

    @Test("a name with line breaks of any kind stays on its line, in Mermaid and in DOT")
    func lineBreaksInNames() {
        let first = Runnable<Int, Int>("Fetch\r\nall") { n, _ in n }
        let second = Runnable<Int, Int>("Sum\rup\nnow") { n, _ in n }
        first.advance(to: second)
        let graph = Orchestration(start: first, exit: second).graph
        for text in [graph.mermaid, graph.dot] {
            #expect(!text.contains("\r") && !text.unicodeScalars.contains("\r"), "\(text)")
        }
        #expect(graph.mermaid.contains(#"["Fetch all"]"#) && graph.mermaid.contains(#"["Sum up now"]"#))
        #expect(graph.dot.contains(#"Fetch\nall"#) && graph.dot.contains(#"Sum\nup\nnow"#))
        #expect(MermaidCheck.problems(in: graph.mermaid).isEmpty)
    }

    @Test("an advancer with undeclared targets points to a '?' node")
    func undeclaredTargets() {
        final class Anywhere: Advancer<Int, Int>, @unchecked Sendable {
            let target: Runnable<Int, Int>
            init(_ target: Runnable<Int, Int>) {
                self.target = target
                super.init(targets: nil)
            }
            override func next(for output: Int) -> AnyRunnable<Int> { target }
        }
        let first = Runnable<Int, Int>("First") { n, _ in n }
        let last = Runnable<Int, Int>("Last") { n, _ in n }
        first.advance(with: Anywhere(last))
        let graph = Orchestration(start: first, exit: last).graph
        #expect(graph.edges.contains { $0.to == MachineGraph.undeclaredID && $0.isConditional })
        #expect(graph.mermaid.contains("    undeclared{{\"?\"}}\n"))
        #expect(MermaidCheck.problems(in: graph.mermaid).isEmpty)
        #expect(graph.dot.contains("    s0 -> undeclared [style=dashed];\n"))
    }

    /// Compares `text` with the golden file; `ORCHESTRA_UPDATE_GOLDEN=1` rewrites the file instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Golden/\(name)")
        if ProcessInfo.processInfo.environment["ORCHESTRA_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record(
                "wrote \(name); run the tests again without ORCHESTRA_UPDATE_GOLDEN", sourceLocation: sourceLocation)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(
            text == golden,
            "\(name) differs from its golden file; if the change is intended, run with ORCHESTRA_UPDATE_GOLDEN=1",
            sourceLocation: sourceLocation)
    }
}

/// A small structural check of a Mermaid flowchart: what is declared, what arrows and `style` lines name, and
/// subgraphs closed.
enum MermaidCheck {
    static func problems(in text: String) -> [String] {
        var declared: Set<String> = []
        var used: [String] = []
        var open = 0
        var problems: [String] = []
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first == "flowchart TD" else { return ["the first line is not 'flowchart TD'"] }
        for line in lines.dropFirst() {
            if line.hasPrefix("subgraph ") {
                open += 1
                declared.insert(String(line.dropFirst("subgraph ".count).prefix { $0 != " " }))
            } else if line.hasPrefix("style ") {
                used.append(String(line.dropFirst("style ".count).prefix { $0 != " " }))
            } else if line == "end" {
                open -= 1
                if open < 0 { problems.append("an 'end' closes no subgraph") }
            } else if let arrow = line.range(of: " -.->") ?? line.range(of: " -->") {
                used.append(String(line[..<arrow.lowerBound]))
                var rest = line[arrow.upperBound...]
                if rest.hasPrefix("|") {
                    guard let close = rest.dropFirst().firstIndex(of: "|") else {
                        problems.append("an unclosed label: \(line)")
                        continue
                    }
                    rest = rest[rest.index(after: close)...]
                }
                used.append(rest.trimmingCharacters(in: .whitespaces))
            } else if let shape = line.firstIndex(where: { "[({".contains($0) }) {
                let id = String(line[..<shape])
                guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !id.isEmpty else {
                    problems.append("not a node declaration: \(line)")
                    continue
                }
                let quotes = line.filter { $0 == "\"" }.count
                if !quotes.isMultiple(of: 2) { problems.append("unbalanced quotes: \(line)") }
                declared.insert(id)
            } else {
                problems.append("not understood: \(line)")
            }
        }
        for id in used where !declared.contains(id) { problems.append("'\(id)' is used but not declared") }
        if open > 0 { problems.append("\(open) subgraph\(open == 1 ? " is" : "s are") not ended") }
        return problems
    }
}
