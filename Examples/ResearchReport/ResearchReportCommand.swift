import Foundation
import OrchestraAgents
import Synchronization

/// `research-report [TOPIC] [OPTIONS]`: the research-report orchestration, watched live.
/// `research-report --help` lists the options.
@main
struct ResearchReportCommand {
    static func main() async {
        let status = await run(
            Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
            output: .standardOutput, errors: .standardError)
        exit(status)
    }

    /// Everything the command does, with its outputs passed in so that tests can read them.
    ///
    /// - Returns: The exit status: 0 when the report is written, 1 when the run fails, 64 for a bad command line.
    static func run(
        _ arguments: [String], environment: [String: String], output: ConsoleMonitor.Output,
        errors: ConsoleMonitor.Output
    ) async -> Int32 {
        let options: ResearchReportOptions
        do {
            options = try ResearchReportOptions.parse(arguments, environment: environment)
        } catch {
            errors.write("research-report: \(error)\nRun 'research-report --help' for the options.\n")
            return 64
        }
        if options.help {
            output.write(ResearchReportOptions.help + "\n")
            return 0
        }

        let model: any ChatModel
        var modelName: String
        if let baseURL = options.baseURL {
            model = OpenAICompatibleModel(
                baseURL: baseURL, model: options.model, apiKey: options.apiKey ?? .openAIFromEnvironment)
            modelName = "\(options.model) at \(Self.shown(baseURL))"
        } else {
            model = OfflineModel.make(pace: options.pace)
            modelName = "the scripted model (offline)"
        }
        let orchestration: Orchestration<String, ReportData>
        do {
            orchestration = try researchOrchestration(model: model, settings: options.settings)
        } catch {
            errors.write("research-report: the web_search tool is not valid: \(error)\n")
            return 1
        }

        // The live view goes where the report does not, when the report is JSON.
        let view = options.json ? errors : output
        if !options.quiet {
            ConsoleMonitor(view, style: options.plain ? .plain : .automatic).attach(to: orchestration)
            view.write("Researching \"\(options.topic)\" with \(modelName)\n")
        }
        // The model that answered, as the server names it: a llama.cpp server runs its own whatever is asked for.
        let served = Mutex<String?>(nil)
        orchestration.onEvent(
            .synchronous { event in
                guard case .final(let response) = event.chunk(as: StreamChunk.self), let name = response.model else {
                    return
                }
                served.withLock { $0 = $0 ?? name }
            })
        let handle = orchestration.start(options.topic)
        let result = await handle.result
        await orchestration.waitForHooks()  // the live view has shown the whole run before the report follows
        let record = await handle.record
        if let baseURL = options.baseURL, let name = served.withLock({ $0 }) {
            modelName = "\(name) at \(Self.shown(baseURL))"
        }

        if options.json {
            let document = JSONReport(
                topic: options.topic, model: modelName, report: try? result.get(),
                error: result.failure.map(RunRecord.ErrorSummary.init), record: record)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            do {
                output.write(String(decoding: try encoder.encode(document), as: UTF8.self) + "\n")
            } catch {
                errors.write("research-report: the record could not be written as JSON: \(error)\n")
                return 1
            }
        }
        switch result {
        case .success(let report):
            if !options.json {
                let content = report.content.trimmingCharacters(in: .whitespacesAndNewlines)
                output.write("\n# \(report.title)\n\n\(report.summary)\n\n\(content)\n\n")
                output.write("Summary: \(ConsoleMonitor.summary(of: record)) · \(modelName)\n")
            }
            return 0
        case .failure(let error):
            errors.write("research-report: the run failed (\(error.code)): \(error.message)\n")
            return 1
        }
    }
}

extension ResearchReportCommand {
    /// `url` without a user name or password, which must not reach the screen or the JSON.
    static func shown(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "the server" }
        parts.user = nil
        parts.password = nil
        return parts.string ?? "the server"
    }
}

/// What `--json` writes.
struct JSONReport: Codable {
    var topic: String
    var model: String
    var report: ReportData?
    var error: RunRecord.ErrorSummary?
    var record: RunRecord
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
