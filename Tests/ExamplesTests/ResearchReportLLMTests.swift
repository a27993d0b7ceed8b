import Foundation
import Testing

@testable import research_report

/// The research report against the real local llama.cpp server (`Scripts/llm-server start`; CI always runs it).
/// A 135M-parameter model writes poor prose, so the assertions are on the run and the report's shape.
@Suite(
    "Research report on the local llama.cpp server",
    .enabled(
        if: ProcessInfo.processInfo.environment["ORCHESTRA_LLM_BASE_URL"] != nil,
        "ORCHESTRA_LLM_BASE_URL is not set; run `export ORCHESTRA_LLM_BASE_URL=$(Scripts/llm-server start)` to run these"
    ))
struct ResearchReportLLMTests {
    @Test("the same machine completes against a real model and writes a well-formed report")
    func realModel() async throws {
        try await withLocalLLMServer { try await realModelAlone() }
    }

    /// `realModel`, while no test that reads the server's state runs.
    private func realModelAlone() async throws {
        let (output, errors) = (Written(), Written())
        let status = await ResearchReportCommand.run(
            ["AI in healthcare", "--max-searches", "2", "--json", "--plain"],
            environment: ProcessInfo.processInfo.environment, output: output.output, errors: errors.output)
        #expect(status == 0, "stderr: \(errors.all)")
        let document = try JSONReport.decode(output.all)
        #expect(document.model.hasPrefix("smollm2-135m at http://"))  // as the server names it, not as asked
        let report = try #require(document.report)
        for (field, text) in [("title", report.title), ("summary", report.summary), ("content", report.content)] {
            #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "the report's \(field) is empty")
        }
        let record = document.record
        #expect(record.status == .completed)
        #expect(record.statesVisited.first == "Planning")
        #expect(record.statesVisited.last == "Reporting")
        #expect(record.statesVisited.filter { $0 == "Search" }.count >= 1)
        #expect(record.tokens.completionTokens > 0)  // from the server's usage, per state
        #expect(errors.all.contains("✓ run "))  // the live view, on standard error
    }
}
