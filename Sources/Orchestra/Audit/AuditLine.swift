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

    private var members: [String: Value] = [:]

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
        // Built as bytes: appending to a `String` scalar by scalar cost more than the rest of the line.
        var output: [UInt8] = []
        output.reserveCapacity(512)
        Self.write(.object(members), to: &output, redactor)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ value: Value, to output: inout [UInt8], _ redactor: Redactor) {
        switch value {
        case .string(let text): quote(redactor.redact(text), to: &output)
        case .verbatim(let text): quote(text, to: &output)
        case .int(let number): output += String(number).utf8
        case .number(let number): output += (number.isFinite ? String(number) : "null").utf8
        case .bool(let flag): output += (flag ? "true" : "false").utf8
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                quote(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, to: &output, redactor)
            }
            output.append(UInt8(ascii: "}"))
        case .strings(let members):
            // Keys that redact alike are one member: a JSON object whose keys repeat is read differently by each reader.
            let redacted = Dictionary(
                members.map { (redactor.redact($0.key), redactor.redact($0.value)) },
                uniquingKeysWith: { first, _ in first })
            write(.object(redacted.mapValues(Value.verbatim)), to: &output, redactor)
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, and the line and paragraph
    /// separators too (U+2028, U+2029: `E2 80 A8`, `E2 80 A9` in UTF-8), so that the line is one line to every
    /// reader.
    private static func quote(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""): output += #"\""#.utf8
            case UInt8(ascii: "\\"): output += #"\\"#.utf8
            case UInt8(ascii: "\n"): output += #"\n"#.utf8
            case UInt8(ascii: "\r"): output += #"\r"#.utf8
            case UInt8(ascii: "\t"): output += #"\t"#.utf8
            case 0..<0x20, 0x7F: escape(UInt32(byte), to: &output)
            case 0xE2
            where index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                escape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &output)
                index += 2
            default: output.append(byte)
            }
            index += 1
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `\u` and four upper-case hex digits.
    private static func escape(_ scalar: UInt32, to output: inout [UInt8]) {
        let hex = String(scalar, radix: 16, uppercase: true)
        output += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
    }
}
