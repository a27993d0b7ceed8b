import Foundation
import Testing

/// Runs each example's built executable, as a user would, and checks what it prints.
@Suite("Examples")
struct ExampleTests {
    @Test("quick-start runs the three-state machine offline and prints its lifecycle and result")
    func quickStart() throws {
        let output = try runExample("quick-start")
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

    /// Runs an executable built next to the test binary and returns its standard output.
    private func runExample(_ name: String) throws -> String {
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
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(name) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
