/// Reads selector rules from JSON and checks them, collecting every problem with its JSON path.
///
/// Reading checks the shape — members, types, names of types and intents — and each rule's values as it goes;
/// rules made in code go through the same checks of values, with paths as if they had been read from JSON.
struct SelectionRulesParser: JSONMemberReader {
    private(set) var diagnostics: [SelectionRulesDiagnostic] = []
    /// Each name, with where it was first used.
    private var names: [String: String] = [:]

    private static let ruleMembers = [
        "name", "type", "keywords", "priority", "complexity", "needs_tools", "intent", "confidence",
    ]
    private static let typeNames = OrchestrationType.allCases.map(\.rawValue).joined(separator: ", ")
    private static let intentNames = RequestAnalysis.Intent.allCases.map(\.rawValue).joined(separator: ", ")

    // MARK: Reading

    /// The rules of a rules file, `{"rules": [...]}`; the ones that could be read, when there are problems.
    mutating func rules(_ value: JSONValue) -> [SelectionRule] {
        guard let members = object(value, at: "$", allowed: ["rules"]) else { return [] }
        guard let list = members["rules"] else {
            report(.missingField, "$", "missing 'rules': an array of rules")
            return []
        }
        guard let elements = list.arrayValue else {
            report(.wrongType, "$.rules", "'rules' must be an array of rules, not \(list.typeName)")
            return []
        }
        return elements.indices.compactMap { rule(elements[$0], at: "$.rules[\($0)]") }
    }

    private mutating func rule(_ value: JSONValue, at path: String) -> SelectionRule? {
        guard let members = object(value, at: path, allowed: Self.ruleMembers) else { return nil }
        let name = member(members, "name", at: path, required: true, "a string", \.stringValue)
        let typeName = member(members, "type", at: path, required: true, "one of \(Self.typeNames)", \.stringValue)
        let type = typeName.flatMap(OrchestrationType.init(rawValue:))
        if let typeName, type == nil {
            report(
                .badType, "\(path).type", "'\(typeName)' is not an orchestration type; the types are \(Self.typeNames)")
        }
        let keywords = keywords(members, at: path)
        let priority = member(members, "priority", at: path, required: false, "a whole number", \.intValue)
        let complexity = complexity(members, at: path)
        let needsTools = member(members, "needs_tools", at: path, required: false, "true or false", \.boolValue)
        let intentName = member(
            members, "intent", at: path, required: false, "one of \(Self.intentNames)", \.stringValue)
        let intent = intentName.flatMap(RequestAnalysis.Intent.init(rawValue:))
        if let intentName, intent == nil {
            report(.badValue, "\(path).intent", "'\(intentName)' is not an intent; the intents are \(Self.intentNames)")
        }
        let confidence = member(members, "confidence", at: path, required: false, "a number", \.numberValue)
        check(name: name, keywords: keywords, complexity: complexity.range, confidence: confidence, at: path)
        guard let name, let type, let keywords, complexity.valid else { return nil }
        return SelectionRule(
            name: name, type: type, keywords: keywords, priority: priority ?? 0, complexity: complexity.range,
            needsTools: needsTools, intent: intent, confidence: confidence ?? SelectionRule.defaultConfidence)
    }

    private mutating func keywords(_ members: [String: JSONValue], at path: String) -> [String]? {
        guard let elements = member(members, "keywords", at: path, required: true, "an array of strings", \.arrayValue)
        else { return nil }
        let keywords = elements.indices.compactMap { index in
            guard let keyword = elements[index].stringValue else {
                report(
                    .wrongType, "\(path).keywords[\(index)]",
                    "a keyword must be a string, not \(elements[index].typeName)")
                return nil as String?
            }
            return keyword
        }
        return keywords.count == elements.count ? keywords : nil
    }

    /// The complexity range, if given and readable; `valid` is false when it was given but could not be read.
    private mutating func complexity(_ members: [String: JSONValue], at path: String)
        -> (range: ClosedRange<Double>?, valid: Bool)
    {
        guard let value = members["complexity"] else { return (nil, true) }
        let here = "\(path).complexity"
        guard let bounds = object(value, at: here, allowed: ["min", "max"]) else { return (nil, false) }
        let minimum = member(bounds, "min", at: here, required: false, "a number from 0 to 1", \.numberValue)
        let maximum = member(bounds, "max", at: here, required: false, "a number from 0 to 1", \.numberValue)
        guard (bounds["min"] == nil || minimum != nil) && (bounds["max"] == nil || maximum != nil) else {
            return (nil, false)
        }
        let (lower, upper) = (minimum ?? 0, maximum ?? 1)
        guard lower <= upper else {
            report(
                .badValue, here,
                "the complexity's min \(JSONValue.number(lower)) is more than its max \(JSONValue.number(upper)), "
                    + "so no request can match")
            return (nil, false)
        }
        return (lower...upper, true)
    }

    // MARK: Checking

    /// Checks rules made in code, with paths as if they had been read from a rules file.
    mutating func check(_ rules: [SelectionRule]) {
        for (index, rule) in rules.enumerated() {
            check(
                name: rule.name, keywords: rule.keywords, complexity: rule.complexity, confidence: rule.confidence,
                at: "$.rules[\(index)]")
        }
    }

    /// Checks one rule's values: its name (not empty, not taken), its keywords (at least one, each with a word),
    /// and that its complexity bounds and confidence are within 0…1. A value that could not be read is `nil`.
    private mutating func check(
        name: String?, keywords: [String]?, complexity: ClosedRange<Double>?, confidence: Double?, at path: String
    ) {
        if let name {
            if name.isEmpty {
                report(.badValue, "\(path).name", "a rule's name cannot be empty")
            } else if let first = names[name] {
                report(.duplicateName, "\(path).name", "the name '\(name)' is already the name of the rule at \(first)")
            } else {
                names[name] = path
            }
        }
        if keywords?.isEmpty == true {
            report(.emptyKeywords, "\(path).keywords", "a rule needs at least one keyword")
        }
        for (index, keyword) in (keywords ?? []).enumerated() where RequestText.words(of: keyword).isEmpty {
            report(
                .emptyKeywords, "\(path).keywords[\(index)]",
                "the keyword '\(keyword)' has no letters or digits, so it can never match")
        }
        for (bound, value) in [("min", complexity?.lowerBound), ("max", complexity?.upperBound)] {
            guard let value, !(0...1).contains(value) else { continue }
            report(
                .outOfRange, "\(path).complexity.\(bound)",
                "the complexity's \(bound) \(JSONValue.number(value)) is not within 0…1")
        }
        if let confidence, !(0...1).contains(confidence) {
            report(.outOfRange, "\(path).confidence", "confidence \(JSONValue.number(confidence)) is not within 0…1")
        }
    }

    // MARK: Members

    private mutating func report(_ code: SelectionRulesDiagnostic.Code, _ path: String, _ message: String) {
        diagnostics.append(SelectionRulesDiagnostic(code, at: path, message))
    }

    mutating func reportMember(_ problem: JSONMemberProblem, _ path: String, _ message: String) {
        switch problem {
        case .wrongType: report(SelectionRulesDiagnostic.Code.wrongType, path, message)
        case .missingField: report(SelectionRulesDiagnostic.Code.missingField, path, message)
        case .unknownField: report(SelectionRulesDiagnostic.Code.unknownField, path, message)
        }
    }
}
