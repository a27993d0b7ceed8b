import Foundation
import OrchestraAgents

/// The data-analysis workflow as the Fixed template, with the sales tools and a model.
enum DataAnalysis {
    /// Why the command stopped, and its exit status.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        var status: Int32
    }

    /// Reads the workflow, checks it against the tools, and runs it on `year`.
    ///
    /// - Parameters:
    ///   - watch: Whether a console monitor shows the run on standard error.
    ///   - recorder: A hook that also sees the run's events.
    ///   - options: The orchestration's options: a manual clock, in tests.
    static func run(
        year: Int, workflow url: URL, model: any ChatModel, watch: Bool, recorder: EventHook? = nil,
        options: OrchestrationOptions = OrchestrationOptions()
    ) async throws -> JSONValue {
        let tools = try SalesTools.registry()
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Failure(
                description: "cannot read the workflow \(url.path): \(error.localizedDescription)", status: 64)
        }
        let workflow: WorkflowDefinition
        do {
            workflow = try WorkflowDefinition(json: data, tools: tools)
        } catch {
            throw Failure(description: "\(url.lastPathComponent): \(error)", status: 64)
        }
        let fixed = try Orchestration.fixed(workflow, model: model, tools: tools, options: options)
        var subscriptions: [EventSubscription] = []
        if watch { subscriptions.append(fixed.onEvent(.console(.standardError))) }
        if let recorder { subscriptions.append(fixed.onEvent(recorder)) }
        defer { subscriptions.forEach { $0.cancel() } }
        let result = await fixed.start(["year": .number(Double(year))]).result
        await fixed.waitForHooks()
        return try result.get()
    }

    /// The chart and the report, for people.
    static func render(_ result: JSONValue) -> String {
        let chart = result["chart"]?["chart"]?.stringValue ?? result.description
        let report = result["report"]?.stringValue ?? ""
        return "\(report)\n\nTotals by region:\n\(chart)"
    }
}
