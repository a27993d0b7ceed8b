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

    @Test("event-monitoring prints its six sections; an argument is refused")
    func eventMonitoring() async throws {
        let (status, output, _) = try await runExample("event-monitoring")
        #expect(status == 0)
        #expect(output.contains("== 6. The console monitor"))
        #expect(output.contains("🎉 Orchestration completed successfully"))
        let (refused, _, errors) = try await runExample("event-monitoring", ["--fast"])
        #expect(refused == 64)
        #expect(errors.contains("unexpected argument '--fast'"))
    }

    /// Everything `pipe` delivers until its writer closes it, read on a dispatch thread.
    private static func readToEnd(_ pipe: Pipe) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: pipe.fileHandleForReading.readDataToEndOfFile())
            }
        }
    }

    /// Runs an executable built next to the test binary, without ORCHESTRA_LLM_BASE_URL, and returns its exit
    /// status, standard output and standard error.
    private func runExample(_ name: String, _ arguments: [String] = []) async throws -> (Int32, String, String) {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates = [
            products.appendingPathComponent(name),
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent(name),
        ]
        let executable = try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "the '\(name)' executable was not built next to the tests (looked in \(candidates.map(\.path)))"
        )
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "ORCHESTRA_LLM_BASE_URL" }
        let (stdout, stderr) = (Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Each pipe is read on a thread of its own, off the concurrency pool, so that neither can fill up and stall
        // the child while the other is read; the exit is awaited without blocking a thread of the pool.
        async let output = Self.readToEnd(stdout)
        async let errors = Self.readToEnd(stderr)
        let (data, errorData) = await (output, errors)
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        return (
            process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
        )
    }
}
