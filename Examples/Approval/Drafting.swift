import Foundation
import OrchestraAgents

/// The Draft state: a model writes the report, or revises the run's draft following the reviewer's notes.
///
/// The draft goes to the run's memory as well as to the Approve state, so that a revision and Publish — which
/// take only the reviewer's answer — find it, in whichever process continues the run.
final class Drafting: Runnable<DraftRequest, ReportDraft>, @unchecked Sendable {
    // @unchecked: every stored property is an immutable `let` of a Sendable type.
    private let writer: AgentRunnable<String, String>

    /// What the writer is told before every request.
    static let instructions = """
        You are a report writer. Write short, factual reports in markdown: a title line starting with '# ', then \
        a few sections starting with '## ', one or two sentences each. Answer with the report only.
        """

    init(model: any ChatModel) {
        writer = AgentRunnable("Writer", model: model, instructions: Self.instructions, maxTokens: 1000)
        super.init(name: "Draft")
    }

    override func invoke(_ request: DraftRequest, context: RunContext) async throws -> ReportDraft {
        let previous = context.memory[ApprovalMachine.draft]
        var draft: ReportDraft
        let prompt: String
        switch request {
        case .topic(let topic):
            draft = ReportDraft(topic: topic, revision: 1, text: "")
            prompt = "Topic: \(topic)\n\nWrite the first draft of a short report on the topic."
        case .revision(let notes):
            guard let previous else { throw MissingDraft(state: name) }
            draft = previous
            draft.revision += 1
            draft.notes.append(notes)
            prompt = """
                Topic: \(previous.topic)
                Reviewer's notes: \(notes)

                Revise the draft below to address the reviewer's notes, and answer with the whole revised report.

                Current draft:
                \(previous.text)
                """
        }
        draft.text = try await writer.invoke(prompt, context: context).trimmingCharacters(in: .whitespacesAndNewlines)
        context.memory[ApprovalMachine.draft] = draft
        return draft
    }
}
