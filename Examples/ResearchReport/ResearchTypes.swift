import OrchestraAgents

/// What the planner writes: the searches that will answer the topic.
struct ResearchPlan: StructuredOutput, Equatable {
    var topic: String
    var searches: [PlannedSearch]

    static let schema = JSONSchema.object(
        properties: [
            "topic": .string(minLength: 1, maxLength: 120, description: "The research topic, restated"),
            "searches": .array(
                of: PlannedSearch.schema, minItems: 1, maxItems: 8,
                description: "Specific web searches that together cover the topic"),
        ],
        required: ["topic", "searches"])
}

/// One search of the plan, and what it is for.
struct PlannedSearch: StructuredOutput, Equatable {
    var query: String
    var purpose: String

    static let schema = JSONSchema.object(
        properties: [
            "query": .string(minLength: 1, maxLength: 100, description: "The search query"),
            "purpose": .string(minLength: 1, maxLength: 160, description: "The information it should find"),
        ],
        required: ["query", "purpose"])
}

/// What one search agent found.
struct Finding: Sendable, Codable, Equatable {
    var query: String
    var notes: String
}

/// The report: the orchestration's output. Its longest form is about 2,100 characters, which a model writing
/// ordinary prose fits in the default 1,000 tokens per call; a model that is cut off anyway gets one more attempt,
/// asked to be shorter (see `researchOrchestration`).
struct ReportData: StructuredOutput, Equatable {
    var title: String
    var summary: String
    var content: String

    static let schema = JSONSchema.object(
        properties: [
            "title": .string(minLength: 1, maxLength: 100, description: "Report title"),
            "summary": .string(minLength: 1, maxLength: 400, description: "Executive summary, a few sentences"),
            "content": .string(minLength: 1, maxLength: 1600, description: "Report content in markdown"),
        ],
        required: ["title", "summary", "content"])
}

extension MemoryKey where Value == String {
    /// The topic, which the planner stores for the report writer.
    static let topic = MemoryKey("topic")
}
