/// What an ``OrchestrationSelector`` chose: the type, how sure it is, why, and who decided.
///
/// ```swift
/// let choice = try await selector.select("What is the capital of France?")
/// choice.type         // .simple
/// choice.confidence   // 0.95
/// choice.reason       // "no rule matched; the default ladder scores simple 0.98, planner 0.02, …"
/// choice.decidedBy    // .rules
/// ```
public struct OrchestrationChoice: Sendable, Hashable, Codable, CustomStringConvertible, Auditable {
    /// Who made the choice.
    public enum Decider: String, Sendable, Hashable, Codable, CaseIterable {
        /// A rule-based selector: one of its rules, or its default ladder.
        case rules
        /// A model, whose answer was used.
        case model
        /// A model was asked, but its answer was not used — it failed, broke the schema, or was not sure
        /// enough — and the fallback selector (the rules, by default) chose.
        case fallback
    }

    /// The orchestration type.
    public var type: OrchestrationType
    /// How sure the selector is, from 0 to 1.
    public var confidence: Double
    /// Why, for a person: which rule, keywords or scores decided, or why the model was overruled.
    public var reason: String
    /// Who made the choice.
    public var decidedBy: Decider
    /// The name of the rule that chose, when one did.
    public var rule: String?

    /// Creates a choice.
    ///
    /// - Parameters:
    ///   - type: The orchestration type.
    ///   - confidence: How sure the selector is; kept between 0 and 1.
    ///   - reason: Why, for a person.
    ///   - decidedBy: Who made the choice.
    ///   - rule: The name of the rule that chose, when one did.
    public init(
        type: OrchestrationType, confidence: Double, reason: String, decidedBy: Decider, rule: String? = nil
    ) {
        self.type = type
        self.confidence = confidence.isNaN ? 0 : min(max(confidence, 0), 1)
        self.reason = reason
        self.decidedBy = decidedBy
        self.rule = rule
    }

    private enum CodingKeys: String, CodingKey {
        case type, confidence, reason, decidedBy, rule
    }

    /// Decodes a choice, keeping its confidence between 0 and 1.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when a member is missing or of the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            type: try container.decode(OrchestrationType.self, forKey: .type),
            confidence: try container.decode(Double.self, forKey: .confidence),
            reason: try container.decode(String.self, forKey: .reason),
            decidedBy: try container.decode(Decider.self, forKey: .decidedBy),
            rule: try container.decodeIfPresent(String.self, forKey: .rule))
    }

    /// As in `planner (0.72, rules): no rule matched; …`.
    public var description: String {
        "\(type) (\(Self.format(confidence)), \(decidedBy.rawValue)): \(reason)"
    }

    /// The choice as a decision, as an ``AuditLog`` writes it: `selection`, choosing the type, with the
    /// reason, and the confidence, who decided and the rule as details. ``Orchestrator`` reports it for every run it
    /// starts to the logs attached with `attach(to:)`; a state that selects reports it with `context.emit(choice)`.
    public var decision: RunDecision? {
        var details = ["confidence": Self.format(confidence), "decidedBy": decidedBy.rawValue]
        details["rule"] = rule
        return RunDecision(.selection, choice: type.rawValue, reason: reason, details: details)
    }

    /// A confidence or score to two decimals, as reasons show it: `0.70`, `-0.50`. A value no `Int` holds — NaN, an
    /// infinity, or one set out of range after `init`, as ``confidence`` can be — is written as `Double` writes it,
    /// rather than trap.
    static func format(_ value: Double) -> String {
        guard value.isFinite, value.magnitude < 1e15 else { return String(value) }
        let hundredths = Int((value.magnitude * 100).rounded())
        let fraction = hundredths % 100
        return "\(value < 0 && hundredths > 0 ? "-" : "")\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
