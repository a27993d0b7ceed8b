/// Cuts secrets out of text before an ``AuditLog`` writes it: the values a user marked, the values the process
/// registered (``Sensitive`` values, API keys), and — in case a secret was never marked — whatever looks like a
/// credential: `Authorization` headers, bearer tokens, `api_key=…`, `"password": "…"`, `sk-…` keys.
struct Redactor {
    /// What stands where a secret was.
    static let marker = "<redacted>"

    private var marked: Set<String> = []
    private var registered: [String] = []
    private var registryVersion = -1
    /// Every value to look for.
    private var values: [String] = []

    /// Adds values the user marked sensitive; those shorter than ``SecretRegistry/minimumLength`` are ignored.
    mutating func mark(_ values: some Sequence<String>) {
        let added = values.filter { $0.count >= SecretRegistry.minimumLength }
        guard !added.isEmpty else { return }
        marked.formUnion(added)
        rebuild()
    }

    /// Takes in the secrets registered since the last call.
    mutating func refresh() {
        guard let (values, version) = SecretRegistry.values(ifChangedSince: registryVersion) else { return }
        registered = values
        registryVersion = version
        rebuild()
    }

    private mutating func rebuild() {
        // In no order: `redact` finds every occurrence of every value in the original text and merges the ranges.
        values = Array(marked.union(registered))
    }

    /// `text` with every known secret, and everything shaped like a credential, replaced by ``marker``.
    func redact(_ text: String) -> String {
        // Every occurrence of every value, overlapping ones included, found in the text as given and replaced
        // together: replaced one value after another, a secret overlapping one replaced before it would leave
        // its own tail behind. Found by Unicode scalars, not characters: a combining mark or a joiner written
        // after a secret merges its last character with the next, and a search by characters would miss it.
        let scalars = text.unicodeScalars
        var found: [Range<String.Index>] = []
        // The UTF-8 views first, which is cheap: Foundation's `contains` on strings bridges both to `NSString`.
        for value in values where text.utf8.contains(value.utf8) {
            var rest = scalars.startIndex
            while rest < scalars.endIndex, let range = scalars[rest...].firstRange(of: value.unicodeScalars) {
                found.append(range)
                rest = scalars.index(after: range.lowerBound)
            }
        }
        guard !found.isEmpty else { return redactingShapes(text) }
        found.sort { $0.lowerBound < $1.lowerBound }
        var redacted = String.UnicodeScalarView()
        var copied = scalars.startIndex
        var index = 0
        while index < found.count {
            var upper = found[index].upperBound
            let lower = found[index].lowerBound
            index += 1
            while index < found.count, found[index].lowerBound <= upper {
                upper = max(upper, found[index].upperBound)
                index += 1
            }
            redacted.append(contentsOf: scalars[copied..<lower])
            redacted.append(contentsOf: Self.marker.unicodeScalars)
            copied = upper
        }
        redacted.append(contentsOf: scalars[copied...])
        return redactingShapes(String(redacted))
    }

    /// `text` with what looks like a credential replaced: the value after a credential's name (a header, a query
    /// parameter, a JSON member), a bearer token, and keys of well-known shapes.
    func redactingShapes(_ text: String) -> String {
        guard Self.mayHoldShape(text) else { return text }
        var text = text
        for shape in shapes {
            text = text.replacing(shape.pattern) { match in
                shape.replacement((0..<match.output.count).map { match.output[$0].substring ?? "" })
            }
        }
        return text
    }

    /// Words without which no shape can match, in lower case: most text has none, and skips the patterns.
    private static let triggers: [[UInt8]] = [
        "auth", "key", "token", "secret", "pass", "bearer", "sk-", "gh", "akia", "xox",
    ].map { Array($0.utf8) }

    /// Whether `text` holds a trigger, in any ASCII case, compared at each of its bytes.
    private static func mayHoldShape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        for start in bytes.indices {
            triggers: for trigger in triggers where start + trigger.count <= bytes.count {
                for (offset, expected) in trigger.enumerated() {
                    let byte = bytes[start + offset]
                    // ASCII upper case to lower; other bytes as they are.
                    let lowered = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                    if lowered != expected { continue triggers }
                }
                return true
            }
        }
        return false
    }

    /// A pattern, and what a match becomes, from its groups (group 0 is the whole match).
    private struct Shape {
        var pattern: Regex<AnyRegexOutput>
        var replacement: ([Substring]) -> String
    }

    /// Compiled once per redactor: `Regex` is not `Sendable`, so each log keeps its own under its lock.
    private let shapes: [Shape] = {
        let marker = Self.marker
        let name =
            "(?:proxy-)?authorization|x-api-key|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|auth[_-]?token"
            + "|client[_-]?secret|secret|password|passwd|token"
        let patterns: [(String, ([Substring]) -> String)] = [
            // Bearer … wherever it stands; a shorter word after it is more likely prose ("bearer of"). First: a
            // name before it (`token=Bearer …`) would otherwise take the word `Bearer` for the value, and leave the
            // token.
            (#"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]{6,}=*"#, { "\($0[1]) \(marker)" }),
            // "api_key": "…", as a JSON member.
            (#"(?i)("(?:\#(name))"\s*:\s*)"(?:[^"\\]|\\.)*""#, { "\($0[1])\"\(marker)\"" }),
            // Authorization: Bearer …, as a header: everything to the end of the line.
            (
                #"(?i)\b((?:proxy-)?authorization|x-api-key|api-key)(\s*:\s*)[^\r\n"]+"#,
                { "\($0[1])\($0[2])\(marker)" }
            ),
            // api_key=…, as a query parameter or an assignment.
            (#"(?i)\b(\#(name))(\s*=\s*)[^\s&"',;]+"#, { "\($0[1])\($0[2])\(marker)" }),
            // password: …, as a log or a config line writes it; only names no prose uses bare, so that
            // "token: the next state" stays as it is.
            (
                #"(?i)\b((?:password|passwd|client[_-]?secret|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|auth[_-]?token))(\s*:\s*)[^\s&"',;]+"#,
                { "\($0[1])\($0[2])\(marker)" }
            ),
            // Keys of well-known shapes: OpenAI-style, GitHub, AWS access key ids, Slack.
            (
                #"\b(?:sk-[A-Za-z0-9_\-]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9\-]{10,})"#,
                { _ in marker }
            ),
        ]
        // The patterns are constants, checked by the tests: one that did not compile would be a bug here.
        return patterns.compactMap { pattern, replacement in
            (try? Regex(pattern)).map { Shape(pattern: $0, replacement: replacement) }
        }
    }()
}
