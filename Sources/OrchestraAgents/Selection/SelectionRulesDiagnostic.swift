/// One problem in a selector's rules: what is wrong, and where, as a JSON path.
///
/// ```text
/// $.rules[1].type: 'agentic' is not an orchestration type; the types are simple, fixed, planner, reactive
/// ```
public struct SelectionRulesDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The text is not JSON.
        case notJSON = "not JSON"
        /// A required member is missing.
        case missingField = "missing field"
        /// A member the format does not have, as a misspelt one.
        case unknownField = "unknown field"
        /// A member has the wrong JSON type.
        case wrongType = "wrong type"
        /// A rule's `type` is not one of the four orchestration types.
        case badType = "bad type"
        /// A rule has no keywords, or a keyword without letters or digits.
        case emptyKeywords = "empty keywords"
        /// Two rules have one name.
        case duplicateName = "duplicate name"
        /// A confidence or a complexity bound is not within 0…1.
        case outOfRange = "out of range"
        /// A member has a value outside what is allowed otherwise: an empty name, an unknown intent, a complexity
        /// range whose `min` is more than its `max`.
        case badValue = "bad value"
    }

    /// The kind of problem.
    public var code: Code
    /// Where, as a JSON path into the rules: `$.rules[2].keywords[0]`.
    public var path: String
    /// What is wrong and what to do.
    public var message: String

    /// Creates a diagnostic.
    ///
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - path: Where, as a JSON path.
    ///   - message: What is wrong and what to do.
    public init(_ code: Code, at path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// The path and the message.
    public var description: String { "\(path): \(message)" }
}

/// Selector rules that cannot be used, with every problem found in them.
public struct SelectionRulesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in the order of the rules.
    public var diagnostics: [SelectionRulesDiagnostic]

    /// Creates the error.
    ///
    /// - Parameter diagnostics: The problems, in the order of the rules.
    public init(diagnostics: [SelectionRulesDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One line per problem.
    public var description: String {
        let count = diagnostics.count == 1 ? "a problem" : "\(diagnostics.count) problems"
        return "the selection rules have \(count):\n" + diagnostics.map { "- \($0)" }.joined(separator: "\n")
    }
}
