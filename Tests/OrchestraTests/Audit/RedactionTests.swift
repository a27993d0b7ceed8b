import Foundation
import OrchestraTesting
import Synchronization
import Testing

@testable import Orchestra

@Suite("Audit log: secrets are never written", .timeLimit(.minutes(1)))
struct RedactionTests {
    /// A secret of its own per test, so that the process-wide registry of one test cannot hide a leak in another.
    static func secret(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(13))" }

    struct Leak: Error, CustomStringConvertible {
        var description: String
    }

    @Test("a planted secret in every place a careless log would write it is not in the log; the marker is")
    func plantedSecrets() async throws {
        let marked = Self.secret("marked")
        let markedLater = Self.secret("later")
        let password = Self.secret("password")
        let token = Self.secret("token")
        let detail = Self.secret("detail")
        let lines = AuditLines()
        let log = lines.log(redacting: [marked])
        log.redact(markedLater)
        let sensitive = Sensitive(password)
        _ = Sensitive(detail)  // marked where it was made, far from the log

        let login = Runnable<Sensitive<String>, String>("Login") { input, context in
            context.record(
                RunDecision(.route, choice: "as \(marked)", reason: "because \(markedLater)", details: [detail: detail])
            )
            throw Leak(description: "login refused for password \(input.value), key \(marked)")
        }
        .retry(RetryPolicy(maxAttempts: 2, initialDelay: .zero, jitter: .none))
        .fallback(
            to: Runnable("Retry with header") { _, _ in
                throw Leak(description: "upstream said: Authorization: Bearer \(token) rejected")
            })
        let orchestration = Orchestration(login, options: .init(clock: ManualClock()))
        log.attach(to: orchestration)
        _ = await orchestration.start(sensitive).result
        await orchestration.waitForHooks()

        let written = lines.raw.joined(separator: "\n")
        for secret in [marked, markedLater, password, token, detail] {
            #expect(!written.contains(secret), "\(secret.prefix(8))… was written")
        }
        _ = try lines.objects()
        #expect(try lines.lines("retrying", "fallback", "runFailed", "decision").count == 5)
        let decision = try #require(try lines.lines("decision").first)  // one per attempt
        #expect(decision["choice"] as? String == "as <redacted>")
        #expect(decision["reason"] as? String == "because <redacted>")
        #expect(decision["details"] as? [String: String] == ["<redacted>": "<redacted>"])
        let retry = try #require(try lines.lines("retrying").first?["error"] as? [String: Any])
        #expect(retry["message"] as? String == "login refused for password <redacted>, key <redacted>")
        let failure = try #require(try lines.lines("runFailed").first?["error"] as? [String: Any])
        #expect((failure["message"] as? String)?.hasSuffix("upstream said: Authorization: <redacted>") == true)
    }

    @Test("a sensitive value prints as <redacted>: description, debug description, dump and interpolation")
    func sensitiveNeverPrints() {
        let secret = Self.secret("sensitive")
        let value = Sensitive(secret)
        var dumped = ""
        dump(value, to: &dumped)
        for shown in [value.description, value.debugDescription, "\(value)", String(reflecting: value), dumped] {
            #expect(!shown.contains(secret))
            #expect(shown.contains("<redacted>"))
        }
        #expect(value.value == secret)
    }

