/// What the Draft state is asked to write: the first draft on a topic, or the next revision of the draft the run
/// holds, following a reviewer's notes.
enum DraftRequest: Codable, Sendable, Equatable {
    /// The first draft of a report on the topic.
    case topic(String)
    /// The next revision of the run's draft, addressing the notes.
    case revision(notes: String)
}

/// A draft of the report: what the Approve state shows the reviewer, and what Publish publishes once approved.
struct ReportDraft: Codable, Sendable, Equatable {
    /// The topic the run started with.
    var topic: String
    /// 1 for the first draft, one more for each revision.
    var revision: Int
    /// The report, in markdown.
    var text: String
    /// The reviewer's notes each revision addressed, oldest first.
    var notes: [String] = []
}

/// A reviewer's answer to a draft: the answer the Approve state waits for.
enum Review: Codable, Sendable, Equatable {
    /// Publish the draft as it is.
    case approve
    /// Write another revision that addresses the notes, and ask again.
    case revise(notes: String)
}

/// A state found no draft in the run's memory, where Draft should have put one.
struct MissingDraft: Error, CustomStringConvertible {
    /// The state that needed the draft.
    var state: String

    var description: String { "the run's memory holds no draft for state '\(state)'; Draft writes one first" }
}
