/// Why a step of a running workflow could not go on, when the definition was valid: a reference whose value is
/// not there, a condition on a value it cannot compare, a tool input its schema rejects.
///
/// ```text
/// step 'analyze': ${load_data.output.rows} has no value: the output of 'load_data' has no member 'rows'; its members are count, items
/// ```
///
/// Errors of a step's own work — a model's, a tool's — are not wrapped: the run's ``OrchestrationError`` names the
/// step's path and carries them as they were thrown.
public struct WorkflowRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A reference names a value the workflow's input or a step's output does not have.
        case missingValue = "missing value"
        /// A condition compares a value that is not of the kind its test needs.
        case notComparable = "not comparable"
        /// A tool step's input, its references replaced, breaks the tool's schema.
        case invalidToolInput = "invalid tool input"
        /// A tool step names a tool that is not registered.
        case unknownTool = "unknown tool"
    }

    /// The kind of problem.
    public var code: Code
    /// The id of the step.
    public var step: String
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, step: String, _ message: String) {
        self.code = code
        self.step = step
        self.message = message
    }

    /// The step and the message.
    public var description: String { "step '\(step)': \(message)" }
}
