import Foundation

/// One problem in a workflow definition: what is wrong, and where, as a JSON path.
///
/// ```text
/// $.steps[2].depends_on[0]: no step 'lod_data'; the steps at this level are load_data, analyze
/// ```
public struct WorkflowDiagnostic: Sendable, Hashable, CustomStringConvertible {
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
        /// A member has a value outside what is allowed.
        case badValue = "bad value"
        /// A step's `kind` is not one of the six.
        case badKind = "bad kind"
        /// Two steps have one id.
        case duplicateID = "duplicate id"
        /// A dependency or reference names no step there is.
        case unknownStep = "unknown step"
        /// Steps depend on each other in a circle.
        case cycle = "dependency cycle"
        /// A reference names a step that does not run before the one that refers to it.
        case notUpstream = "not upstream"
        /// A template's `${…}` cannot be read.
        case badReference = "bad reference"
        /// A `tool` step names a tool that is not registered.
        case unknownTool = "unknown tool"
        /// An `input` step, in a workflow given no one to answer it.
        case needsPerson = "needs a person"
    }

    /// The kind of problem.
    public var code: Code
    /// Where, as a JSON path into the definition: `$.steps[2].depends_on[0]`.
    public var path: String
    /// What is wrong and what to do.
    public var message: String

    /// Creates a diagnostic.
    public init(_ code: Code, at path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// The path and the message.
    public var description: String { "\(path): \(message)" }

    /// `diagnostics` in the order of their paths — `$.steps[2]` before `$.steps[10]` — and, at one path, as found.
    static func inOrder(_ diagnostics: [WorkflowDiagnostic]) -> [WorkflowDiagnostic] {
        diagnostics.enumerated().sorted { left, right in
            switch left.element.path.compare(right.element.path, options: .numeric) {
            case .orderedAscending: true
            case .orderedDescending: false
            case .orderedSame: left.offset < right.offset
            }
        }.map(\.element)
    }
}

/// A workflow definition that cannot run, with every problem found in it.
public struct WorkflowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in the order of their paths in the definition.
    public var diagnostics: [WorkflowDiagnostic]

    /// Creates the error.
    public init(diagnostics: [WorkflowDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One line per problem.
    public var description: String {
        let count = diagnostics.count == 1 ? "a problem" : "\(diagnostics.count) problems"
        return "the workflow definition has \(count):\n" + diagnostics.map { "- \($0)" }.joined(separator: "\n")
    }
}
