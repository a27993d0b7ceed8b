import Foundation
import OrchestraAgents
import OrchestraTesting
import Synchronization
import Testing

@testable import research_report

/// Text a command wrote.
final class Written: Sendable {
    private let text = Mutex("")
    var output: ConsoleMonitor.Output { ConsoleMonitor.Output { [self] piece in text.withLock { $0 += piece } } }
    var all: String { text.withLock { $0 } }
}

extension JSONReport {
    /// What `--json` wrote.
    static func decode(_ text: String) throws -> JSONReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(JSONReport.self, from: Data(text.utf8))
    }
}

@Suite("Research report")
struct ResearchReportTests {
    @Test("offline, the machine plans three searches, runs them in parallel with web_search, and writes the report")
    func offlineMachine() async throws {
        let model = OfflineModel.make()
        let orchestration = try researchOrchestration(model: model)
        #expect(orchestration.validate().isEmpty)
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start("AI in healthcare")
        let report = try await handle.value
        await orchestration.waitForHooks()
        let record = await handle.record

        #expect(report.title == "AI in healthcare: a research report")
        #expect(report.summary.contains("findings on AI in healthcare"))
        #expect(report.content.hasPrefix("## AI in healthcare: uses today\n"))
        #expect(report.content.contains("## AI in healthcare: risks, privacy and regulation"))
        #expect(report.content.contains("(https://example.org/health/ai-privacy)"))  // found by the risks search

        // The states, in order: the searches' children under Research, each with its own index.
        let paths = record.pathsVisited.map(\.description)
        #expect(paths.first == "Planning")
        #expect(paths.last == "Reporting")
        #expect(
            Set(paths.filter { $0.hasSuffix("/Search") }) == [
                "Research[0]/Search", "Research[1]/Search", "Research[2]/Search",
            ])
        let events = recorder.events(of: handle.id)
        let transitions = events.compactMap { event -> String? in
            if case .transition(let next) = event.kind { return "\(event.state) → \(next)" }
            return nil
        }
        #expect(transitions == ["Planning → Research", "Research → Reporting"])
        // Each search called the tool once, as a chunk of its own state.
        let toolCalls = events.compactMap { event -> String? in
            guard case .toolCall(let call) = event.chunk(as: StreamChunk.self) else { return nil }
            return "\(event.path) \(call.name)"
        }
        #expect(toolCalls.sorted() == (0..<3).map { "Research[\($0)]/Search web_search" })
        // Tokens: every model call's usage, in the record.
        // The offline model's estimates (4 characters a token) are the same in every run.
        #expect(
            record.steps.first { $0.state == "Planning" }?.tokens == TokenUsage(promptTokens: 63, completionTokens: 86))
        #expect(
            record.steps.first { $0.state == "Reporting" }?.tokens
                == TokenUsage(promptTokens: 278, completionTokens: 303))
        #expect(record.tokens == TokenUsage(promptTokens: 1168, completionTokens: 606))
        let expectedRequests = 8  // the plan; a tool call and the notes for each of 3 searches; the report
        #expect(model.requests.count == expectedRequests)
    }

    @Test("a model that fails for good fails the run at Planning, after the retries for passing errors")
    func failingModel() async throws {
        let calls = Mutex(0)
        let model = ScriptedModel { _ in
            calls.withLock { $0 += 1 }
            throw ModelError(.status(401, message: "invalid key"), endpoint: "test")
        }
        let orchestration = try researchOrchestration(model: model)
        let handle = orchestration.start("AI in healthcare")
        guard case .failure(let error) = await handle.result else {
            Issue.record("the run did not fail")
            return
        }
        #expect(error.state == "Planning")
        #expect(error.code == .stateFailed)
        #expect(calls.withLock { $0 } == 1)  // a 401 is not worth another attempt
    }

    @Test("a failed search leaves a gap in the report; notes cut off at the token limit are kept, marked")
    func partialResearch() async throws {
        struct Refused: Error {}
        let model = ScriptedModel { request in
            let prompt = request.messages.last { $0.role == .user }?.content ?? ""
            let notesTurn = request.messages.last?.role == .tool
            if prompt.contains("risks"), !request.tools.isEmpty { throw Refused() }
            if prompt.contains("evidence"), notesTurn {
                let cut = ChatResponse(message: .assistant("- Trials show bett"), finishReason: .length, usage: nil)
                return .response(cut)
            }
            return try OfflineModel.reply(to: request)
        }
        let orchestration = try researchOrchestration(model: model)
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start("AI in healthcare")
        let report = try await handle.value
        await orchestration.waitForHooks()
        #expect(report.content.contains("## AI in healthcare: uses today"))
        #expect(report.content.contains("- Trials show bett […]"))
        #expect(!report.content.contains("## AI in healthcare: risks"))
        let record = await handle.record
        #expect(record.steps.filter(\.failed).map(\.path.description) == ["Research[2]/Search"])
        let statuses = recorder.events(of: handle.id).compactMap { event -> String? in
            guard case .status(let text) = event.chunk(as: StreamChunk.self) else { return nil }
            return "\(event.path): \(text)"
        }
        #expect(statuses == ["Research[1]/Search: the notes were cut off at the token limit; keeping what was written"])
    }

    @Test("a plan or a report cut off at the token limit is written again; the report is asked to be shorter")
    func cutOffReport() async throws {
        let answers = Mutex<[String: Int]>([:])  // per schema, how many answers so far
        let model = ScriptedModel { request in
            guard case .jsonSchema(let name, _) = request.responseFormat else {
                return try OfflineModel.reply(to: request)
            }
            let answer = answers.withLock { answers in
                answers[name, default: 0] += 1
                return answers[name, default: 0]
            }
            guard answer > 1 else {  // the first plan and the first report stop at the token limit
                return .response(ChatResponse(message: .assistant(#"{"title":"AI"#), finishReason: .length))
            }
            return try OfflineModel.reply(to: request)
        }
        let orchestration = try researchOrchestration(model: model)
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start("AI in healthcare")
        #expect(try await handle.value.title == "AI in healthcare: a research report")
        await orchestration.waitForHooks()
        let retries = recorder.events(of: handle.id).filter { $0.kind.name == "retrying" }.map(\.state)
        #expect(retries == ["Planning", "Reporting"])
        let prompts = model.requests.filter { $0.responseFormat != .text }.compactMap { $0.messages.last?.content }
        #expect(prompts.count == 4)  // the plan twice, the cut-off report, the report
        #expect(prompts[1] == prompts[0])  // the plan is asked again as it was
        #expect(prompts.last?.hasPrefix("Topic: AI in healthcare\n\nResearch notes:\n" + Reporting.shorter) == true)
    }

    @Test("when every search fails, the run fails naming each failure")
    func everySearchFails() async throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "search is down" } }
        let model = ScriptedModel { request in
            if !request.tools.isEmpty { throw Refused() }
            return try OfflineModel.reply(to: request)
        }
        let orchestration = try researchOrchestration(model: model)
        do {
            _ = try await orchestration.run("AI in healthcare")
            Issue.record("the run completed")
        } catch {
            #expect(error.code == .conversionFailed)
            #expect(error.state == "Research")
            let findings = try #require(error.underlying as? NoFindings)
            #expect(
                findings.failures.map(\.state) == ["Research[0]/Search", "Research[1]/Search", "Research[2]/Search"])
            #expect(findings.description.hasPrefix("every search failed: state 'Research[0]/Search' threw at step"))
            #expect(findings.description.contains("search is down"))
        }
    }

    @Test("--json writes the report and the record; the live view goes to standard error")
    func jsonOutput() async throws {
        let (output, errors) = (Written(), Written())
        let status = await ResearchReportCommand.run(
            ["renewable", "energy", "--json", "--pace", "0", "--plain"], environment: [:], output: output.output,
            errors: errors.output)
        #expect(status == 0)
        let document = try JSONReport.decode(output.all)
        #expect(document.topic == "renewable energy")
        #expect(document.report?.title == "Renewable energy: a research report")
        #expect(document.error == nil)
        #expect(document.record.status == .completed)
        #expect(document.record.statesVisited.count == 6)
        #expect(errors.all.contains("→ Planning → Research"))
        #expect(errors.all.contains("✓ run "))
    }

    @Test("by default it prints the live view, then the report and a summary line")
    func humanOutput() async throws {
        let (output, errors) = (Written(), Written())
        let status = await ResearchReportCommand.run(
            ["--pace", "0"], environment: [:], output: output.output, errors: errors.output)
        #expect(status == 0)
        #expect(errors.all.isEmpty)
        let text = output.all
        #expect(text.hasPrefix("Researching \"AI in healthcare\" with the scripted model (offline)\n"))
        for line in ["✓ Planning", "→ Planning → Research", "▶ Research[2]/Search", "✓ Reporting"] {
            #expect(text.contains(line), "no '\(line)' in the live view")
        }
        #expect(text.contains("\n# AI in healthcare: a research report\n"))
        let summary = try #require(text.split(separator: "\n").last)
        #expect(summary.hasPrefix("Summary: 6 states · "))
        #expect(summary.hasSuffix(" tokens") == false && summary.contains(" tokens ("))
    }

    @Test("a server that cannot be reached fails the run with exit status 1 and a message naming the state")
    func unreachableServer() async throws {
        let (output, errors) = (Written(), Written())
        // A port that was just free, and that nothing listens on: the connection is refused at once.
        let port = try closedPort()
        let status = await ResearchReportCommand.run(
            ["--base-url", "http://127.0.0.1:\(port)", "--json", "--quiet"], environment: [:], output: output.output,
            errors: errors.output)
        #expect(status == 1)
        #expect(errors.all.hasPrefix("research-report: the run failed (state failed): state 'Planning'"))
        let document = try JSONReport.decode(output.all)
        #expect(document.report == nil)
        #expect(document.record.status == .failed)
        #expect(document.error?.state == "Planning")
    }

    @Test("--help lists every option and exits 0")
    func help() async {
        let (output, errors) = (Written(), Written())
        #expect(
            await ResearchReportCommand.run(["--help"], environment: [:], output: output.output, errors: errors.output)
                == 0)
        for option in [
            "--base-url", "--offline", "--model", "--api-key-env", "--max-searches", "--concurrency", "--max-tokens",
            "--note-tokens",
            "--pace", "--json", "--plain", "--quiet", "--help",
        ] {
            #expect(output.all.contains(option), "--help does not mention \(option)")
        }
    }

    @Test(
        "a bad command line names what is wrong and exits 64",
        arguments: [
            (["--bogus"], [:], "unknown option '--bogus'"),
            (["--max-searches", "0"], [:], "--max-searches must be a whole number from 1 to 8, not '0'"),
            (["--concurrency=nine"], [:], "--concurrency must be a whole number from 1 to 8, not 'nine'"),
            (["--base-url", "ftp://example.org"], [:], "--base-url 'ftp://example.org' is not an http or https URL"),
            (["--offline", "--base-url", "http://127.0.0.1:8080"], [:], "--offline and --base-url contradict"),
            (["--model"], [:], "--model needs a value"),
            (["--model", "--json"], [:], "--model needs a value"),
            (["--json=yes"], [:], "--json takes no value"),
            (
                ["--api-key-env", "NO_SUCH_KEY", "--base-url", "http://127.0.0.1:8080"], [:],
                "--api-key-env names NO_SUCH_KEY, which is not set or empty"
            ),
            (
                ["--api-key-env", "EMPTY"], ["EMPTY": "", "ORCHESTRA_LLM_BASE_URL": "http://127.0.0.1:8080"],
                "--api-key-env names EMPTY, which is not set or empty"
            ),
            ([String(repeating: "x", count: 101)], [:], "the topic has 101 characters; keep it to 100 or fewer"),
            (
                [], ["ORCHESTRA_LLM_BASE_URL": "localhost:8080"],
                "ORCHESTRA_LLM_BASE_URL 'localhost:8080' is not an http"
            ),
            (["  "], [:], "the topic is empty"),
        ] as [([String], [String: String], String)])
    func badCommandLine(arguments: [String], environment: [String: String], message: String) async {
        let (output, errors) = (Written(), Written())
        let status = await ResearchReportCommand.run(
            arguments, environment: environment, output: output.output, errors: errors.output)
        #expect(status == 64)
        #expect(errors.all.hasPrefix("research-report: \(message)"), "got: \(errors.all)")
        #expect(errors.all.hasSuffix("Run 'research-report --help' for the options.\n"))
        #expect(output.all.isEmpty)
    }

    @Test("--help wins over anything else that is wrong, so that it can say how to fix it")
    func helpFirst() async {
        for (arguments, environment) in [
            (["--bogus", "--help"], [:]), (["-h"], ["ORCHESTRA_LLM_BASE_URL": "not a url"]),
        ] as [([String], [String: String])] {
            let (output, errors) = (Written(), Written())
            let status = await ResearchReportCommand.run(
                arguments, environment: environment, output: output.output, errors: errors.output)
            #expect(status == 0)
            #expect(output.all.hasPrefix("USAGE: research-report"))
            #expect(errors.all.isEmpty)
        }
    }

    @Test("a topic of 100 characters runs offline, its plan and report within the schemas' limits")
    func longTopic() async throws {
        let topic = String(repeating: "long topic ", count: 9).trimmingCharacters(in: .whitespaces)
        let padded = topic + String(repeating: "s", count: 100 - topic.count)
        let orchestration = try researchOrchestration(model: OfflineModel.make())
        let report = try await orchestration.run(padded)
        #expect(report.title.count <= 100)
    }

    @Test("the server's URL is shown without its user name and password")
    func credentialsHidden() throws {
        let url = try #require(URL(string: "http://user:secret@127.0.0.1:8080/v1"))
        #expect(ResearchReportCommand.shown(url) == "http://127.0.0.1:8080/v1")
        let options = try ResearchReportOptions.parse(
            ["--api-key-env", "KEY"], environment: ["KEY": "sk-secret", "ORCHESTRA_LLM_BASE_URL": "http://h:1"])
        #expect(!"\(options)".contains("sk-secret"))
        #expect(options.apiKey == APIKey("sk-secret"))
    }

    @Test("options: the topic is every word, values may follow '=', and the environment names the server")
    func options() throws {
        let parsed = try ResearchReportOptions.parse(
            ["The", "future", "--max-searches=2", "of", "AI", "--", "--literally"], environment: [:])
        #expect(parsed.topic == "The future of AI --literally")
        #expect(parsed.settings.maxSearches == 2)
        #expect(parsed.baseURL == nil)
        let fromEnvironment = try ResearchReportOptions.parse([], environment: ["ORCHESTRA_LLM_BASE_URL": "http://h:1"])
        #expect(fromEnvironment.baseURL?.absoluteString == "http://h:1")
        let offline = try ResearchReportOptions.parse(
            ["--offline"], environment: ["ORCHESTRA_LLM_BASE_URL": "http://h:1"])
        #expect(offline.baseURL == nil)
    }
}

/// A local TCP port that nothing listens on: one the system just handed out, then closed.
func closedPort() throws -> UInt16 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EBADF) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socket in
            bind(descriptor, socket, length) == 0 && getsockname(descriptor, socket, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
    return UInt16(bigEndian: address.sin_port)
}
