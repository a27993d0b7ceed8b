import Foundation
import OrchestraAgents

/// One search of the plan: an agent with the `web_search` tool looks it up and writes notes.
///
/// The Research state is a bounded `ForEach` of these (see `researchOrchestration`), so the plan's searches
/// run in parallel, each with its own path in the events: `Research[0]/Search`, `Research[1]/Search`…
final class Search: Runnable<PlannedSearch, Finding>, @unchecked Sendable {
    // @unchecked: every stored property is an immutable `let` of a Sendable type.
    private let researcher: AgentRunnable<PlannedSearch, String>

    init(model: any ChatModel, webSearch: WebSearch, maxTokens: Int) throws(ToolRegistryError) {
        researcher = AgentRunnable(
            "Researcher", model: model,
            instructions: """
                You are a research assistant. Use the web_search tool to look up the query, then write \
                short notes on what the results say, citing their URLs. Do not invent sources.
                """,
            tools: try ToolRegistry([webSearch.tool]), maxTurns: 3, maxTokens: maxTokens,
            prompt: { search in "Search for: \(search.query)\nWhat to find: \(search.purpose)" })
        super.init()
    }

    override func invoke(_ search: PlannedSearch, context: RunContext) async throws -> Finding {
        do {
            return Finding(query: search.query, notes: try await researcher.invoke(search, context: context))
        } catch let error as AgentError {
            // Notes cut off at the token limit are still notes: keep them, and say so. Any other error fails the search.
            guard case .cutOff = error.reason, let partial = error.lastResponse?.text, !partial.isEmpty else {
                throw error
            }
            context.emit(StreamChunk.status("the notes were cut off at the token limit; keeping what was written"))
            return Finding(query: search.query, notes: partial + " […]")
        }
    }
}

/// The transition from Research to Reporting, as a type: it turns what the searches found into the notes the
/// report writer reads. Research runs every search whatever happens to the others (`ForEach(collecting:)`), so a
/// search that failed leaves a gap in the notes rather than sinking the report; only when every search failed
/// does the run fail, with ``NoFindings`` naming each failure.
final class NotesAdvancer: Advancer<[Result<Finding, OrchestrationError>], String>, @unchecked Sendable {
    // @unchecked: no stored properties of its own.
    init(to reporting: Runnable<String, ReportData>) {
        super.init(targets: [reporting], label: "notes")
    }

    override func convert(_ outcomes: [Result<Finding, OrchestrationError>]) throws -> String {
        let findings = outcomes.compactMap { try? $0.get() }.filter {
            !$0.notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        guard !findings.isEmpty else {
            throw NoFindings(failures: outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } })
        }
        return findings.map { "### \($0.query)\n\($0.notes)" }.joined(separator: "\n\n")
    }
}

/// No search found anything to write a report from.
struct NoFindings: Error, CustomStringConvertible {
    /// The searches that failed; the others found nothing.
    var failures: [OrchestrationError]

    var description: String {
        guard !failures.isEmpty else { return "the searches found nothing to write a report from" }
        return "every search failed: " + failures.map(\.message).joined(separator: "; ")
    }
}
