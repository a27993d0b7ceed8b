import Foundation
import OrchestraAgents
import OrchestraTesting

/// The model of the example: a `ScriptedModel` that writes a short report on the topic in the request, and revises
/// one by adding a section for the reviewer's notes — as a real model would, only predictably, and offline.
enum OfflineWriter {
    /// The model.
    static func make() -> ScriptedModel {
        ScriptedModel { request in
            let prompt = request.messages.first { $0.role == .user }?.content ?? ""
            let text = reply(to: prompt)
            return .text(text, usage: TokenUsage(promptTokens: estimate(prompt), completionTokens: estimate(text)))
        }
    }

    /// The report for a prompt of ``Drafting``: a first draft, or the current draft with a section added.
    static func reply(to prompt: String) -> String {
        let topic = value(after: "Topic:", in: prompt) ?? "the topic"
        guard let notes = value(after: "Reviewer's notes:", in: prompt),
            let current = prompt.range(of: "Current draft:\n")
        else { return firstDraft(on: topic) }
        return """
            \(prompt[current.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines))

            ## \(capitalized(notes.trimmingCharacters(in: CharacterSet(charactersIn: ". "))))
            As the review asked ("\(notes)"), this section takes the point up for \(topic), and the sections above \
            stand as they were.
            """
    }

    private static func firstDraft(on topic: String) -> String {
        let subject = capitalized(topic)
        return """
            # \(subject): a short report

            This report sets out what is known about \(topic), what is changing, and what to do next.

            ## What is known
            The evidence on \(topic) is broad but uneven: the best-studied cases are well understood, while newer \
            ones rest on few sources.

            ## What is changing
            Interest in \(topic) is growing, and so is the number of people who rely on getting it right.

            ## What to do next
            Follow \(topic) closely over the next year, and revisit this report when new evidence arrives.
            """
    }

    /// The rest of the first line that starts with `label`, trimmed.
    private static func value(after label: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(label) }.map {
            $0.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
    }

    private static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Four characters a token, as a rough count for the run's record.
    private static func estimate(_ text: String) -> Int { (text.utf8.count + 3) / 4 }
}
