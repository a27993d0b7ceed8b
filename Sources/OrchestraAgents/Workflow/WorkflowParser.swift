import Foundation

/// Reads a workflow definition from JSON, then checks it, collecting every problem with its JSON path.
///
/// Reading checks the shape — members, types, kinds, templates — and keeps every step it could read, with its
/// path; checking then judges what was read: ids, values, dependencies, cycles, references and tools. A
/// definition made in code goes through the checking half only, with paths from its structure.
struct WorkflowParser: JSONMemberReader {
    let tools: Set<String>?
    /// The ids of steps that have already run, for the rest of a plan: top-level steps may depend on them and
    /// refer to their outputs, and may not take their ids.
    let completed: Set<String>
    /// The ids of steps that have run, completed or failed, which no step may take.
    let taken: Set<String>
    private(set) var diagnostics: [WorkflowDiagnostic] = []

    init(tools: Set<String>?, completed: Set<String> = [], failed: Set<String> = []) {
        self.tools = tools
        self.completed = completed
        self.taken = completed.union(failed)
    }

    /// A step with where it was written, and its own steps likewise.
    struct Located {
        var step: WorkflowStep
        var path: String
        var children: [(member: String, steps: [Located])]
    }

    // MARK: Reading

    mutating func definition(_ value: JSONValue) -> WorkflowDefinition? {
        guard let members = object(value, at: "$", allowed: ["name", "version", "description", "steps", "output"])
        else { return nil }
        let name = string(members, "name", at: "$", required: true)
        let version = string(members, "version", at: "$", required: true)
        let description = string(members, "description", at: "$", required: false)
        let output = template(members, "output", at: "$", required: false)
        let located = steps(members, "steps", at: "$", required: true)
        if members["steps"]?.arrayValue?.isEmpty == true {
            report(.badValue, "$.steps", "a workflow needs at least one step")
        }
        check(located, output: output)
        guard let name, let version else { return nil }
        return WorkflowDefinition(
            name: name, version: version, description: description, steps: located.map(\.step), output: output)
    }

    private static let common = ["id", "kind", "depends_on", "retry", "timeout"]
    private static let members: [String: [String]] = [
        "llm": ["prompt", "instructions", "output_schema"], "tool": ["tool", "input"],
        "branch": ["condition", "then", "else"], "parallel": ["steps"], "loop": ["steps", "until", "max_iterations"],
        "input": ["prompt"],
    ]

    private mutating func steps(_ members: [String: JSONValue], _ key: String, at path: String, required: Bool)
        -> [Located]
    {
        guard let value = members[key] else {
            if required { reportMember(.missingField, path, "missing '\(key)': an array of steps") }
            return []
        }
        guard let elements = value.arrayValue else {
            report(.wrongType, "\(path).\(key)", "'\(key)' must be an array of steps, not \(value.typeName)")
            return []
        }
        return elements.indices.compactMap { step(elements[$0], at: "\(path).\(key)[\($0)]") }
    }

