/// What the rule-based selector read in a request: its size, its steps and conditions, whether it needs tools,
/// what kind of request it is, its complexity, and the rules it matches.
///
/// ```swift
/// let analysis = RuleBasedSelector().analyze("First fetch the sales, then chart them. If the fetch fails, retry.")
/// analysis.steps        // ["first", "then"]
/// analysis.adaptations  // ["if the fetch fails", "retry"]
/// analysis.actions      // ["fetch"]
/// analysis.complexity   // 0.4
/// ```
///
/// Every feature is read from the words, case and diacritics aside; ``RuleBasedSelector`` documents the lists of
/// words it looks for.
public struct RequestAnalysis: Sendable, Hashable, Codable {
    /// What kind of request it is.
    public enum Intent: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// It asks something: it ends with `?` or starts with a question word (`what`, `how`, `is`, …).
        case question
        /// It asks for something to be done: anything that is neither a question nor small talk, and any request
        /// that starts politely (`please`, `can you`, `could you`, …).
        case command
        /// Small talk: it starts with a greeting or thanks (`hi`, `thank you`, `how are you`) and has at most four
        /// other words.
        case conversation

        /// The name, as in JSON.
        public var description: String { rawValue }
    }

    /// A rule that matches the request.
    public struct RuleMatch: Sendable, Hashable, Codable {
        /// The rule's name.
        public var name: String
        /// The type it chooses.
        public var type: OrchestrationType
        /// Its priority.
        public var priority: Int
        /// Its keywords found in the request, in the order the rule lists them.
        public var keywords: [String]
    }

    /// How many words the request has.
    public var words: Int
    /// How many clauses: pieces of text between `.`, `,`, `;`, `:`, `?`, `!` and line breaks.
    public var clauses: Int
    /// How many clauses end with `?`.
    public var questions: Int
    /// The sequencing words (`first`, `then`, `after that`, …) found in clauses that ask for something to be done
    /// (not in questions, unless they ask politely), and one `list item` per numbered or bulleted line.
    public var steps: [String]
    /// The conditional words found: `if`, `unless`, `until`, `depending on`, …
    public var conditions: [String]
    /// What says the plan must adapt as it runs: failure (`if the upload fails`), retrying, monitoring, `until`,
    /// `depending on`, …
    public var adaptations: [String]
    /// The action verbs that need a tool (`search`, `look up`, `send`, …) found in clauses that ask for something
    /// to be done: not questions, unless they ask politely (`can you search …?`).
    public var actions: [String]
    /// The registered tools the request mentions, by name.
    public var tools: [String]
    /// What kind of request it is.
    public var intent: Intent
    /// How complex the request is, from 0 to 1, to two decimals; see ``RuleBasedSelector`` for the formula.
    public var complexity: Double
    /// The rules that match, in the order they are decided: higher priority first, then as written.
    public var matches: [RuleMatch]

    /// Whether the request needs tools: it names a registered tool or uses an action verb.
    public var needsTools: Bool { !actions.isEmpty || !tools.isEmpty }
}