    @Test(
        "what looks like a credential is redacted even when nobody marked it",
        arguments: [
            ("Authorization: Bearer abc.DEF-123_x", "Authorization: <redacted>"),
            ("curl -H 'authorization: Basic dXNlcjpwYXNz' …", "curl -H 'authorization: <redacted>"),
            ("sent Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc to it", "sent Bearer <redacted> to it"),
            ("GET /v1/models?api_key=sk12345678&limit=3", "GET /v1/models?api_key=<redacted>&limit=3"),
            ("password = hunter22; user = ada", "password = <redacted>; user = ada"),
            (#"{"api_key": "k-1234567", "model": "gpt"}"#, #"{"api_key": "<redacted>", "model": "gpt"}"#),
            (#"{"Password":"a \"quoted\" one"}"#, #"{"Password":"<redacted>"}"#),
            ("key sk-proj-AbCdEf0123456789 was refused", "key <redacted> was refused"),
            ("X-API-Key: 0123456789abcdef", "X-API-Key: <redacted>"),
            ("the bearer of bad news", "the bearer of bad news"),
            ("GET /feed?access_token=Bearer abcdef123456", "GET /feed?access_token=<redacted> <redacted>"),
            ("tokens: 1,234 in, 56 out", "tokens: 1,234 in, 56 out"),
            ("login failed, password: hunter22 user: ada", "login failed, password: <redacted> user: ada"),
            ("client_secret:abc123def", "client_secret:<redacted>"),
            ("token: the next state", "token: the next state"),
        ])
    func shapes(text: String, expected: String) throws {
        let lines = AuditLines()
        try lines.log().record(RunDecision(.route, choice: "c", reason: text))
        #expect(try lines.objects().first?["reason"] as? String == expected)
    }

    @Test("a sensitive flag registers nothing: true and false stay in every line")
    func sensitiveFlag() throws {
        _ = Sensitive(true)
        _ = Sensitive([false])
        let lines = AuditLines()
        try lines.log().record(RunDecision(.route, choice: "c", reason: "the check was true, the retry false"))
        #expect(try lines.objects().first?["reason"] as? String == "the check was true, the retry false")
    }

    @Test("values shorter than four characters are not redacted: they would erase ordinary words")
    func shortValues() throws {
        let lines = AuditLines()
        let log = lines.log(redacting: ["on"])
        try log.record(RunDecision(.route, choice: "one", reason: "done"))
        #expect(try lines.objects().first?["choice"] as? String == "one")
    }

    @Test("a secret that contains another is redacted whole")
    func nestedSecrets() throws {
        let inner = Self.secret("inner")
        let outer = "x\(inner)y-outer"
        let lines = AuditLines()
        try lines.log(redacting: [inner, outer]).record(RunDecision(.route, choice: outer, reason: inner))
        let line = try #require(try lines.objects().first)
        #expect(line["choice"] as? String == "<redacted>" && line["reason"] as? String == "<redacted>")
    }

    @Test("two secrets that overlap in the text are both redacted whole: no tail of either is left")
    func overlappingSecrets() throws {
        let first = Self.secret("first")
        let tail = String(first.suffix(6))
        let second = tail + "-second-part"
        let lines = AuditLines()
        try lines.log(redacting: [first, second]).record(
            RunDecision(.route, choice: "c", reason: first + "-second-part"))
        let reason = try #require(try lines.objects().first?["reason"] as? String)
        #expect(!reason.contains("second-part"), "\(reason)")
        #expect(reason == "<redacted>")
    }

    @Test("a Sensitive optional, array or dictionary of strings registers the strings inside it")
    func sensitiveContainers() throws {
        let optional = Self.secret("optional")
        let element = Self.secret("element")
        let value = Self.secret("value")
        _ = Sensitive(Optional(optional))
        _ = Sensitive([element])
        _ = Sensitive(["name": value])
        let lines = AuditLines()
        try lines.log().record(RunDecision(.route, choice: optional, reason: "\(element) \(value)"))
        let written = lines.raw.joined()
        for secret in [optional, element, value] { #expect(!written.contains(secret), "\(secret.prefix(8))…") }
    }

    @Test("a secret that a following combining mark or joiner merges into another character is still redacted")
    func secretInsideAGraphemeCluster() throws {
        let secret = Self.secret("grapheme")
        let lines = AuditLines()
        let log = lines.log(redacting: [secret])
        try log.record(RunDecision(.route, choice: secret + "\u{301}", reason: "\u{200D}" + secret + "\u{200D}x"))
        let line = try #require(lines.raw.first)
        #expect(!line.contains(String(secret.dropLast())), "\(line)")
        let object = try #require(try lines.objects().first)
        #expect(object["choice"] as? String == "<redacted>\u{301}")
    }

    @Test("when the log cannot write, the hook failure it reports does not print the secret it was keeping out")
    func hookFailureIsRedacted() async throws {
        let card = Self.secret("card")
        let reported = Mutex<[String]>([])
        let charge = Runnable<Sensitive<String>, String>("Charge") { input, _ in
            throw Leak(description: "card \(input.value) declined; Authorization: Bearer abcdef123456")
        }
        let orchestration = Orchestration(
            charge, options: .init(onHookFailure: { failure in reported.withLock { $0.append("\(failure)") } }))
        struct DiskFull: Error {}
        AuditLog { _ in throw DiskFull() }.attach(to: orchestration)
        _ = await orchestration.start(Sensitive(card)).result
        await orchestration.waitForHooks()
        let descriptions = reported.withLock { $0 }
        #expect(!descriptions.isEmpty)
        for description in descriptions {
            #expect(!description.contains(card) && !description.contains("abcdef123456"), "\(description)")
        }
    }

    @Test("a marked value that is also one of the log's own words or part of its times leaves the line's shape whole")
    func ownWordsStay() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let year = String(calendar.component(.year, from: Date()))
        let lines = AuditLines()
        try lines.log(redacting: ["decision", year, "route"]).record(RunDecision(.route, choice: "c", reason: year))
        let line = try #require(try lines.objects().first)
        #expect(line["event"] as? String == "decision" && line["decision"] as? String == "<redacted>")
        #expect(line["reason"] as? String == "<redacted>")
        #expect((line["time"] as? String)?.hasPrefix(year) == true)
    }
}

@Suite("Audit log: the registry of secrets")
struct SecretRegistryTests {
    @Test("a pool keeps the most recently registered distinct values, at most its capacity")
    func bounded() {
        var pool = RecentSecrets(capacity: 3)
        let inserted = ["key-1", "key-2", "key-1", "key-3", "key-4"].map { pool.insert($0) }
        #expect(inserted == [true, true, false, true, true])
        // key-1 was registered again after key-2: key-2 is the oldest, and goes.
        #expect(pool.order == ["key-1", "key-3", "key-4"])
        let again = pool.insert("key-2")
        #expect(again && pool.order == ["key-3", "key-4", "key-2"])
    }

    @Test("a secret registered again and again stays, however many other values come and go between")
    func reusedSecretStays() {
        var pool = RecentSecrets(capacity: 4)
        for request in 0..<1_000 {
            _ = pool.insert("api-token")  // wrapped as Sensitive on every request
            _ = pool.insert("user-\(request)@example.com")
        }
        #expect(pool.order.contains("api-token"))
        #expect(pool.order.count == 4)
    }
}
