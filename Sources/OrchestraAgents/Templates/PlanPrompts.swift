import Foundation

/// What the Planner and Reactive templates tell the model.
enum PlanPrompts {
    /// The system message of the planning call: the format, and the tools with their parameters.
    static func planning(tools: ToolRegistry, maxSteps: Int) -> String {
        let list = tools.tools.map { tool in
            "- \(tool.name): \(tool.description) Input: \(Self.schemaText(tool.parameters))"
        }
        return """
            You plan how to answer a request, as JSON: {"steps": [...]}, at most \(maxSteps) steps. Each step has an \
            "id" (step1, step2, …), a "kind", and "depends_on": the ids of the steps whose outputs it uses.
            - A "tool" step calls a tool: {"id": "step1", "kind": "tool", "tool": "<name>", "input": {...}}.
            - An "llm" step asks a language model: {"id": "step2", "kind": "llm", "depends_on": ["step1"], \
            "prompt": "Summarise ${step1.output}"}.
            Write ${input} for the request, and ${id.output} or ${id.output.field} for the output of a step listed \
            in depends_on. Steps without dependencies between them run at the same time. The answer is written from \
            the steps' outputs after the plan has run: do not add a step for it.
            Tools:
            \(list.isEmpty ? "(none: use llm steps)" : list.joined(separator: "\n"))
            """
    }

    /// The user message of a re-plan: what ran, why plan again, and what was planned.
    static func replanning(_ progress: PlanProgress, reason: String, excerpt: Int) -> String {
        let old = progress.remaining.map { (progress.written[$0.id] ?? .string($0.id)).description }
        return """
            Request: \(progress.request)
            Steps that have run:
            \(ran(progress, excerpt: excerpt))
            Why plan again: \(reason)
            Steps planned that have not run:
            \(old.isEmpty ? "(none)" : old.joined(separator: "\n"))
            Write the steps that remain, as {"steps": [...]}. They may use the outputs of the steps that have run, \
            as ${id.output}, and depend on them; do not reuse their ids. Answer {"steps": []} when nothing more \
            is needed.
            """
    }

    /// The user message of the final answer: the request, and what the steps gave.
    static func answering(_ progress: PlanProgress, excerpt: Int) -> String {
        """
        Request: \(progress.request)
        Results of the steps run for it:
        \(ran(progress, excerpt: excerpt))
        Answer the request from these results.
        """
    }

    private static func ran(_ progress: PlanProgress, excerpt: Int) -> String {
        guard !progress.outcomes.isEmpty else { return "(none)" }
        return progress.outcomes.map { outcome in
            let what =
                if case .tool(let name, _) = outcome.step.kind { "tool \(name)" } else { outcome.step.kind.name }
            if let output = outcome.output {
                return
                    "- \(outcome.step.id) (\(what)): \(ModelError.excerpt(WorkflowScope.text(of: output), limit: excerpt))"
            }
            return "- \(outcome.step.id) (\(what)) failed: \(ModelError.excerpt(outcome.failure ?? "", limit: excerpt))"
        }.joined(separator: "\n")
    }

    /// The schema as compact JSON. Encoding a schema fails only on a number JSON cannot hold, which is written as
    /// text here, so the prompt always shows the whole schema.
    private static func schemaText(_ schema: JSONSchema) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? encoder.encode(schema)).map { String(decoding: $0, as: UTF8.self) } ?? "\(schema)"
    }
}
