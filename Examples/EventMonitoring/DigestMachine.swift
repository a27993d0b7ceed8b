import Orchestra

/// A document to digest: its name, and how long fetching it takes.
struct Document: Sendable, Equatable {
    var name: String
    var fetchTime: Duration
}

/// What the machine produces.
struct Digest: Sendable, Equatable {
    var title: String
    var lines: [String]
}

/// A document that cannot be fetched.
struct FetchError: Error, CustomStringConvertible {
    var document: String
    var description: String { "no document named '\(document)'" }
}

/// The machine every section watches: Fetch (a ForEach of Download, two at a time) → Summarize → Publish.
///
/// A document named `missing…` fails its download, which is how the failure section fails a run; a document
/// with a long fetch time keeps a run busy long enough to be cancelled.
func digestOrchestration() -> Orchestration<[Document], Digest> {
    let download = Runnable<Document, String>("Download") { document, context in
        // The run's clock: an orchestration given a manual clock sleeps here until the test moves it.
        try await context.clock.sleep(for: document.fetchTime)
        guard !document.name.hasPrefix("missing") else { throw FetchError(document: document.name) }
        context.emit("fetched \(document.name)")  // a chunk: every watcher sees it
        return "the text of \(document.name)"
    }
    let fetch = ForEach(download, maxConcurrency: 2, name: "Fetch")
    let summarize = Runnable<[String], [String]>("Summarize") { texts, context in
        // Offline, Summarize stands in for a model call: it records the tokens such a call would report, under the
        // model's dated name, so that metrics and costs have something to count.
        let usage = TokenUsage(promptTokens: 400 * texts.count, completionTokens: 60 * texts.count)
        context.recordTokens(usage, model: "gpt-4o-mini-2024-07-18")
        return texts.map { "• " + $0.replacingOccurrences(of: "the text of ", with: "") }
    }
    let publish = Runnable<[String], Digest>("Publish") { lines, _ in
        Digest(title: "Digest of \(lines.count) documents", lines: lines)
    }
    fetch.advance(to: summarize)
    summarize.advance(to: publish, label: "has lines", when: { !$0.isEmpty })
    return Orchestration(start: fetch, exit: publish)
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
