import OrchestraAgents

/// The last state: a model writes the report from the research notes.
final class Reporting: Runnable<String, ReportData>, @unchecked Sendable {
    // @unchecked: every stored property is an immutable `let` of a Sendable type.
    private let writer: AgentRunnable<String, ReportData>

    init(model: any ChatModel, maxTokens: Int) {
        writer = AgentRunnable(
            "Writer", model: model,
            instructions: """
                You are a professional report writer. Write a report from the research notes: a title, \
                an executive summary of a few sentences, and the content in markdown with sections, \
                citing the sources the notes cite. Answer with JSON only.
                """,
            maxTokens: maxTokens)
        super.init()
    }

    /// What a retry after a cut-off report puts before the notes.
    static let shorter = "(Your last report was cut off at the token limit: write a much shorter one.)\n\n"

    override func invoke(_ notes: String, context: RunContext) async throws -> ReportData {
        let topic = context.memory[.topic] ?? "the topic"
        return try await writer.invoke("Topic: \(topic)\n\nResearch notes:\n\(notes)", context: context)
    }
}
