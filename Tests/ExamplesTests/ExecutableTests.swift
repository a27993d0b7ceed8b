import Foundation
import Testing

/// Runs each example's built executable, as a user would, and checks what it prints.
@Suite("Examples")
struct ExampleTests {
    @Test("quick-start runs the three-state machine offline and prints its lifecycle and result")
    func quickStart() async throws {
        let (status, output, _) = try await runExample("quick-start")
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        let transitions = lines.filter { $0.contains(" -> ") && $0.hasPrefix("[") }
        #expect(
            transitions.map { $0.drop { $0 != "]" }.dropFirst(2) } == [
                "Planner -> Notes", "Notes -> Writer", "Writer -> Notes", "Notes -> Writer",
            ]
        )
        #expect(lines.contains { $0.contains("run completed after 5 states") })
        #expect(lines.last == "Result: AI in healthcare: Background, Current use, Risks, Open questions")
    }

    @Test("research-report runs offline by default, printing the live view, the report and a summary")
    func researchReport() async throws {
        let (status, output, errors) = try await runExample("research-report", ["--pace", "0", "--offline"])
        #expect(status == 0, "stderr: \(errors)")
        #expect(output.contains("→ Planning → Research"))
        #expect(output.contains("\n# AI in healthcare: a research report\n"))
        #expect(output.split(separator: "\n").last?.hasPrefix("Summary: 6 states · ") == true)
    }

    @Test("research-report refuses a bad flag with a message and exit status 64")
    func researchReportBadFlag() async throws {
        let (status, output, errors) = try await runExample("research-report", ["--max-searches", "99"])
        #expect(status == 64)
        #expect(output.isEmpty)
        #expect(errors.hasPrefix("research-report: --max-searches must be a whole number from 1 to 8, not '99'"))
    }

    @Test("data-analysis runs the seed's workflow offline, printing the report and the chart; a bad year is refused")
    func dataAnalysis() async throws {
        let (status, output, errors) = try await runExample("data-analysis", ["--pace", "0", "--year", "2025"])
        #expect(status == 0, "stderr: \(errors)")
        #expect(output.hasPrefix("Sales report\n============\nSales totalled 613 across 3 regions"))
        #expect(errors.contains("✓ data-analysis/visualize/chart"))
        let (refused, _, message) = try await runExample("data-analysis", ["--year", "next"])
        #expect(refused == 64)
        #expect(message == "data-analysis: --year must be a year, not 'next'\n")
    }

    @Test("event-monitoring prints its ten sections and writes its exports; a bad argument is refused")
    func eventMonitoring() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "event-monitoring-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (status, output, errors) = try await runExample("event-monitoring", ["--out", directory.path])
        #expect(status == 0, "stderr: \(errors)")
        #expect(output.contains("== 6. The console monitor"))
        #expect(output.contains("🎉 Orchestration completed successfully"))
        #expect(output.contains("== 8. Spans"))
        #expect(output.contains("== 10. The audit log"))
        for file in [
            "machine.mmd", "machine.dot", "run.json", "timeline.mmd", "metrics.md", "heatmap.mmd", "audit.jsonl",
        ] {
            #expect(FileManager.default.fileExists(atPath: directory.appending(path: file).path), "\(file)")
        }
        let (refused, _, message) = try await runExample("event-monitoring", ["--fast"])
        #expect(refused == 64)
        #expect(message.contains("unexpected argument '--fast'"))
        let (noDirectory, _, why) = try await runExample("event-monitoring", ["--out"])
        #expect(noDirectory == 64)
        #expect(why.contains("--out needs a directory"))
    }
}
