public import Foundation

/// Chooses the orchestration type from the words of a request — by rules of your own, read from JSON or made in
/// code, and otherwise by a default ladder. Deterministic and instant: no model is asked.
///
/// ```swift
/// let selector = try RuleBasedSelector(json: Data(contentsOf: rulesFile), tools: registry)   // Examples/Selection
/// let choice = selector.choice(for: "Send me the monthly sales report")
/// // fixed (0.95, rules): rule 'monthly-report' (priority 100) matched "monthly sales report"
/// let analysis = selector.analyze("Send me the monthly sales report")   // what it read, and why
/// ```
///
/// **Reading.** ``analyze(_:)`` reads the features of a request as a ``RequestAnalysis``: its words, clauses and
/// questions, sequencing words and list items (its steps), conditions, words that say the plan must adapt, action
/// verbs and registered tools (its need for tools), its intent, and its complexity:
///
/// ```text
/// complexity = 0.30 × min(words / 100, 1)        + 0.15 × min((clauses − 1) / 5, 1)
///            + 0.30 × min(steps / 3, 1)          + 0.15 × min(conditions / 2, 1)
///            + 0.10 × min((questions − 1) / 2, 1)                          rounded to 0.01
/// ```
///
/// A registered tool counts as mentioned when every word of its name occurs in the request (`web_search`: `web`
/// and `search`), bar a leading generic verb (`get_weather`: `weather`); its description is for models, too loose
/// to match words against.
///
/// **Rules.** Of the rules that match (see ``SelectionRule``), the one with the highest priority chooses, then the
/// one written first, with the rule's confidence — times 0.75 when a rule of the same priority that also matches
/// chooses another type, for the rules disagree.
///
/// **The default ladder.** When no rule matches, three types are scored from 0 to 1 — fixed needs a workflow, so
/// only a rule chooses it:
///
/// ```text
/// simple   = (1 − complexity) × 0.4 if it needs tools × 0.5 if it has steps × 0.6 if a command adapts
/// planner  = max(complexity, 0.6 if it needs tools, 0.5 for one step, 0.7 for two or more)
/// reactive = 0 without adaptations, else (1 for a command, 0.5 otherwise)
///            × (0.5 + 0.5 × max(planner, min(adaptations, 3) / 3))
/// ```
///
/// The highest score wins; a tie goes to the more capable type. Short questions and chat end at simple,
/// multi-step or tool work at planner, and commands that speak of failure, retrying, monitoring, `until` or
/// `depending on` at reactive. Adaptation words in a question are its topic more often than an instruction,
/// hence the halving. The confidence is how clear the case is: `0.5 +` the margin between the two best scores,
/// at most 0.95.
public struct RuleBasedSelector: OrchestrationSelector {
    /// The rules, in the order written.
    public let rules: [SelectionRule]
    /// The tools whose names count as a need for tools.
    public let tools: ToolRegistry
    /// Each rule's keywords, as words.
    private let keywordWords: [[[String]]]
    private let toolNames: [RequestAnalysis.ToolName]

    /// A selector without rules: the default ladder chooses.
    ///
    /// - Parameter tools: The tools whose names count as a need for tools.
    public init(tools: ToolRegistry = ToolRegistry()) {
        self.init(checked: [], tools: tools)
    }

    /// A selector with rules made in code, checked as rules read from JSON are.
    ///
    /// - Parameters:
    ///   - rules: The rules, in the order they break ties.
    ///   - tools: The tools whose names count as a need for tools.
    /// - Throws: ``SelectionRulesError`` with every problem, at paths as if the rules were a rules file:
    ///   `$.rules[1].keywords`.
    public init(rules: [SelectionRule], tools: ToolRegistry = ToolRegistry()) throws(SelectionRulesError) {
        var parser = SelectionRulesParser()
        parser.check(rules)
        guard parser.diagnostics.isEmpty else { throw SelectionRulesError(diagnostics: parser.diagnostics) }
        self.init(checked: rules, tools: tools)
    }

