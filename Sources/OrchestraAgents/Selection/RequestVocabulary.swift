/// The words the rule-based selector looks for, as phrases of words. ``RuleBasedSelector`` lists them for users;
/// keep the two in step.
enum RequestVocabulary {
    static let sequencing = phrases(
        "first", "firstly", "secondly", "then", "and then", "next", "after that", "afterwards", "afterward",
        "followed by", "finally", "lastly", "once that is done", "once done")

    /// Sequencing words that are as often something else (`the first result`, `next month`): they count only where
    /// they lead their clause or follow one of ``leadWords``.
    static let positionalSequencing: Set<String> = ["first", "next"]

    static let conditions = phrases(
        "if", "unless", "otherwise", "in case", "depending on", "until", "whether", "as long as", "whenever")

    static let adaptations = phrases(
        "depending on", "keep trying", "try again", "retry", "retrying", "until", "monitor", "monitoring",
        "keep an eye on", "watch for", "whenever", "adapt", "adjust", "if needed", "if necessary", "as needed",
        "fall back", "fallback", "replan", "re plan")

    /// Words that open a condition on failure, and the failures they lead to within ``failureReach`` words.
    static let failureOpeners: Set<String> = ["if", "when", "should", "case"]
    static let failures: Set<String> = [
        "fail", "fails", "failed", "failing", "failure", "break", "breaks", "broke", "broken", "crash", "crashes",
        "crashed", "error", "errors",
    ]
    static let failureReach = 4

    static let actionVerbs = [
        "search", "look up", "fetch", "query", "calculate", "compute", "send", "download", "upload", "email",
        "browse", "scrape", "crawl", "retrieve", "google", "research",
    ]

    /// Action verbs that are nouns as often (`an email`, `a query`, `this research`): they count only where they
    /// lead their clause or follow one of ``leadWords``.
    static let nounLikeVerbs: Set<String> = ["email", "query", "google", "research"]
    static let leadWords: Set<String> = [
        "please", "then", "and", "also", "now", "first", "next", "finally", "just", "you", "to",
    ]

    /// Leading words of a tool's name that say little about it: `get_weather` is mentioned by `weather`.
    static let genericToolWords: Set<String> = [
        "get", "fetch", "find", "list", "read", "do", "run", "make", "lookup", "search", "query", "call", "use",
    ]

    /// The action verbs in their regular forms (`search`, `searches`, `searched`, `searching`), and `sent`;
    /// `look up` also as `look it up`. Each form maps to the verb.
    static let actionForms: [(form: [String], verb: String)] = actionVerbs.flatMap { verb in
        let words = RequestText.words(of: verb)
        guard let head = words.first else { return [(form: [String], verb: String)]() }
        let tail = Array(words.dropFirst())
        var forms = inflections(of: head).map { [$0] + tail }
        if verb == "send" { forms.append(["sent"]) }
        if verb == "look up" { forms += inflections(of: head).map { [$0, "it", "up"] } }
        return forms.map { (form: $0, verb: verb) }
    }

    static let questionWords: Set<String> = [
        "what", "who", "whom", "whose", "where", "when", "why", "how", "which", "is", "are", "was", "were", "am",
        "do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "have", "has",
        "what's", "who's", "where's", "how's", "isn't", "aren't", "doesn't", "don't", "didn't", "can't", "won't",
    ]

    static let politeOpeners = phrases(
        "please", "can you", "could you", "would you", "will you", "i need you to", "i want you to",
        "i'd like you to")

    static let smallTalk = phrases(
        "hi", "hello", "hey", "thanks", "thank you", "thx", "good morning", "good afternoon", "good evening",
        "good night", "how are you", "how's it going", "bye", "goodbye", "see you", "nice to meet you", "cheers")

    /// Small talk may have this many other words and still be a conversation.
    static let smallTalkSlack = 4

    private static func phrases(_ texts: String...) -> [[String]] {
        texts.map(RequestText.words(of:))
    }

    /// A verb's regular forms: `query`, `queries`, `queried`, `querying`; `compute`, `computes`, `computed`,
    /// `computing`; `fetch`, `fetches`, `fetched`, `fetching`.
    static func inflections(of verb: String) -> [String] {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        let stem = verb.dropLast()
        if verb.hasSuffix("e") { return [verb, verb + "s", verb + "d", stem + "ing"] }
        if verb.hasSuffix("y"), let before = stem.last, !vowels.contains(before) {
            return [verb, stem + "ies", stem + "ied", verb + "ing"]
        }
        if ["s", "sh", "ch", "x", "z"].contains(where: verb.hasSuffix) {
            return [verb, verb + "es", verb + "ed", verb + "ing"]
        }
        return [verb, verb + "s", verb + "ed", verb + "ing"]
    }
}
