/// Text with references to the workflow's input and to upstream steps' outputs, as in
/// `"Summarise ${load_data.output.rows} for ${input.region}"`.
///
/// A reference is `${input}` or `${input.path}`, or `${step.output}` or `${step.output.path}`, where `step` is a
/// step's id and `path` is keys and indices separated by dots (`rows.0.total`). `$$` writes a `$`.
public struct WorkflowTemplate: Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    /// The text cut into literal runs and references, in order.
    public let parts: [Part]

    /// A literal run of text, or a reference.
    public enum Part: Sendable, Hashable {
        /// Text as it is.
        case literal(String)
        /// A value to put in its place.
        case reference(WorkflowReference)
    }

    /// Parses `text`.
    ///
    /// - Parameter text: The template.
    /// - Throws: A message saying what is malformed, as in `"${load_data" is not closed with }`.
    public init(_ text: String) throws(WorkflowTemplate.Malformed) {
        var parts: [Part] = []
        var literal = ""
        var rest = text[...]
        while let dollar = rest.firstIndex(of: "$") {
            literal += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                literal += "$"
                rest = after.dropFirst()
                continue
            }
            guard after.first == "{" else {
                literal += "$"
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else {
                throw Malformed(problem: "\"$\(after.prefix(40))\" is not closed with }")
            }
            let body = String(after[after.index(after: after.startIndex)..<close])
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.reference(try WorkflowReference(parsing: body)))
            rest = after[after.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.text = text
        self.parts = parts
    }

    /// Why a template could not be read.
    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, as in `"${load_data" is not closed with }`.
        public var problem: String
        /// The problem.
        public var description: String { problem }
    }

    /// The references, in order.
    public var references: [WorkflowReference] {
        parts.compactMap { if case .reference(let reference) = $0 { reference } else { nil } }
    }

    /// The text as written.
    public var description: String { text }
}

/// A value a template refers to: the workflow's input or a step's output, and a path into it.
public struct WorkflowReference: Sendable, Hashable, CustomStringConvertible {
    /// Where the value comes from.
    public enum Source: Sendable, Hashable {
        /// The workflow's input.
        case input
        /// The output of the step with this id.
        case step(String)
    }

    /// Where the value comes from.
    public var source: Source
    /// The keys and indices to follow from there, as in `["rows", "0", "total"]`.
    public var path: [String]

    /// Parses the inside of `${…}`, as `analyze.output.summary` or `input.region`.
    init(parsing body: String) throws(WorkflowTemplate.Malformed) {
        let components = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = components.first, !first.isEmpty, !components.contains(where: \.isEmpty) else {
            throw WorkflowTemplate.Malformed(
                problem: "\"${\(body)}\" is not a reference: write ${step.output.path} or ${input.path}")
        }
        if first == "input" {
            source = .input
            path = Array(components.dropFirst())
        } else {
            guard components.count >= 2, components[1] == "output" else {
                throw WorkflowTemplate.Malformed(
                    problem:
                        "\"${\(body)}\" is not a reference: a step's value is ${\(first).output} or ${\(first).output.path}"
                )
            }
            source = .step(first)
            path = Array(components.dropFirst(2))
        }
    }

    /// The step it refers to, if any.
    public var step: String? {
        if case .step(let id) = source { return id }
        return nil
    }

    /// As written, as in `${analyze.output.summary}`.
    public var description: String {
        let head =
            switch source {
            case .input: "input"
            case .step(let id): "\(id).output"
            }
        return "${" + ([head] + path).joined(separator: ".") + "}"
    }
}