    /// A selector with the rules of a rules file: `{"rules": [...]}`, as `Docs/Schemas/SelectionRules.schema.json`
    /// describes.
    ///
    /// - Parameters:
    ///   - json: The rules file.
    ///   - tools: The tools whose names count as a need for tools.
    /// - Throws: ``SelectionRulesError`` with every problem found, each with its JSON path.
    public init(json: Data, tools: ToolRegistry = ToolRegistry()) throws(SelectionRulesError) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw SelectionRulesError(diagnostics: [
                SelectionRulesDiagnostic(
                    .notJSON, at: "$", "the rules are not JSON: \(WorkflowDefinition.reason(error))")
            ])
        }
        try self.init(value, tools: tools)
    }

    /// A selector with the rules of a rules file given as a JSON value.
    ///
    /// - Parameters:
    ///   - value: The rules file's content.
    ///   - tools: The tools whose names count as a need for tools.
    /// - Throws: ``SelectionRulesError`` with every problem found, each with its JSON path.
    public init(_ value: JSONValue, tools: ToolRegistry = ToolRegistry()) throws(SelectionRulesError) {
        var parser = SelectionRulesParser()
        let rules = parser.rules(value)
        guard parser.diagnostics.isEmpty else { throw SelectionRulesError(diagnostics: parser.diagnostics) }
        self.init(checked: rules, tools: tools)
    }

    private init(checked rules: [SelectionRule], tools: ToolRegistry) {
        self.rules = rules
        self.tools = tools
        keywordWords = rules.map { $0.keywords.map(RequestText.words(of:)) }
        toolNames = tools.tools.map { RequestAnalysis.ToolName($0.name) }
    }

    /// Reads what the selector decides from: the request's features, and the rules that match it.
    ///
    /// - Parameter request: What the user asked.
    /// - Returns: The features, and the matching rules in the order they are decided.
    public func analyze(_ request: String) -> RequestAnalysis {
        let text = RequestText(request)
        var analysis = RequestAnalysis(reading: text, tools: toolNames)
        let decided = rules.indices.sorted { first, second in
            let (one, other) = (rules[first].priority, rules[second].priority)
            return one != other ? one > other : first < second
        }
        analysis.matches = decided.compactMap { index in
            let rule = rules[index]
            let found = rule.keywords.indices.filter { text.contains(keywordWords[index][$0]) }.map {
                rule.keywords[$0]
            }
            guard !found.isEmpty, rule.complexity.map({ $0.contains(analysis.complexity) }) != false,
                rule.needsTools.map({ $0 == analysis.needsTools }) != false,
                rule.intent.map({ $0 == analysis.intent }) != false
            else { return nil }
            return RequestAnalysis.RuleMatch(name: rule.name, type: rule.type, priority: rule.priority, keywords: found)
        }
        return analysis
    }

    /// What a rival rule's disagreement leaves of the confidence.
    private static let rivalFactor = 0.75

    /// Chooses the type for `request`, at once.
    ///
    /// - Parameter request: What the user asked.
    /// - Returns: The choice of the first matching rule, or of the default ladder.
    public func choice(for request: String) -> OrchestrationChoice {
        let analysis = analyze(request)
        guard let best = analysis.matches.first, let rule = rules.first(where: { $0.name == best.name }) else {
            return ladderChoice(analysis)
        }
        let keywords = best.keywords.map { "\"\($0)\"" }.joined(separator: ", ")
        var reason = "rule '\(best.name)' (priority \(best.priority)) matched \(keywords)"
        var confidence = rule.confidence
        if let rival = analysis.matches.dropFirst().first(where: {
            $0.priority == best.priority && $0.type != best.type
        }) {
            confidence *= Self.rivalFactor
            reason +=
                "; rule '\(rival.name)', of the same priority and written later, chose \(rival.type), so it is "
                + "less certain"
        }
        return OrchestrationChoice(
            type: rule.type, confidence: confidence, reason: reason, decidedBy: .rules, rule: rule.name)
    }

    /// Chooses the type for `request`; see ``choice(for:)``.
    ///
    /// - Parameter request: What the user asked.
    /// - Returns: The choice of the first matching rule, or of the default ladder.
    /// - Throws: Nothing; the rules and the ladder always choose.
    public func select(_ request: String) async throws -> OrchestrationChoice {
        choice(for: request)
    }
}
