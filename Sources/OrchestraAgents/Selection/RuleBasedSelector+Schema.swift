extension RuleBasedSelector {
    /// The JSON Schema of a rules file, as in `Docs/Schemas/SelectionRules.schema.json`: for editors, and for
    /// people writing rules. Reading the rules checks more than the schema can say: that names are unique, and that
    /// every keyword has a letter or a digit.
    public static var schema: JSONSchema {
        var schema = JSONSchema.object(
            properties: [
                "rules": .array(
                    of: .reference(to: "Rule"),
                    description: "The rules; of those that match a request, the highest priority chooses, then the "
                        + "first written")
            ],
            required: ["rules"])
        var complexity = JSONSchema.object(
            properties: [
                "min": .number(minimum: 0, maximum: 1, description: "The least complexity; 0 by default"),
                "max": .number(minimum: 0, maximum: 1, description: "The most complexity; 1 by default"),
            ],
            description: "The complexities, from 0 to 1, the request must have")
        complexity.required = nil
        schema.title = "SelectionRules"
        schema.definitions = [
            "Rule": .object(
                properties: [
                    "name": .string(minLength: 1, description: "Unique among the rules; the choice names it"),
                    "type": .string(
                        oneOf: OrchestrationType.allCases.map(\.rawValue), description: "The type the rule chooses"),
                    "keywords": .array(
                        of: .string(minLength: 1), minItems: 1,
                        description: "Words or phrases of which one must occur in the request, as whole words; case, "
                            + "diacritics and punctuation between words aside"),
                    "priority": .integer(description: "Rules of higher priority are decided first; 0 by default"),
                    "complexity": complexity,
                    "needs_tools": .boolean(description: "Whether the request must need tools (true) or must not"),
                    "intent": .string(
                        oneOf: RequestAnalysis.Intent.allCases.map(\.rawValue),
                        description: "The intent the request must have"),
                    "confidence": .number(
                        minimum: 0, maximum: 1, description: "The confidence of the rule's choices; 0.9 by default"),
                ],
                required: ["name", "type", "keywords"],
                description: "When the request has one of the keywords, and the complexity, need for tools and intent "
                    + "the rule gives, choose the type")
        ]
        return schema
    }
}
