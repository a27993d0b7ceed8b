import Foundation

/// The values a step's templates can refer to: the workflow's input and the outputs of the steps that have
/// completed before it.
struct WorkflowScope: Sendable {
    var input: JSONValue
    var outputs: [String: JSONValue] = [:]
    /// Loops in their first iteration: `${loop.output}`, and any path into it, is `null` there.
    var unset: Set<String> = []

    /// The value `reference` names, or why there is none.
    func lookup(_ reference: WorkflowReference) -> Result<JSONValue, Missing> {
        var value: JSONValue
        var reached: String
        switch reference.source {
        case .input:
            value = input
            reached = "the workflow's input"
        case .step(let id):
            if unset.contains(id) { return .success(.null) }
            guard let output = outputs[id] else { return .failure(Missing(problem: "'\(id)' has not run")) }
            value = output
            reached = "the output of '\(id)'"
        }
        for key in reference.path {
            switch value {
            case .object(let members):
                guard let member = members[key] else {
                    let names = members.keys.sorted().joined(separator: ", ")
                    return .failure(
                        Missing(
                            problem: "\(reached) has no member '\(key)'"
                                + (names.isEmpty ? "; it is an empty object" : "; its members are \(names)")))
                }
                value = member
            case .array(let elements):
                guard let index = Int(key), elements.indices.contains(index) else {
                    return .failure(
                        Missing(
                            problem: "\(reached) is an array of \(elements.count); '\(key)' is not an index in it"))
                }
                value = elements[index]
            default:
                return .failure(
                    Missing(problem: "\(reached) is \(value.typeName) \(Self.excerpt(value)), which has no '\(key)'"))
            }
            reached += ".\(key)"
        }
        return .success(value)
    }

    /// Why a reference has no value.
    struct Missing: Error {
        var problem: String
    }

    /// The value `reference` names.
    ///
    /// - Throws: ``WorkflowRunError/Code/missingValue``, naming `step`.
    func value(_ reference: WorkflowReference, for step: String) throws(WorkflowRunError) -> JSONValue {
        switch lookup(reference) {
        case .success(let value): return value
        case .failure(let missing):
            throw WorkflowRunError(.missingValue, step: step, "\(reference) has no value: \(missing.problem)")
        }
    }

    /// The template with each reference replaced by its value: a string as it is, `null` as nothing, anything else
    /// as JSON.
    func text(_ template: WorkflowTemplate, for step: String) throws(WorkflowRunError) -> String {
        var text = ""
        for part in template.parts {
            switch part {
            case .literal(let literal): text += literal
            case .reference(let reference): text += Self.text(of: try value(reference, for: step))
            }
        }
        return text
    }

    /// A template's value: the value itself when the template is exactly one reference, its text otherwise.
    func value(_ template: WorkflowTemplate, for step: String) throws(WorkflowRunError) -> JSONValue {
        if template.parts.count == 1, case .reference(let reference) = template.parts[0] {
            return try value(reference, for: step)
        }
        return .string(try text(template, for: step))
    }

    /// A tool's input with the references in its strings replaced: a string that is exactly one reference by the
    /// value itself, any other string by its text.
    func resolve(_ input: JSONValue, for step: String) throws(WorkflowRunError) -> JSONValue {
        switch input {
        case .string(let text):
            guard text.contains("$") else { return input }
            let template: WorkflowTemplate
            do throws(WorkflowTemplate.Malformed) {
                template = try WorkflowTemplate(text)
            } catch {
                throw WorkflowRunError(.missingValue, step: step, "\"\(text)\" is not a template: \(error.problem)")
            }
            return try value(template, for: step)
        case .array(let elements):
            var resolved: [JSONValue] = []
            resolved.reserveCapacity(elements.count)
            for element in elements { resolved.append(try resolve(element, for: step)) }
            return .array(resolved)
        case .object(let members):
            var resolved: [String: JSONValue] = [:]
            for (key, member) in members { resolved[key] = try resolve(member, for: step) }
            return .object(resolved)
        case .null, .bool, .number:
            return input
        }
    }

    /// Whether `condition` holds.
    ///
    /// - Throws: ``WorkflowRunError`` for a value that is missing (except for `exists`) or cannot be compared.
    func holds(_ condition: WorkflowCondition, for step: String) throws(WorkflowRunError) -> Bool {
        if case .exists(let expected) = condition.test {
            let there: Bool
            if condition.value.parts.count == 1, case .reference(let reference) = condition.value.parts[0] {
                there = (try? lookup(reference).get()).map { !$0.isNull } ?? false
            } else {
                there = (try? text(condition.value, for: step)).map { !$0.isEmpty } ?? false
            }
            return there == expected
        }
        let value = try value(condition.value, for: step)
        switch condition.test {
        case .equals(let expected): return Self.equal(value, expected)
        case .notEquals(let expected): return !Self.equal(value, expected)
        case .greaterThan(let bound): return try number(value, condition, for: step) > bound
        case .lessThan(let bound): return try number(value, condition, for: step) < bound
        case .contains(let part):
            switch value {
            case .string(let text): return text.contains(part)
            case .array(let elements): return elements.contains(.string(part))
            default:
                throw WorkflowRunError(
                    .notComparable, step: step,
                    "\(condition.value) is \(value.typeName) \(Self.excerpt(value)); 'contains' needs a string or an array"
                )
            }
        case .exists: return true
        }
    }

    private func number(_ value: JSONValue, _ condition: WorkflowCondition, for step: String) throws(WorkflowRunError)
        -> Double
    {
        if case .number(let number) = value { return number }
        if case .string(let text) = value, let number = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            return number
        }
        throw WorkflowRunError(
            .notComparable, step: step,
            "\(condition.value) is \(value.typeName) \(Self.excerpt(value)), not a number to compare")
    }

    /// Equal as JSON — or, for text such as a model's answer, equal to a number or `true`/`false` it reads as,
    /// whichever side the text is on.
    private static func equal(_ value: JSONValue, _ expected: JSONValue) -> Bool {
        if value == expected { return true }
        if case .string = expected, value.stringValue == nil { return equal(expected, value) }
        guard case .string(let text) = value else { return false }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch expected {
        case .number(let number): return Double(trimmed) == number
        case .bool(let flag): return trimmed.lowercased() == (flag ? "true" : "false")
        case .string(let other): return trimmed == other
        default: return false
        }
    }

    /// A value as text in a prompt: a string as it is, `null` as nothing, anything else as JSON.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .null: ""
        default: value.description
        }
    }

    private static func excerpt(_ value: JSONValue) -> String {
        ModelError.excerpt(value.description, limit: 60)
    }
}
