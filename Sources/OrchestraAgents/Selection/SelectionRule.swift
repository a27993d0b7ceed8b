/// A rule of a ``RuleBasedSelector``: when a request has one of its keywords — and, if the rule says so, a
/// complexity in a range, a need for tools, an intent — choose its orchestration type.
///
/// ```swift
/// let rule = SelectionRule(
///     name: "monthly-report", type: .fixed, keywords: ["monthly report", "sales report"], priority: 100)
/// ```
///
/// In JSON (see ``RuleBasedSelector/init(json:tools:)``):
///
/// ```json
/// {"name": "monthly-report", "type": "fixed", "keywords": ["monthly report", "sales report"], "priority": 100,
///  "complexity": {"min": 0, "max": 0.5}, "needs_tools": false, "intent": "command", "confidence": 0.95}
/// ```
///
/// **Matching.** A rule matches a request when all of these hold:
/// - at least one keyword occurs in it as whole words, in order: case, diacritics and the punctuation between
///   words aside (`"look up"` matches `Look-up`, `résumé` matches `resume`, `search` does not match `research`);
/// - its complexity is within ``complexity``, if the rule gives a range;
/// - its need for tools is ``needsTools``, if the rule says;
/// - its intent is ``intent``, if the rule says.
///
/// Of the rules that match, the one with the highest ``priority`` chooses; between equal priorities, the one
/// written first.
public struct SelectionRule: Sendable, Hashable, Codable {
    /// Unique among a selector's rules; the choice names it.
    public var name: String
    /// The type the rule chooses.
    public var type: OrchestrationType
    /// The words or phrases of which one must occur in the request.
    public var keywords: [String]
    /// Rules of higher priority are decided first; 0 by default.
    public var priority: Int
    /// The complexities, within 0…1, the request must have; any when `nil`.
    public var complexity: ClosedRange<Double>?
    /// Whether the request must need tools (`true`) or must not (`false`); either when `nil`.
    public var needsTools: Bool?
    /// The intent the request must have; any when `nil`.
    public var intent: RequestAnalysis.Intent?
    /// The confidence of the choices the rule makes, from 0 to 1; 0.9 by default.
    public var confidence: Double

    /// The confidence of a rule that does not give one.
    public static let defaultConfidence = 0.9

    /// Creates a rule; ``RuleBasedSelector/init(rules:tools:)`` checks it.
    ///
    /// - Parameters:
    ///   - name: Unique among the selector's rules.
    ///   - type: The type the rule chooses.
    ///   - keywords: The words or phrases of which one must occur; at least one.
    ///   - priority: Higher is decided first.
    ///   - complexity: The complexities the request must have, within 0…1; any when `nil`.
    ///   - needsTools: Whether the request must need tools; either when `nil`.
    ///   - intent: The intent the request must have; any when `nil`.
    ///   - confidence: The confidence of the choices the rule makes, from 0 to 1.
    public init(
        name: String, type: OrchestrationType, keywords: [String], priority: Int = 0,
        complexity: ClosedRange<Double>? = nil, needsTools: Bool? = nil, intent: RequestAnalysis.Intent? = nil,
        confidence: Double = SelectionRule.defaultConfidence
    ) {
        self.name = name
        self.type = type
        self.keywords = keywords
        self.priority = priority
        self.complexity = complexity
        self.needsTools = needsTools
        self.intent = intent
        self.confidence = confidence
    }

    private enum CodingKeys: String, CodingKey {
        case name, type, keywords, priority, complexity, intent, confidence
        case needsTools = "needs_tools"
    }

    private struct Bounds: Codable {
        var min: Double?
        var max: Double?
    }

    /// Decodes a rule as the rules format writes it, without the checks of
    /// ``RuleBasedSelector/init(json:tools:)``, which reports every problem with its path.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when a member is missing or of the wrong type, or the complexity's `min` is more
    ///   than its `max`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(OrchestrationType.self, forKey: .type)
        keywords = try container.decode([String].self, forKey: .keywords)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
        if let bounds = try container.decodeIfPresent(Bounds.self, forKey: .complexity) {
            let (lower, upper) = (bounds.min ?? 0, bounds.max ?? 1)
            guard lower <= upper else {
                throw DecodingError.dataCorruptedError(
                    forKey: .complexity, in: container,
                    debugDescription: "the complexity's min \(lower) is more than its max \(upper)")
            }
            complexity = lower...upper
        }
        needsTools = try container.decodeIfPresent(Bool.self, forKey: .needsTools)
        intent = try container.decodeIfPresent(RequestAnalysis.Intent.self, forKey: .intent)
        confidence = try container.decodeIfPresent(Double.self, forKey: .confidence) ?? Self.defaultConfidence
    }

    /// Encodes the rule as the rules format writes it.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(keywords, forKey: .keywords)
        try container.encode(priority, forKey: .priority)
        try container.encodeIfPresent(
            complexity.map { Bounds(min: $0.lowerBound, max: $0.upperBound) }, forKey: .complexity)
        try container.encodeIfPresent(needsTools, forKey: .needsTools)
        try container.encodeIfPresent(intent, forKey: .intent)
        try container.encode(confidence, forKey: .confidence)
    }
}
