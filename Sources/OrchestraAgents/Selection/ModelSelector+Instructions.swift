extension ModelSelector {
    /// The default system message: what each of `types` means, the application's tools, and the answer's form.
    ///
    /// ```text
    /// You choose how an assistant application runs a user's request. The ways it can run one:
    /// - simple: one model call answers it: a question, small talk, a piece of writing or an explanation that …
    /// …
    /// ```
    ///
    /// - Parameters:
    ///   - types: The types the model may choose.
    ///   - tools: The application's tools; none are listed when empty.
    /// - Returns: The instructions.
    public static func instructions(types: [OrchestrationType], tools: ToolRegistry) -> String {
        var lines = ["You choose how an assistant application runs a user's request. The ways it can run one:"]
        lines += types.map { "- \($0): \(summary(of: $0))" }
        lines.append("Choose the simplest way that can do all of the request.")
        if !tools.isEmpty {
            lines.append("The application's tools:")
            lines += tools.tools.map { "- \($0.name): \($0.description)" }
        }
        let names = types.map { "\"\($0)\"" }.joined(separator: ", ")
        lines.append(
            "Answer with JSON only: {\"orchestrationType\": one of \(names), \"confidence\": how sure you are, from 0 "
                + "to 1, \"reason\": why, in one sentence for a person}.")
        return lines.joined(separator: "\n")
    }

    private static func summary(of type: OrchestrationType) -> String {
        switch type {
        case .simple:
            "one model call answers it: a question, small talk, a piece of writing or an explanation that needs no "
                + "tools."
        case .fixed:
            "it is one of the application's predefined workflows, run as written."
        case .planner:
            "it needs several steps or tools (searching, fetching, calculating, sending): a plan is written first, "
                + "then run."
        case .reactive:
            "as planner, but what to do next depends on what happens: failures to recover from, conditions to "
                + "watch, trying until something holds; the plan is revised as it runs."
        }
    }
}