    private mutating func step(_ value: JSONValue, at path: String) -> Located? {
        let kindValue = value["kind"]
        let kind = kindValue?.stringValue
        let known = kind.flatMap { Self.members[$0] }
        let allowed = Self.common + (known ?? Self.members.values.flatMap { $0 })
        guard let members = object(value, at: path, allowed: allowed) else { return nil }
        let id = string(members, "id", at: path, required: true)
        switch kindValue {
        case nil:
            report(.missingField, path, "missing 'kind': one of \(WorkflowStep.Kind.names.joined(separator: ", "))")
        case .string(let name)? where known == nil:
            report(
                .badKind, "\(path).kind",
                "'\(name)' is not a kind of step; the kinds are \(WorkflowStep.Kind.names.joined(separator: ", "))")
        case .string?: break
        case let other?: report(.wrongType, "\(path).kind", "'kind' must be a string, not \(other.typeName)")
        }
        let dependsOn = stringArray(members, "depends_on", at: path)
        let retry = retry(members, at: path)
        let timeout = seconds(members, "timeout", at: path)
        var children: [(member: String, steps: [Located])] = []
        let parsedKind: WorkflowStep.Kind?
        switch kind {
        case "llm":
            let prompt = template(members, "prompt", at: path, required: true)
            let instructions = string(members, "instructions", at: path, required: false)
            let schema = outputSchema(members, at: path)
            parsedKind = prompt.map { .llm(prompt: $0, instructions: instructions, outputSchema: schema) }
        case "tool":
            let name = string(members, "tool", at: path, required: true)
            parsedKind = name.map { .tool(name: $0, input: members["input"] ?? .object([:])) }
        case "branch":
            let condition = condition(members, "condition", at: path, required: true)
            let then = steps(members, "then", at: path, required: true)
            let otherwise = steps(members, "else", at: path, required: false)
            children = [("then", then), ("else", otherwise)]
            parsedKind = condition.map { .branch(condition: $0, then: then.map(\.step), else: otherwise.map(\.step)) }
        case "parallel":
            let steps = steps(members, "steps", at: path, required: true)
            children = [("steps", steps)]
            parsedKind = .parallel(steps.map(\.step))
        case "loop":
            let steps = steps(members, "steps", at: path, required: true)
            let until = condition(members, "until", at: path, required: false)
            let maxIterations = integer(members, "max_iterations", at: path, required: true)
            children = [("steps", steps)]
            parsedKind = maxIterations.map { .loop(steps: steps.map(\.step), until: until, maxIterations: $0) }
        case "input":
            parsedKind = template(members, "prompt", at: path, required: true).map { .input(prompt: $0) }
        default:
            parsedKind = nil
        }
        guard let id, let parsedKind else { return nil }
        let step = WorkflowStep(id: id, kind: parsedKind, dependsOn: dependsOn, retry: retry, timeout: timeout)
        return Located(step: step, path: path, children: children)
    }

    private mutating func retry(_ members: [String: JSONValue], at path: String) -> WorkflowStep.Retry? {
        guard let value = members["retry"] else { return nil }
        guard let retry = object(value, at: "\(path).retry", allowed: ["max_attempts", "initial_delay"]) else {
            return nil
        }
        guard let attempts = integer(retry, "max_attempts", at: "\(path).retry", required: true) else { return nil }
        let delay = seconds(retry, "initial_delay", at: "\(path).retry")
        return WorkflowStep.Retry(maxAttempts: attempts, initialDelay: delay ?? .milliseconds(500))
    }

    private mutating func condition(_ members: [String: JSONValue], _ key: String, at path: String, required: Bool)
        -> WorkflowCondition?
    {
        guard let value = members[key] else {
            if required {
                report(
                    .missingField, path,
                    "missing '\(key)': a condition, as {\"value\": \"${step.output}\", \"equals\": true}")
            }
            return nil
        }
        let here = "\(path).\(key)"
        guard let condition = object(value, at: here, allowed: ["value"] + WorkflowCondition.Test.names) else {
            return nil
        }
        let tested = template(condition, "value", at: here, required: true)
        let operators = WorkflowCondition.Test.names.filter { condition[$0] != nil }
        guard operators.count == 1, let name = operators.first, let operand = condition[name] else {
            report(
                .badValue, here,
                "a condition needs exactly one test of \(WorkflowCondition.Test.names.joined(separator: ", ")); "
                    + (operators.isEmpty ? "it has none" : "it has \(operators.joined(separator: " and "))"))
            return nil
        }
        let test: WorkflowCondition.Test?
        switch name {
        case "equals": test = .equals(operand)
        case "not_equals": test = .notEquals(operand)
        case "greater_than": test = number(condition, name, at: here).map(WorkflowCondition.Test.greaterThan)
        case "less_than": test = number(condition, name, at: here).map(WorkflowCondition.Test.lessThan)
        case "contains": test = string(condition, name, at: here, required: true).map(WorkflowCondition.Test.contains)
        default:
            test = operand.boolValue.map(WorkflowCondition.Test.exists)
            if test == nil {
                report(.wrongType, "\(here).exists", "'exists' must be true or false, not \(operand.typeName)")
            }
        }
        guard let tested, let test else { return nil }
        return WorkflowCondition(value: tested, test: test)
    }

