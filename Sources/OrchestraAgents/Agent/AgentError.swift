/// Why an ``AgentRunnable`` gave no answer: the turns ran out, the answer stayed invalid, or the model's stream
/// ended without one. Carries the model's last response, to show what it did say.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    /// Why.
    public enum Reason: Sendable {
        /// The model still asked for tools on the last of this many turns.
        case turnLimit(Int)
        /// The answer is not a valid output after `repairs` repair turns: the error has the last answer and
        /// every violation.
        case invalidOutput(StructuredOutputError, repairs: Int)
        /// The model's stream ended without a final response, and the task was not cancelled.
        case noFinalResponse
        /// The answer stopped at the token limit (`finish_reason: length`): the agent's `maxTokens`, or the
        /// model's own when `nil`. The partial answer is in ``AgentError/lastResponse``.
        case cutOff(maxTokens: Int?)
    }

    /// The agent's path, as in `Research/ForEach[2]/Summarize`.
    public var agent: String
    /// Why.
    public var reason: Reason
    /// The model's last response, when there was one.
    public var lastResponse: ChatResponse?

    /// Creates an error.
    public init(agent: String, reason: Reason, lastResponse: ChatResponse?) {
        self.agent = agent
        self.reason = reason
        self.lastResponse = lastResponse
    }

    /// The violations of the last answer, for ``Reason/invalidOutput(_:repairs:)``; empty otherwise.
    public var violations: [JSONSchema.Violation] {
        guard case .invalidOutput(let error, _) = reason, case .violations(let violations) = error.problem else {
            return []
        }
        return violations
    }

    /// As in `agent 'Plan' gave no valid answer after 2 repairs: the answer is not a valid ResearchPlan: …`.
    public var description: String {
        switch reason {
        case .turnLimit(let turns):
            let asked = lastResponse?.toolCalls.map(\.name).joined(separator: ", ") ?? ""
            return "agent '\(agent)' used all \(turns) of its turns and still asked for tools (\(asked)); "
                + "raise maxTurns, or tell it in its instructions when to answer"
        case .invalidOutput(let error, let repairs):
            return
                "agent '\(agent)' gave no valid answer after \(repairs) \(repairs == 1 ? "repair" : "repairs"): \(error)"
        case .noFinalResponse:
            return "agent '\(agent)': the model's stream ended without a final response"
        case .cutOff(let maxTokens):
            let limit = maxTokens.map { "its maxTokens of \($0)" } ?? "the model's token limit"
            return "agent '\(agent)': the answer was cut off at \(limit); raise maxTokens or ask for a shorter answer"
        }
    }
}
