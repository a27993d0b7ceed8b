/// What reading the members of a JSON object can find wrong, whatever the format being read.
enum JSONMemberProblem {
    /// The value is not an object, or a member has another type than the one asked for.
    case wrongType
    /// A required member is not there.
    case missingField
    /// A member the format does not have.
    case unknownField
}

/// A reader of a JSON format that reads objects member by member and collects its problems with their paths:
/// the workflow definition's reader and the selection rules' share how members are read and reported, and each
/// says what a problem is in its own diagnostics.
protocol JSONMemberReader {
    /// Records a problem found at `path`.
    mutating func reportMember(_ problem: JSONMemberProblem, _ path: String, _ message: String)
}

extension JSONMemberReader {
    /// The members of an object, reporting a value that is not one and each member not in `allowed`, with the
    /// nearest allowed name as "did you mean".
    mutating func object(_ value: JSONValue, at path: String, allowed: [String]) -> [String: JSONValue]? {
        guard let members = value.objectValue else {
            reportMember(.wrongType, path, "expected an object, not \(value.typeName)")
            return nil
        }
        for key in members.keys.sorted() where !allowed.contains(key) {
            let near = allowed.filter { editDistance(key, $0) <= 2 }.sorted().first.map { "; did you mean '\($0)'?" }
            reportMember(.unknownField, JSONPath.appending(key, to: path), "unknown field '\(key)'\(near ?? "")")
        }
        return members
    }

    /// The member `key`, read by `read`; a missing member is reported when `required`, one of another type always.
    mutating func member<Value>(
        _ members: [String: JSONValue], _ key: String, at path: String, required: Bool, _ expected: String,
        _ read: (JSONValue) -> Value?
    ) -> Value? {
        guard let value = members[key] else {
            if required { reportMember(.missingField, path, "missing '\(key)': \(expected)") }
            return nil
        }
        guard let read = read(value) else {
            let found = value.numberValue != nil ? value.description : value.typeName
            reportMember(.wrongType, JSONPath.appending(key, to: path), "'\(key)' must be \(expected), not \(found)")
            return nil
        }
        return read
    }
}

/// The edit distance between two short strings, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let (a, b) = (Array(a), Array(b))
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(b.count, 1) where !b.isEmpty {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}