    private mutating func outputSchema(_ members: [String: JSONValue], at path: String) -> JSONSchema? {
        guard let value = members["output_schema"] else { return nil }
        do {
            let schema = try JSONDecoder().decode(JSONSchema.self, from: JSONEncoder().encode(value))
            if let problem = schema.problems.first {
                report(.badValue, "\(path).output_schema", "the schema is unsound: \(problem)")
            }
            return schema
        } catch {
            report(
                .badValue, "\(path).output_schema", "'output_schema' is not a JSON Schema Orchestra can check: \(error)"
            )
            return nil
        }
    }

    // MARK: Members

    private mutating func string(_ members: [String: JSONValue], _ key: String, at path: String, required: Bool)
        -> String?
    {
        member(members, key, at: path, required: required, "a string", \.stringValue)
    }

    private mutating func template(_ members: [String: JSONValue], _ key: String, at path: String, required: Bool)
        -> WorkflowTemplate?
    {
        guard let text = string(members, key, at: path, required: required) else { return nil }
        do {
            return try WorkflowTemplate(text)
        } catch {
            report(.badReference, "\(path).\(key)", error.problem)
            return nil
        }
    }

    private mutating func stringArray(_ members: [String: JSONValue], _ key: String, at path: String) -> [String] {
        guard let value = members[key] else { return [] }
        guard let elements = value.arrayValue else {
            report(.wrongType, "\(path).\(key)", "'\(key)' must be an array of step ids, not \(value.typeName)")
            return []
        }
        return elements.indices.compactMap { index in
            guard let id = elements[index].stringValue else {
                report(
                    .wrongType, "\(path).\(key)[\(index)]",
                    "a step id must be a string, not \(elements[index].typeName)")
                return nil
            }
            return id
        }
    }

    private mutating func number(_ members: [String: JSONValue], _ key: String, at path: String) -> Double? {
        member(members, key, at: path, required: false, "a number", \.numberValue)
    }

    /// The longest duration a workflow may give, in seconds: about 31 years. `Duration.seconds` traps on a number
    /// past what it can hold, such as `1e300`; a workflow that far out is a mistake to report.
    private static let longestSeconds = 1e9

    /// A number of seconds as a `Duration`; a number past ``longestSeconds`` either way is reported, not converted.
    private mutating func seconds(_ members: [String: JSONValue], _ key: String, at path: String) -> Duration? {
        guard let value = number(members, key, at: path) else { return nil }
        guard value.magnitude <= Self.longestSeconds else {
            report(
                .badValue, "\(path).\(key)",
                "\(key) is \(value) seconds; it must be at most \(Int(Self.longestSeconds)) (about 31 years)")
            return nil
        }
        return .seconds(value)
    }

    private mutating func integer(_ members: [String: JSONValue], _ key: String, at path: String, required: Bool)
        -> Int?
    {
        member(members, key, at: path, required: required, "a whole number", \.intValue)
    }

    mutating func report(_ code: WorkflowDiagnostic.Code, _ path: String, _ message: String) {
        diagnostics.append(WorkflowDiagnostic(code, at: path, message))
    }

    mutating func reportMember(_ problem: JSONMemberProblem, _ path: String, _ message: String) {
        switch problem {
        case .wrongType: report(WorkflowDiagnostic.Code.wrongType, path, message)
        case .missingField: report(WorkflowDiagnostic.Code.missingField, path, message)
        case .unknownField: report(WorkflowDiagnostic.Code.unknownField, path, message)
        }
    }

}
