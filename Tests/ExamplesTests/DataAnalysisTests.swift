import Foundation
import OrchestraAgents
import OrchestraTesting
import Testing

@testable import data_analysis

@Suite("Data analysis")
struct DataAnalysisTests {
    static let workflow = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/Workflows/data-analysis.json")

    @Test("the seed's workflow runs offline: the query names the year, the chart and report run side by side")
    func offline() async throws {
        let recorder = EventRecorder()
        let result = try await DataAnalysis.run(
            year: 2024, workflow: Self.workflow, model: AnalystModel.make(pace: .zero), watch: false,
            recorder: .synchronous { recorder.record($0) })
        #expect(
            DataAnalysis.render(result) == """
                Sales report
                ============
                Sales totalled 548 across 3 regions (north, south, west); north led with 255.

                Totals by region:
                ██████████████████████████████ 255
                █████████████████████ 175
                ██████████████ 118
                """)
        let started = recorder.events.filter { $0.kind.name == "stateStarted" }.map(\.path.description)
        #expect(
            started == [
                "data-analysis", "data-analysis/load_data", "data-analysis/analyze", "data-analysis/visualize",
                "data-analysis/visualize/chart", "data-analysis/visualize/report",
            ]
                || started == [
                    "data-analysis", "data-analysis/load_data", "data-analysis/analyze", "data-analysis/visualize",
                    "data-analysis/visualize/report", "data-analysis/visualize/chart",
                ])
    }

    @Test("a tool that keeps failing is retried as the workflow says, then fails the run naming the step")
    func failingTool() async throws {
        let clock = ManualClock()
        let recorder = EventRecorder()
        let run = Task {
            try await DataAnalysis.run(
                year: 1999, workflow: Self.workflow, model: AnalystModel.make(pace: .zero), watch: false,
                recorder: .synchronous { recorder.record($0) }, options: OrchestrationOptions(clock: clock))
        }
        // load_data has three attempts, and two waits between them on the manual clock, each due within a second
        // or so — unlike the step's 30-second timeout, which also sleeps on it while an attempt runs.
        for _ in 0..<2 {
            var polls = 0
            while polls < 10_000, clock.nextDeadline.map({ clock.now.duration(to: $0) <= .seconds(2) }) != true {
                try await Task.sleep(for: .milliseconds(1))
                polls += 1
            }
            clock.advance(by: .seconds(2))
        }
        do {
            _ = try await run.value
            Issue.record("a year with no sales was analysed")
        } catch let error as OrchestrationError {
            #expect(error.state == "data-analysis/load_data")
            #expect("\(error.underlying.map { "\($0)" } ?? "")" == "no sales for year 1999; the years are 2024, 2025")
        }
        #expect(recorder.events.filter { $0.kind.name == "retrying" }.count == 2)
    }

    @Test("the chart tool draws what a real model may choose: zeros and negative values included")
    func chartValues() async throws {
        #expect(
            try await SalesTools.chartCreate.call(arguments: ["values": [0, 0]]) == [
                "chart": "(no positive values to draw: [0.0, 0.0])"
            ])
        #expect(
            try await SalesTools.chartCreate.call(arguments: ["values": [-3, 6]]) == [
                "chart": "█ -3\n██████████████████████████████ 6"
            ])
    }

    @Test("a bad command line is refused with exit status 64; a workflow that does not check is named")
    func commandLine() async throws {
        #expect(await DataAnalysisCommand.run(["--year", "soon"], output: { _ in }) == 64)
        #expect(await DataAnalysisCommand.run(["--pace"], output: { _ in }) == 64)
        #expect(await DataAnalysisCommand.run(["--bogus", "1"], output: { _ in }) == 64)
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID()).json")
        try Data(#"{"name": "x", "version": "1", "steps": [{"id": "a", "kind": "tool", "tool": "fax"}]}"#.utf8)
            .write(to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        do {
            _ = try await DataAnalysis.run(
                year: 2025, workflow: broken, model: AnalystModel.make(pace: .zero), watch: false)
            Issue.record("a workflow naming an unknown tool ran")
        } catch let error as DataAnalysis.Failure {
            #expect(error.status == 64)
            #expect(error.description.contains("$.steps[0].tool: no tool 'fax' is registered"))
        }
    }
}
