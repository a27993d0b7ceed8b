/// One line of an ``AuditLog``, as members before they are redacted and written: one JSON object, keys sorted.
///
/// Every string that can hold what a user, a state or a server wrote is redacted as the line is written: `string`
/// values, and the keys and values of `strings`. Keys of objects are the log's own names, and `verbatim` strings
/// are what the log makes itself (ids, times, event names): redacting them could only break the line's shape — a
/// secret `2026` would cut the year out of every time.
struct AuditLine: Sendable {
    /// A member's value.
    enum Value: Sendable {
        /// Text from the run: redacted.
        case string(String)
        /// Text the log makes itself: an id, a time, a name of its own.
        case verbatim(String)
        case int(Int)
        case number(Double)
        case bool(Bool)
        /// Members named by the log.
        case object([String: Value])
        /// Members named by the run, as a decision's details: keys and values redacted.
        case strings([String: String])
    }

    private(set) var members: [String: Value] = [:]

    /// Sets a member; `nil` leaves it out.
    subscript(key: String) -> Value? {
        get { members[key] }
        set { members[key] = newValue }
    }

    /// Sets a string member; `nil` leaves it out.
    mutating func set(_ key: String, _ text: String?) {
        members[key] = text.map(Value.string)
    }

    /// Sets a member the log makes itself, written as it is; `nil` leaves it out.
    mutating func set(_ key: String, verbatim text: String?) {
        members[key] = text.map(Value.verbatim)
    }

    /// Sets a duration member, in seconds.
    mutating func set(_ key: String, seconds duration: Duration?) {
        members[key] = duration.map { .number($0.jsonSeconds) }
    }

    /// The line as JSON on one line, every string from the run passed through `redactor`.
    func json(redacting redactor: Redactor) -> String {
        var output = ""
        Self.write(.object(members), to: &output, redactor)
        return output
    }

    private static func write(_ value: Value, to output: inout String, _ redactor: Redactor) {
        switch value {
        case .string(let text): quote(redactor.redact(text), to: &output)
        case .verbatim(let text): quote(text, to: &output)
        case .int(let number): output += String(number)
        case .number(let number): output += number.isFinite ? String(number) : "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                quote(key, to: &output)
                output += ":"
                if let member = members[key] { write(member, to: &output, redactor) }
            }
            output += "}"
        case .strings(let members):
            // Keys that redact alike are one member: a JSON object whose keys repeat is read differently by each reader.
            let redacted = Dictionary(
                members.map { (redactor.redact($0.key), redactor.redact($0.value)) },
                uniquingKeysWith: { first, _ in first })
            output += "{"
            for (index, member) in redacted.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output += "," }
                quote(member.key, to: &output)
                output += ":"
                quote(member.value, to: &output)
            }
            output += "}"
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, and the line and paragraph
    /// separators too, so that the line is one line to every reader.
    private static func quote(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _
            where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
