extension JSONSchema {
    /// A way a value breaks a schema: where, and how.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// Where in the value, as in `$.steps[2].tool`.
        public let path: String
        /// What is wrong there, as in `"srch" is not one of "search", "fetch"`.
        public let message: String

        /// Creates a violation: what is wrong in a value, and where.
        ///
        /// - Parameters:
        ///   - path: Where, as a JSON path: `$.steps[2].tool`.
        ///   - message: What is wrong there.
        public init(at path: String, _ message: String) {
            self.path = path
            self.message = message
        }

        /// The path and the message, as in `$.steps[2].tool: "srch" is not one of "search", "fetch"`.
        public var description: String { "\(path): \(message)" }
    }

    /// Every way `value` breaks this schema, in document order; empty when it is valid.
    ///
    /// - Parameter value: The value to check.
    /// - Returns: The violations, each with its JSON path.
    public func validate(_ value: JSONValue) -> [Violation] {
        var validation = Validation(root: self)
        validation.check(value, against: self, at: "$")
        return validation.violations
    }

    /// Whether `value` is valid against this schema.
    public func accepts(_ value: JSONValue) -> Bool { validate(value).isEmpty }
}

/// One validation's state: the document `$ref`s resolve in, the violations so far, and the references
/// being followed, so that a schema that refers to itself without consuming the value cannot loop.
private struct Validation {
    let root: JSONSchema
    var violations: [JSONSchema.Violation] = []
    private var following: Set<String> = []

    init(root: JSONSchema) { self.root = root }

    mutating func check(_ value: JSONValue, against schema: JSONSchema, at path: String) {
        if let reference = schema.reference {
            follow(reference, value, at: path)
        }
        if let types = schema.types, !types.contains(where: { Self.value(value, is: $0) }) {
            let expected = types.map(\.rawValue).joined(separator: " or ")
            report(path, "expected \(expected), found \(value.typeName) \(Self.quoted(value))")
            return  // The other keywords would only repeat that the type is wrong.
        }
        if let constant = schema.constant, value != constant {
            report(path, "\(Self.quoted(value)) is not \(Self.quoted(constant))")
        }
        if let allowed = schema.allowedValues, !allowed.contains(value) {
            report(path, "\(Self.quoted(value)) is not one of \(allowed.map(Self.quoted).joined(separator: ", "))")
        }
        switch value {
        case .number(let number): checkNumber(number, schema, path)
        case .string(let string): checkString(string, schema, path)
        case .array(let elements): checkArray(elements, schema, path)
        case .object(let members): checkObject(members, schema, path)
        case .null, .bool: break
        }
        if let branches = schema.anyOf { checkAnyOf(value, branches, path) }
    }

    private mutating func follow(_ reference: String, _ value: JSONValue, at path: String) {
        guard let target = root.definition(for: reference) else {
            report(path, "the schema's $ref '\(reference)' does not name one of its $defs")
            return
        }
        let key = "\(reference) at \(path)"
        guard following.insert(key).inserted else {
            report(path, "the schema's $ref '\(reference)' refers back to itself without a value to check")
            return
        }
        check(value, against: target, at: path)
        following.remove(key)
    }

    private mutating func checkNumber(_ number: Double, _ schema: JSONSchema, _ path: String) {
        let text = JSONValue.number(number).description
        if let minimum = schema.minimum, number < minimum {
            report(path, "\(text) is less than the minimum \(minimum)")
        }
        if let maximum = schema.maximum, number > maximum {
            report(path, "\(text) is more than the maximum \(maximum)")
        }
        if let bound = schema.exclusiveMinimum, number <= bound { report(path, "\(text) is not more than \(bound)") }
        if let bound = schema.exclusiveMaximum, number >= bound { report(path, "\(text) is not less than \(bound)") }
    }

    private mutating func checkString(_ string: String, _ schema: JSONSchema, _ path: String) {
        let length = string.count
        if let minLength = schema.minLength, length < minLength {
            report(path, "\(Self.quoted(.string(string))) has \(length) characters, fewer than \(minLength)")
        }
        if let maxLength = schema.maxLength, length > maxLength {
            report(path, "\(Self.quoted(.string(string))) has \(length) characters, more than \(maxLength)")
        }
    }

    private mutating func checkArray(_ elements: [JSONValue], _ schema: JSONSchema, _ path: String) {
        if let minItems = schema.minItems, elements.count < minItems {
            report(path, "has \(elements.count) elements, fewer than \(minItems)")
        }
        if let maxItems = schema.maxItems, elements.count > maxItems {
            report(path, "has \(elements.count) elements, more than \(maxItems)")
        }
        if let items = schema.items {
            for (index, element) in elements.enumerated() { check(element, against: items, at: "\(path)[\(index)]") }
        }
    }

    private mutating func checkObject(_ members: [String: JSONValue], _ schema: JSONSchema, _ path: String) {
        for name in schema.required ?? [] where members[name] == nil {
            report(path, "is missing the required member '\(name)'")
        }
        let properties = schema.properties ?? [:]
        for name in members.keys.sorted() {
            guard let member = members[name] else { continue }
            let memberPath = JSONPath.appending(name, to: path)
            if let property = properties[name] {
                check(member, against: property, at: memberPath)
            } else {
                switch schema.additionalProperties {
                case .forbidden: report(memberPath, "is not allowed here: the schema has no property '\(name)'")
                case .schema(let additional): check(member, against: additional, at: memberPath)
                case nil: break
                }
            }
        }
    }

    private mutating func checkAnyOf(_ value: JSONValue, _ branches: [JSONSchema], _ path: String) {
        var reasons: [String] = []
        for branch in branches {
            var attempt = Validation(root: root)
            attempt.following = following
            attempt.check(value, against: branch, at: path)
            guard let first = attempt.violations.first else { return }
            reasons.append(first.description)
        }
        report(path, "matches none of the \(branches.count) schemas of anyOf (\(reasons.joined(separator: "; ")))")
    }

    private mutating func report(_ path: String, _ message: String) {
        violations.append(JSONSchema.Violation(at: path, message))
    }

    private static func value(_ value: JSONValue, is type: JSONSchema.ValueType) -> Bool {
        switch (type, value) {
        case (.null, .null), (.boolean, .bool), (.number, .number), (.string, .string), (.array, .array),
            (.object, .object):
            true
        case (.integer, .number(let number)): number.isFinite && number.rounded() == number
        default: false
        }
    }

    /// The value as JSON, shortened past 60 characters, for messages.
    private static func quoted(_ value: JSONValue) -> String {
        let text = value.description
        return text.count > 60 ? text.prefix(57) + "…" : text
    }
}

/// JSON paths as messages write them: `$.steps[2].tool`, or `$["odd key"]` for a key that is not a
/// plain name.
enum JSONPath {
    static func appending(_ key: String, to path: String) -> String {
        let plain =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
            }
            && !("0"..."9").contains(key.unicodeScalars.first ?? "0")
        return plain ? "\(path).\(key)" : "\(path)[\(JSONValue.string(key))]"
    }
}
