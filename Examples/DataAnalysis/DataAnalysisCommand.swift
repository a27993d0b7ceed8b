import Foundation
import OrchestraAgents

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `data-analysis`: runs seed 000's data-analysis workflow, `Examples/Workflows/data-analysis.json`, as the
/// Fixed template — load the sales, have a model analyse them, then draw a chart and write a report at once.
@main
struct DataAnalysisCommand {
    static let usage = """
        USAGE: data-analysis [--year <year>] [--workflow <file>] [--base-url <url>] [--pace <ms>]

        Runs the data-analysis workflow on a year's sales, offline on a scripted model by default.
          --year <year>      The year to analyse: 2024 or 2025 (default 2025).
          --workflow <file>  The workflow definition (default Examples/Workflows/data-analysis.json).
          --base-url <url>   An OpenAI-compatible server to use as the model, as http://127.0.0.1:8080.
          --pace <ms>        The scripted model's delay per chunk, to watch it stream (default 5).
        """

    static func main() async {
        switch await run(Array(CommandLine.arguments.dropFirst()), output: { print($0) }) {
        case 0: return
        case let status:
            exit(status)
        }
    }

    /// Runs the command: 0 on success, 64 for a bad command line, 1 for a failed run.
    static func run(_ arguments: [String], output: @escaping @Sendable (String) -> Void) async -> Int32 {
        func fail(_ message: String, status: Int32) -> Int32 {
            FileHandle.standardError.write(Data("data-analysis: \(message)\n".utf8))
            return status
        }
        if arguments.contains("--help") || arguments.contains("-h") {
            output(usage)
            return 0
        }
        var year = 2025
        var workflowPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Workflows/data-analysis.json").path
        var baseURL: URL?
        var pace = 5
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return fail("\(flag) needs a value (see --help)", status: 64) }
            switch flag {
            case "--year":
                guard let number = Int(value) else { return fail("--year must be a year, not '\(value)'", status: 64) }
                year = number
            case "--workflow": workflowPath = value
            case "--base-url":
                guard let url = URL(string: value), url.scheme == "http" || url.scheme == "https" else {
                    return fail("--base-url must be an http or https URL, not '\(value)'", status: 64)
                }
                baseURL = url
            case "--pace":
                guard let number = Int(value), (0...1_000).contains(number) else {
                    return fail("--pace must be milliseconds from 0 to 1000, not '\(value)'", status: 64)
                }
                pace = number
            default: return fail("unknown option '\(flag)' (see --help)", status: 64)
            }
        }
        let model: any ChatModel =
            baseURL.map { OpenAICompatibleModel(baseURL: $0, model: "default", apiKey: nil) }
            ?? AnalystModel.make(pace: .milliseconds(pace))
        do {
            let result = try await DataAnalysis.run(
                year: year, workflow: URL(fileURLWithPath: workflowPath), model: model, watch: true)
            output(DataAnalysis.render(result))
            return 0
        } catch let error as DataAnalysis.Failure {
            return fail(error.description, status: error.status)
        } catch {
            return fail("\(error)", status: 1)
        }
    }
}
