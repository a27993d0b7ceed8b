import Foundation

/// A request as the rule-based selector reads it: folded to lower case without diacritics or width variants, cut
/// into words and clauses.
///
/// A word is a run of letters and digits; an apostrophe between letters stays in it (`don't`). Everything else
/// separates words, so `look-up` and `look up` read alike, and `search` is not found in `research`. A clause ends
/// at `?`, `!`, `;`, a line break, and at `.`, `,` or `:` followed by a space or the end (so `3.5` and `1,000`
/// stay whole).
struct RequestText {
    /// The words, in order.
    let words: [String]
    /// The index in ``clauses`` of each word's clause.
    let clauseOfWord: [Int]
    /// The clauses that have words: the range of their words, and whether a `?` ends them.
    let clauses: [(words: Range<Int>, isQuestion: Bool)]
    /// The lines that start as a numbered or bulleted list item: `1.`, `2)`, `-`, `*`, `•`.
    let listItems: Int

    init(_ text: String) {
        let folded = Self.fold(text)
        var words: [String] = []
        var clauseOfWord: [Int] = []
        var clauses: [(words: Range<Int>, isQuestion: Bool)] = []
        var word = ""
        var clauseStart = 0
        let characters = Array(folded)
        func endWord() {
            guard !word.isEmpty else { return }
            words.append(word)
            clauseOfWord.append(clauses.count)
            word = ""
        }
        func endClause(question: Bool) {
            endWord()
            guard words.count > clauseStart else { return }
            clauses.append((clauseStart..<words.count, question))
            clauseStart = words.count
        }
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if character == "'", !word.isEmpty, next?.isLetter == true {
                word.append(character)
            } else if character == "?" || character == "!" || character == ";" || character.isNewline {
                endClause(question: character == "?")
            } else if character == "." || character == "," || character == ":" || character == "…" {
                if next == nil || next?.isWhitespace == true { endClause(question: false) } else { endWord() }
            } else {
                endWord()
            }
        }
        endClause(question: false)
        self.words = words
        self.clauseOfWord = clauseOfWord
        self.clauses = clauses
        listItems = text.split(whereSeparator: \.isNewline).count(where: Self.isListItem)
    }

    /// `text` in lower case, without diacritics or width variants, with typographic apostrophes made plain.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "\u{2019}", with: "'")
    }

    /// The words of a phrase — a keyword, a marker — read as a request's are.
    static func words(of phrase: String) -> [String] {
        RequestText(phrase).words
    }

    /// Whether `line` starts as a list item: digits then `.` or `)`, or `-`, `*` or `•`, then a space.
    private static func isListItem(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0.isWhitespace }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let rest = trimmed.dropFirst(digits.count)
        let marker: Substring
        if (1...3).contains(digits.count), let first = rest.first, first == "." || first == ")" {
            marker = rest.dropFirst()
        } else if digits.isEmpty, let first = rest.first, first == "-" || first == "*" || first == "•" {
            marker = rest.dropFirst()
        } else {
            return false
        }
        return marker.first?.isWhitespace == true
    }

    /// The positions where `phrase` starts, as whole words.
    func positions(of phrase: [String]) -> [Int] {
        guard !phrase.isEmpty, phrase.count <= words.count else { return [] }
        return (0...(words.count - phrase.count)).filter { start in
            phrase.indices.allSatisfy { words[start + $0] == phrase[$0] }
        }
    }

    /// Whether `phrase` occurs, as whole words.
    func contains(_ phrase: [String]) -> Bool {
        !positions(of: phrase).isEmpty
    }

    /// The longest of `phrases` that starts at word `index`, if any does.
    func phrase(at index: Int, from phrases: [[String]]) -> [String]? {
        phrases.filter { phrase in
            !phrase.isEmpty && index + phrase.count <= words.count
                && phrase.indices.allSatisfy { words[index + $0] == phrase[$0] }
        }.max { $0.count < $1.count }
    }

    /// The phrases that occur, counted without overlap: at each word, the longest phrase that starts there wins
    /// and the search goes on after it. Each occurrence is given with the position of its first word.
    func occurrences(of phrases: [[String]]) -> [(start: Int, phrase: [String])] {
        var found: [(start: Int, phrase: [String])] = []
        var index = 0
        while index < words.count {
            if let phrase = phrase(at: index, from: phrases) {
                found.append((index, phrase))
                index += phrase.count
            } else {
                index += 1
            }
        }
        return found
    }
}
