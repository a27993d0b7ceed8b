extension RequestAnalysis {
    /// A registered tool's name, and the words it is mentioned by: `web_search`, `web-search` and `webSearch`
    /// are all `web search`.
    struct ToolName: Sendable {
        let name: String
        let words: [String]

        init(_ name: String) {
            var spaced = ""
            var previous: Character?
            for character in name {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { spaced += " " }
                spaced.append(character)
                previous = character
            }
            self.name = name
            let words = RequestText.words(of: spaced)
            if words.count > 1, let first = words.first, RequestVocabulary.genericToolWords.contains(first) {
                self.words = Array(words.dropFirst())
            } else {
                self.words = words
            }
        }
    }

    /// Reads the features of `text`; ``matches`` is left empty for the selector to fill.
    init(reading text: RequestText, tools: [ToolName]) {
        words = text.words.count
        clauses = text.clauses.count
        questions = text.clauses.count { $0.isQuestion }
        let commanding = Self.commandingClauses(of: text)
        steps = Self.steps(in: text, commanding: commanding)
        conditions = text.occurrences(of: RequestVocabulary.conditions).map { $0.phrase.joined(separator: " ") }
        adaptations = Self.adaptations(in: text)
        actions = Self.actions(in: text, commanding: commanding)
        let present = Set(text.words)
        self.tools = tools.filter { !$0.words.isEmpty && $0.words.allSatisfy(present.contains) }.map(\.name)
        intent = Self.intent(of: text)
        complexity = Self.complexity(
            words: words, clauses: clauses, steps: steps.count, conditions: conditions.count, questions: questions)
        matches = []
    }

    /// The complexity formula; ``RuleBasedSelector`` documents it.
    static func complexity(words: Int, clauses: Int, steps: Int, conditions: Int, questions: Int) -> Double {
        func part(_ count: Int, per full: Double, weight: Double) -> Double {
            min(Double(max(count, 0)) / full, 1) * weight
        }
        let sum =
            part(words, per: 100, weight: 0.30) + part(clauses - 1, per: 5, weight: 0.15)
            + part(steps, per: 3, weight: 0.30) + part(conditions, per: 2, weight: 0.15)
            + part(questions - 1, per: 2, weight: 0.10)
        return (sum * 100).rounded() / 100
    }

    /// The sequencing words of the commanding clauses — `first` and `next` only where they lead — and a
    /// `list item` per list line.
    private static func steps(in text: RequestText, commanding: Set<Int>) -> [String] {
        let words = text.occurrences(of: RequestVocabulary.sequencing).compactMap { start, phrase -> String? in
            let word = phrase.joined(separator: " ")
            guard commanding.contains(text.clauseOfWord[start]) else { return nil }
            guard !RequestVocabulary.positionalSequencing.contains(word) || leads(at: start, in: text) else {
                return nil
            }
            return word
        }
        return words + Array(repeating: "list item", count: text.listItems)
    }

    /// Failure conditions (`if` … `fails` within four words) and the adaptation phrases, in order.
    private static func adaptations(in text: RequestText) -> [String] {
        let words = text.words
        var found: [String] = []
        var index = 0
        while index < words.count {
            let reach = (index + 1)..<min(index + RequestVocabulary.failureReach + 1, words.count)
            if RequestVocabulary.failureOpeners.contains(words[index]),
                let end = reach.first(where: { RequestVocabulary.failures.contains(words[$0]) })
            {
                found.append(words[index...end].joined(separator: " "))
                index = end + 1
            } else if let phrase = text.phrase(at: index, from: RequestVocabulary.adaptations) {
                found.append(phrase.joined(separator: " "))
                index += phrase.count
            } else {
                index += 1
            }
        }
        return found
    }

    /// The clauses that ask for something to be done: those that are not questions, and questions that start
    /// politely (`can you …?`).
    private static func commandingClauses(of text: RequestText) -> Set<Int> {
        Set(
            text.clauses.indices.filter { index in
                let clause = text.clauses[index]
                return !clause.isQuestion
                    || text.phrase(at: clause.words.lowerBound, from: RequestVocabulary.politeOpeners) != nil
            })
    }

    /// The action verbs of the commanding clauses, each once, in the order first found; a noun-like verb only
    /// where it leads its clause or follows a lead word.
    private static func actions(in text: RequestText, commanding: Set<Int>) -> [String] {
        let found = RequestVocabulary.actionForms.flatMap { form, verb in
            text.positions(of: form).filter { position in
                commanding.contains(text.clauseOfWord[position])
                    && (!RequestVocabulary.nounLikeVerbs.contains(verb) || leads(at: position, in: text))
            }.map { (position: $0, verb) }
        }
        var verbs: [String] = []
        for (_, verb) in found.sorted(by: { $0.position < $1.position }) where !verbs.contains(verb) {
            verbs.append(verb)
        }
        return verbs
    }

    /// Whether the word at `position` leads its clause, or follows one of the lead words (`then`, `and`, …).
    private static func leads(at position: Int, in text: RequestText) -> Bool {
        position == text.clauses[text.clauseOfWord[position]].words.lowerBound
            || RequestVocabulary.leadWords.contains(text.words[position - 1])
    }

    private static func intent(of text: RequestText) -> Intent {
        let talk = text.occurrences(of: RequestVocabulary.smallTalk)
        let talkWords = talk.reduce(0) { $0 + $1.phrase.count }
        if talk.first?.start == 0, text.words.count - talkWords <= RequestVocabulary.smallTalkSlack {
            return .conversation
        }
        if text.phrase(at: 0, from: RequestVocabulary.politeOpeners) != nil { return .command }
        if text.clauses.last?.isQuestion == true { return .question }
        if let first = text.words.first, RequestVocabulary.questionWords.contains(first) { return .question }
        return .command
    }
}
