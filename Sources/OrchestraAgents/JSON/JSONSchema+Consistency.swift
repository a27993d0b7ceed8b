extension JSONSchema {
    /// What is wrong with this schema itself, wherever in it: bounds that contradict each other (a `minLength`
    /// above the `maxLength`, a `minimum` above the `maximum`, a negative length or count), and `$ref`s to
    /// definitions the document does not have. Empty for a sound schema.
    ///
    /// Such a schema accepts no value, or none of the kind it meant; servers that compile schemas into grammars
    /// may refuse it, or worse — a llama.cpp server was seen to exhaust its memory on a `minLength` above the
    /// `maxLength`. ``OpenAICompatibleModel`` and ``ToolRegistry`` check schemas with it before sending them.
    ///
    /// ```swift
    /// JSONSchema.string(minLength: 5, maxLength: 2).problems
    /// // [$: minLength 5 is above maxLength 2]
    /// ```
    ///
    /// Paths are of the schema, as in `$.properties.steps.items`.
    public var problems: [Violation] {
        var problems: [Violation] = []
        collectProblems(at: "$", root: self, into: &problems)
        return problems
    }

    private func collectProblems(at path: String, root: JSONSchema, into problems: inout [Violation]) {
        func report(_ message: String) { problems.append(Violation(at: path, message)) }
        func bounds<T: Comparable>(_ lowName: String, _ low: T?, _ highName: String, _ high: T?) {
            if let low, let high, low > high { report("\(lowName) \(low) is above \(highName) \(high)") }
        }
        for (name, value) in [
            ("minLength", minLength), ("maxLength", maxLength), ("minItems", minItems), ("maxItems", maxItems),
        ] {
            if let value, value < 0 { report("\(name) \(value) is negative") }
        }
        bounds("minLength", minLength, "maxLength", maxLength)
        bounds("minItems", minItems, "maxItems", maxItems)
        bounds("minimum", minimum, "maximum", maximum)
        bounds("exclusiveMinimum", exclusiveMinimum, "exclusiveMaximum", exclusiveMaximum)
        if let reference, root.definition(for: reference) == nil {
            report("$ref \(reference) names no definition of this document's $defs")
        }
        if let allowed = allowedValues, allowed.isEmpty { report("enum is empty: no value is allowed") }
        for (name, property) in (properties ?? [:]).sorted(by: { $0.key < $1.key }) {
            property.collectProblems(at: "\(path).properties.\(name)", root: root, into: &problems)
        }
        if case .schema(let other) = additionalProperties {
            other.collectProblems(at: "\(path).additionalProperties", root: root, into: &problems)
        }
        items?.collectProblems(at: "\(path).items", root: root, into: &problems)
        for (index, branch) in (anyOf ?? []).enumerated() {
            branch.collectProblems(at: "\(path).anyOf[\(index)]", root: root, into: &problems)
        }
        for (name, definition) in (definitions ?? [:]).sorted(by: { $0.key < $1.key }) {
            definition.collectProblems(at: "\(path).$defs.\(name)", root: root, into: &problems)
        }
    }
}
