import Foundation
import Orchestra
import OrchestraTesting
import Testing

/// A child process runs a 10-state chain with a ``FileCheckpointStore`` and is killed with SIGKILL — inside a state,
/// or in the middle of writing a checkpoint — and a second process resumes the run. Each state logs itself to a
/// side file as it runs, so the log shows every execution, including the one a kill interrupted.
@Suite("Crash: a run killed at any moment resumes in a new process")
struct CrashTests {
    /// Where the child dies.
    enum KillPoint: Sendable, CustomTestStringConvertible {
        /// Inside state `s<n>`, after it logged itself.
        case inState(Int)
        /// In checkpoint save number `save` (1 is the one before the first state), at `phase` of the write.
        case atSave(Int, String)

        var arguments: [String] {
            switch self {
            case .inState(let state): ["--kill-in", "s\(state)"]
            case .atSave(let save, let phase): ["--kill-at-save", "\(save)", phase]
            }
        }

        var testDescription: String {
            switch self {
            case .inState(let state): "killed inside s\(state)"
            case .atSave(let save, let phase): "killed in save \(save) at \(phase)"
            }
        }
    }

    static let phases = ["logAppended", "tempHalfWritten", "tempWritten", "renamed"]

    /// Kill points drawn from fixed seeds: a state, or a save and a phase of its write.
    static let seeded: [KillPoint] = (1...8).map { seed in
        var generator = SeededGenerator(seed: UInt64(seed) * 7919)
        if seed.isMultiple(of: 2) { return .inState(Int.random(in: 1...10, using: &generator)) }
        let save = Int.random(in: 1...11, using: &generator)
        // The first save has no steps to log, so it has no logAppended phase.
        let phases = save == 1 ? Array(phases.dropFirst()) : phases
        return .atSave(save, phases.randomElement(using: &generator) ?? "renamed")
    }

    /// The output of the chain on 0: 1 + 2 + … + 10, and 1,000 per state the memory counted.
    static let expectedOutput = 55 + 10 * 1000

    @Test(
        "Killed, then resumed: completed states ran once, the interrupted one at most twice, output right",
        arguments: seeded + [.inState(1), .inState(10), .atSave(1, "tempWritten"), .atSave(1, "renamed")]
            + phases.map { KillPoint.atSave(6, $0) })
    func killedRunResumes(_ point: KillPoint) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("executions.log").path
        let store = directory.appendingPathComponent("store")

        let first = try await Child.run(["start", store.path, log] + point.arguments)
        #expect(first.signal == SIGKILL, "the child was to die by SIGKILL (\(point.testDescription)): \(first)")

        // Whatever the moment, what the store holds can be read: a kill mid-write leaves the previous checkpoint.
        let runs = try await FileCheckpointStore(directory: store).runs()
        let executed = try Self.executions(log)
        guard let checkpoint = runs.first else {
            // Killed before the first checkpoint was in place: no state ran, and there is nothing to resume.
            #expect(executed.isEmpty, "no checkpoint was saved, yet states ran: \(executed)")
            return
        }
        #expect(runs.count == 1)
        if checkpoint.status == .completed {
            // Killed after the last checkpoint was in place: the run is done, and each state ran once.
            #expect(executed == (1...10).map { "s\($0)" })
            #expect(try checkpoint.value?.decoded(as: Int.self, location: "output") == Self.expectedOutput)
            return
        }
        #expect(checkpoint.status == .running)
        let resumedAt = checkpoint.step
        #expect(checkpoint.state == "s\(resumedAt)")
        #expect(
            executed == (0..<executed.count).map { "s\($0 + 1)" }, "before the kill, states ran in order: \(executed)")
        #expect(
            [resumedAt - 1, resumedAt].contains(executed.count),
            "the checkpoint names s\(resumedAt), but \(executed.count) states ran before the kill")

        let second = try await Child.run(["resume", store.path, log])
        #expect(second.status == 0, "the resuming child failed: \(second)")
        #expect(second.output == "output \(Self.expectedOutput)\n")

        // States before the checkpoint's ran once; the one it names ran again if the kill interrupted it (or its
        // checkpoint); every later state ran once, in the second process.
        let all = try Self.executions(log)
        for index in 1...10 {
            let count = all.filter { $0 == "s\(index)" }.count
            if index < resumedAt {
                #expect(count == 1, "s\(index) completed before the kill but ran \(count) times: \(all)")
            } else if index == resumedAt {
                #expect((1...2).contains(count), "s\(index) was interrupted; it ran \(count) times: \(all)")
            } else {
                #expect(count == 1, "s\(index) ran \(count) times: \(all)")
            }
        }
        let stored = try #require(try await FileCheckpointStore(directory: store).load(checkpoint.runID))
        #expect(stored.checkpoint.status == .completed)
        #expect(stored.steps.map(\.state) == (1...10).map { "s\($0)" })
    }

    /// The states the log says ran, in order.
    static func executions(_ path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}

/// Runs the `checkpoint-crash-child` executable built next to the tests.
enum Child {
    struct Result: CustomStringConvertible {
        var status: Int32
        var signal: Int32?
        var output: String
        var errors: String
        var description: String { "status \(status), signal \(signal.map(String.init) ?? "none"): \(output)\(errors)" }
    }

    static func run(_ arguments: [String]) async throws -> Result {
        let name = "checkpoint-crash-child"
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent(),
        ].map { $0.appendingPathComponent(name) }
        let executable = try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "the '\(name)' executable was not built next to the tests (looked in \(candidates.map(\.path)))"
        )
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let (stdout, stderr) = (Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        async let output = read(stdout)
        async let errors = read(stderr)
        let (out, err) = await (output, errors)
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        let killed = process.terminationReason == .uncaughtSignal
        return Result(
            status: killed ? -1 : process.terminationStatus, signal: killed ? process.terminationStatus : nil,
            output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self)
        )
    }

    private static func read(_ pipe: Pipe) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: pipe.fileHandleForReading.readDataToEndOfFile())
            }
        }
    }
}
