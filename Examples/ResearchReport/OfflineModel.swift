import Foundation
import OrchestraAgents
import OrchestraTesting

/// The model of an offline run: a `ScriptedModel` whose replies are worked out from each request, since the
/// research agents ask concurrently and in no fixed order. It plans three searches, calls `web_search` for
/// each, turns the results into notes, and writes the report from the notes — as a real model would, only
/// predictably. Token counts are estimated at four characters a token.
enum OfflineModel {
    /// The model; `pace` is the wait before each streamed chunk, so that a person can watch the run.
    static func make(pace: Duration = .zero) -> ScriptedModel {
        ScriptedModel(pace: pace) { request in try reply(to: request) }
    }

    /// A request the script has no answer for: the example's own states never send one.
    struct UnexpectedRequest: Error, CustomStringConvertible {
        var description: String
    }

    static func reply(to request: ChatRequest) throws -> ScriptedModel.Reply {
        // The state's own message: later user messages, if any, are the agent's repair requests.
        let prompt = request.messages.first { $0.role == .user }?.content ?? ""
        let usage = { (answer: String) in
            TokenUsage(
                promptTokens: request.messages.reduce(0) { $0 + estimate($1.content ?? "") },
                completionTokens: estimate(answer))
        }
        switch request.responseFormat {
        case .jsonSchema(let name, _) where name == "ResearchPlan":
            let plan = try JSONValue(encoding: plan(for: value(after: "Create a research plan for:", in: prompt)))
            return .json(plan, usage: usage(plan.description))
        case .jsonSchema(let name, _) where name == "ReportData":
            let report = try JSONValue(encoding: report(from: prompt))
            return .json(report, usage: usage(report.description))
        case .jsonSchema(let name, _):
            throw UnexpectedRequest(description: "the offline model cannot write a \(name)")
        case .text:
            guard request.tools.contains(where: { $0.name == "web_search" }) else {
                throw UnexpectedRequest(description: "the offline model answers only the example's requests")
            }
            if let last = request.messages.last, last.role == .tool {
                let notes = notes(from: request.messages.filter { $0.role == .tool })
                return .text(notes, usage: usage(notes))
            }
            let query = value(after: "Search for:", in: prompt)
            let arguments = JSONValue.object(["query": .string(query)]).description
            let call = ToolCall(id: "call_\(stableHash(query))", name: "web_search", arguments: arguments)
            return .toolCalls([call], usage: usage(arguments))
        }
    }

    /// Three searches on `topic`, within the schema's limits: a query may have 100 characters.
    private static func plan(for topic: String) -> ResearchPlan {
        let subject = String(topic.prefix(60))
        return ResearchPlan(
            topic: String(topic.prefix(120)),
            searches: [
                PlannedSearch(query: "\(subject): uses today", purpose: "Where it is used now, and how well it works"),
                PlannedSearch(
                    query: "\(subject): evidence and future", purpose: "What it improves, and what comes next"),
                PlannedSearch(
                    query: "\(subject): risks, privacy and regulation", purpose: "What can go wrong, and the rules"),
            ])
    }

    /// Notes from the tool results: one line per page found, citing it.
    private static func notes(from results: [ChatMessage]) -> String {
        var lines: [String] = []
        for message in results {
            guard let data = message.content?.data(using: .utf8),
                let found = try? JSONDecoder().decode(WebSearch.Results.self, from: data)
            else { continue }
            if found.results.isEmpty { lines.append("- Nothing in the corpus matched \"\(found.query)\".") }
            for page in found.results {
                lines.append("- \(firstSentence(of: page.text)) ([\(page.title)](\(page.url)))")
            }
        }
        return lines.isEmpty ? "- The search returned nothing readable." : lines.joined(separator: "\n")
    }

    /// The report, from the notes the writer is given: a section per search, and the sources.
    private static func report(from prompt: String) -> ReportData {
        let topic = value(after: "Topic:", in: prompt)
        var sections: [(heading: String, lines: [String])] = []
        for line in prompt.split(separator: "\n").map(String.init) {
            if line.hasPrefix("### ") {
                sections.append((String(line.dropFirst(4)), []))
            } else if line.hasPrefix("- "), !sections.isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
        var seen: Set<String> = []
        let findings = sections.flatMap(\.lines).filter { !$0.hasPrefix("- Nothing") && seen.insert($0).inserted }
        let summary =
            findings.isEmpty
            ? "The searches found nothing on \(topic) in the offline corpus; try one of its topics."
            : "This report gathers \(findings.count) \(findings.count == 1 ? "finding" : "findings") on \(topic) "
                + "from \(sections.count) searches. " + findings.prefix(2).map { plain($0) }.joined(separator: " ")
        var content = ""  // the summary is a field of its own: the content goes straight to the searches
        var written: Set<String> = []  // each finding once, under the first search that found it
        for section in sections {
            let lines = section.lines.filter { written.insert($0).inserted }
            content += "\(content.isEmpty ? "" : "\n")## "
            content += "\(section.heading.prefix(1).uppercased() + section.heading.dropFirst())\n\n"
            content += (lines.isEmpty ? "- Nothing beyond the findings above." : lines.joined(separator: "\n")) + "\n"
        }
        return ReportData(
            title: String("\(topic.prefix(1).uppercased() + topic.dropFirst()): a research report".prefix(100)),
            summary: String(summary.prefix(400)), content: String(content.prefix(1600)))
    }

    /// The rest of the line that starts with `label`, trimmed; the whole text when no line does.
    private static func value(after label: String, in text: String) -> String {
        let line = text.split(separator: "\n").first { $0.hasPrefix(label) }
        return (line.map { String($0.dropFirst(label.count)) } ?? text).trimmingCharacters(in: .whitespaces)
    }

    private static func firstSentence(of text: String) -> String {
        text.split(separator: ".", maxSplits: 1).first.map { $0 + "." } ?? text
    }

    /// A note's sentence without the markdown around it.
    private static func plain(_ note: String) -> String {
        String(note.dropFirst(2).prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)
    }

    private static func estimate(_ text: String) -> Int { (text.utf8.count + 3) / 4 }

    /// The same number for the same text in every run (unlike `hashValue`), for tool call ids.
    private static func stableHash(_ text: String) -> UInt32 {
        text.utf8.reduce(5381 as UInt32) { ($0 &<< 5) &+ $0 &+ UInt32($1) }
    }
}
