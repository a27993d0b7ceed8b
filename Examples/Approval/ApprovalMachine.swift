import OrchestraAgents

/// The machine: `Draft → Approve → Publish`, and from Approve back to Draft with the reviewer's notes, as many
/// times as the reviewer asks.
///
/// ```text
/// Draft ──draft──▶ Approve (waits for a Review) ──approve──▶ Publish (exit)
///   ▲                 │
///   └──revise(notes)──┘
/// ```
///
/// Every process builds the same machine; only the store passes a run from one to the next.
struct ApprovalMachine {
    /// The latest draft, which Draft revises and Publish publishes.
    static let draft = MemoryKey<ReportDraft>("draft")

    /// Writes the first draft, and each revision.
    let draft: Drafting
    /// Suspends the run until a person approves the draft or asks for a revision.
    let approve = AwaitInput<ReportDraft, Review>("Approve")
    /// Publishes the approved draft; the exit.
    let publish: Runnable<Review, String>
    /// The orchestration, keeping its runs in the store.
    let orchestration: Orchestration<DraftRequest, String>

    /// Builds the machine on `model`, keeping checkpoints in `store`.
    init(model: any ChatModel, store: any CheckpointStore) {
        let draft = Drafting(model: model)
        let publish = Runnable<Review, String>("Publish") { _, context in
            guard let approved = context.memory[Self.draft] else { throw MissingDraft(state: "Publish") }
            return Self.published(approved)
        }
        draft.advance(to: approve)
        approve.route(to: publish, draft) { review in
            switch review {
            case .approve: .to(publish, review)
            case .revise(let notes): .to(draft, .revision(notes: notes))
            }
        }
        self.draft = draft
        self.publish = publish
        orchestration = Orchestration(start: draft, exit: publish, options: .init(checkpoints: store))
    }

    /// The report as published: the approved draft and a footer saying what was approved.
    static func published(_ draft: ReportDraft) -> String {
        let history =
            switch draft.notes.count {
            case 0: "as first drafted"
            case 1: "after 1 revision"
            case let count: "after \(count) revisions"
            }
        return """
            \(draft.text)

            ---
            Approved: revision \(draft.revision) of the report on "\(draft.topic)", \(history).
            """
    }
}
