import Foundation
import OrchestraAgents

/// The `web_search` tool, over a small built-in corpus: the example runs the same with or without a network,
/// and a run is reproducible. A query that names one of the corpus's topics searches that topic's pages. A page
/// is found when it has two of the query's words and scores at least half as well as the best page, where a word
/// scores more the fewer pages have it.
struct WebSearch: Sendable {
    /// A page the search can find.
    struct Document: Sendable, Codable, Equatable {
        var title: String
        /// What the page is about, as a few words.
        var topic: String
        var url: String
        var text: String
    }

    /// The arguments the model sends.
    struct Query: StructuredOutput {
        var query: String
        static let schema = JSONSchema.object(
            properties: ["query": .string(minLength: 1, maxLength: 200, description: "What to search for")],
            required: ["query"])
    }

    /// What the tool returns: the best results, best first.
    struct Results: Sendable, Codable, Equatable {
        var query: String
        var results: [Document]
    }

    let documents: [Document]
    let maxResults: Int

    init(documents: [Document] = WebSearch.corpus, maxResults: Int = 3) {
        self.documents = documents
        self.maxResults = maxResults
    }

    var tool: FunctionTool {
        FunctionTool(
            name: "web_search",
            description: "Search the web. Returns up to \(maxResults) pages with title, URL and text."
        ) { (query: Query) in search(query.query) }
    }

    func search(_ query: String) -> Results {
        let words = Self.words(of: query)
        // A query that names a topic — every word of it — searches that topic's pages only.
        let onTopic = documents.filter { Self.words(of: $0.topic).isSubset(of: words) }
        let documents = onTopic.isEmpty ? documents : onTopic
        let pages = documents.map { Self.words(of: $0.title + " " + $0.text) }
        // How rare each word of the query is among the pages.
        let weight = Dictionary(
            uniqueKeysWithValues: words.map { word in
                (word, log(Double(pages.count + 1) / (Double(pages.filter { $0.contains(word) }.count) + 0.5)))
            })
        // A page must have two of the query's words (or its only one), and score at least half the best page:
        // the sum of its words' rarity.
        let scored = zip(documents, pages).map { document, page in
            let matched = page.intersection(words)
            return (document: document, words: matched.count, score: matched.reduce(0) { $0 + (weight[$1] ?? 0) })
        }
        .filter { $0.words >= min(2, words.count) && $0.words > 0 }
        let best = scored.map(\.score).max() ?? 0
        let ranked = scored.filter { $0.score >= best / 2 }.sorted { $0.score > $1.score }
        return Results(query: query, results: ranked.prefix(maxResults).map(\.document))
    }

    private static let ignored: Set<String> = [
        "the", "and", "for", "with", "what", "how", "are", "its", "from", "into", "about", "that", "this", "of", "in",
        "on", "to", "a", "an", "is", "or", "by", "be", "as", "at", "it", "their", "which", "does",
    ]

    /// The lowercased words of `text` that say something (`ai` does; `of` does not).
    private static func words(of text: String) -> Set<String> {
        Set(
            text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
                .filter { $0.count > 1 && !ignored.contains($0) })
    }
}
