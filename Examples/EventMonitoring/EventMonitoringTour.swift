import Foundation
import Orchestra
import Synchronization

/// Every way to watch a machine, one section each. `run(print:)` prints the tour and returns what each
/// section saw, so that a test can check it.
enum EventMonitoringTour {
    /// What the sections saw.
    struct Seen: Sendable {
        /// Section 1: the lines the lifecycle hook printed.
        var lifecycle: [String] = []
        /// Section 2: the kinds of one run's events, read as an `AsyncSequence`.
        var runEvents: [String] = []
        /// Section 2: the terminal events seen on `orchestration.events`, one per run.
        var endings: [String] = []
        /// Section 3: state → how many times it ran, over three runs.
        var timings: [String: Int] = [:]
        /// Section 4: the failed run's events, and its error.
        var failure: [String] = []
        var failureError: OrchestrationError?
        /// Section 5: the cancelled run's events.
        var cancellation: [String] = []
        /// Section 6: the console monitor's lines.
        var console: [String] = []
        /// Sections 7 to 10: the files written, the spans, the metrics and the audit log.
        var exports = Exports()
    }

    static let documents = [
        Document(name: "roadmap.md", fetchTime: .milliseconds(30)),
        Document(name: "minutes.md", fetchTime: .milliseconds(10)),
        Document(name: "budget.md", fetchTime: .milliseconds(20)),
    ]

    /// Runs every section; section 7 writes its files into `directory`.
    ///
    /// - Throws: What writing the files threw, naming the file.
    static func run(exportingTo directory: URL, print: @escaping @Sendable (String) -> Void) async throws -> Seen {
        var seen = Seen()
        seen.lifecycle = await lifecycleHook(print)
        (seen.runEvents, seen.endings) = await sequences(print)
        seen.timings = await timingTable(print)
        (seen.failure, seen.failureError) = await failure(print)
        seen.cancellation = await cancellation(print)
        seen.console = await consoleMonitor(print)
        seen.exports = try await exports(print, to: directory)
        seen.exports.spans = await spans(print)
        seen.exports.metrics = try await metrics(print, to: directory)
        seen.exports.audit = try await audit(print, to: directory)
        return seen
    }

    /// 1. An `onEvent` hook that prints the lifecycle — state started, completed, transition, and how the run
    /// ended — the way LlmTornado's documentation prints it.
    static func lifecycleHook(_ print: @escaping @Sendable (String) -> Void) async -> [String] {
        print("\n== 1. An onEvent hook: the lifecycle, as it happens\n")
        let orchestration = digestOrchestration()
        let lines = Lines(print)
        orchestration.onEvent { event in
            switch event.kind {
            case .stateStarted: lines.add("🚀 State started: \(event.path)")
            case .stateCompleted: lines.add("✅ State completed: \(event.path)")
            case .transition(let next): lines.add("🔄 Transition: \(event.state) → \(next)")
            case .runCompleted: lines.add("🎉 Orchestration completed successfully")
            case .runFailed(let error, _): lines.add("❌ Orchestration failed: \(error.message)")
            default: break  // chunks, policies, cancellation: see the other sections
            }
        }
        _ = try? await orchestration.run(documents)
        await orchestration.waitForHooks()  // hooks run on their own task: let this one catch up
        return lines.all
    }

    /// 2. Events as `AsyncSequence`s: one run's (`handle.events`, from its first event whenever you start
    /// reading) and every run's (`orchestration.events`, from when you start reading).
    static func sequences(_ print: @escaping @Sendable (String) -> Void) async -> ([String], [String]) {
        print("\n== 2. Events as AsyncSequences: one run's, and every run's\n")
        let orchestration = digestOrchestration()
        // `orchestration.events` delivers what happens from the moment its iterator is made: make it first. Its
        // queue keeps every event until they are read, so it can be read after the runs.
        var everyRun = orchestration.events.makeAsyncIterator()
        let first = orchestration.start(documents)
        let second = orchestration.start(Array(documents.prefix(1)))
        var kinds: [String] = []
        for await event in first.events {  // from the run's first event to its last, however late you start
            kinds.append(event.kind.name)
            print("  \(event)")
        }
        _ = await second.result
        var endings: [String] = []
        while endings.count < 2, let event = await everyRun.next() {
            if event.isTerminal { endings.append("\(event.kind.name) (\(event.record?.steps.count ?? 0) states)") }
        }
        print("\n  orchestration.events saw both runs end: \(endings.joined(separator: ", "))")
        return (kinds, endings)
    }

    /// 3. A synchronous hook that collects how long each state took, printed as a table.
    static func timingTable(_ print: @escaping @Sendable (String) -> Void) async -> [String: Int] {
        print("\n== 3. A hook that collects timings per state\n")
        let orchestration = digestOrchestration()
        let timings = Mutex<[String: [Duration]]>([:])
        // `.synchronous`: the cheapest hook, for one that only records.
        orchestration.onEvent(
            .synchronous { event in
                if case .stateCompleted(let duration) = event.kind {
                    timings.withLock { $0[event.state, default: []].append(duration) }
                }
            })
        for _ in 0..<3 { _ = try? await orchestration.run(documents) }
        await orchestration.waitForHooks()
        let table = timings.withLock { $0 }
        print("  \(pad("state", 10))  \(pad("times", 5))  \(pad("mean", 8))  max")
        for (state, durations) in table.sorted(by: { $0.key < $1.key }) {
            let mean = durations.reduce(.zero, +) / durations.count
            let maximum = durations.max() ?? .zero
            print(
                "  \(pad(state, 10))  \(pad("\(durations.count)", 5))  \(pad(milliseconds(mean), 8))  \(milliseconds(maximum))"
            )
        }
        return table.mapValues(\.count)
    }

    /// 4. A failure, as events: the state that threw, then the run, with an error that names the state.
    static func failure(_ print: @escaping @Sendable (String) -> Void) async -> ([String], OrchestrationError?) {
        print("\n== 4. A failure, as events\n")
        let orchestration = digestOrchestration()
        let handle = orchestration.start([Document(name: "missing.md", fetchTime: .milliseconds(5))])
        var kinds: [String] = []
        for await event in handle.events {
            switch event.kind {
            case .stateFailed, .runFailed:
                kinds.append("\(event.kind.name) \(event.path)")
                print("  \(event)")
            default:
                kinds.append(event.kind.name)
            }
        }
        guard case .failure(let error) = await handle.result else { return (kinds, nil) }
        print(
            "\n  code: \(error.code) · state: \(error.state ?? "-") · underlying: \(error.underlying.map { "\($0)" } ?? "-")"
        )
        return (kinds, error)
    }

    /// 5. A cancellation, as events: cancel a run while a slow download is in flight.
    static func cancellation(_ print: @escaping @Sendable (String) -> Void) async -> [String] {
        print("\n== 5. A cancellation, as events\n")
        let orchestration = digestOrchestration()
        let handle = orchestration.start([Document(name: "archive.zip", fetchTime: .seconds(30))])
        var kinds: [String] = []
        for await event in handle.events {
            kinds.append(event.kind.name)
            print("  \(event)")
            if case .stateStarted = event.kind, event.state == "Download" {
                handle.cancel()  // the download is running: cancel the run mid-state
            }
        }
        return kinds
    }

    /// 6. The console monitor, in one line.
    static func consoleMonitor(_ print: @escaping @Sendable (String) -> Void) async -> [String] {
        print("\n== 6. The console monitor: ConsoleMonitor().attach(to: orchestration)\n")
        let orchestration = digestOrchestration()
        let lines = Lines(print)
        // Plain lines, to this tour's printer; in your program `ConsoleMonitor().attach(to:)` is enough: it picks a
        // live view in a terminal and plain lines in a log.
        ConsoleMonitor(.init { text in lines.add(String(text.dropLast())) }, style: .plain).attach(to: orchestration)
        _ = try? await orchestration.run(documents)
        await orchestration.waitForHooks()
        return lines.all
    }

    /// `20.3 ms`, or `84 µs` under a millisecond.
    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = Double(seconds) * 1e6 + Double(attoseconds) / 1e12
        if microseconds < 1000 { return "\(Int(microseconds.rounded())) µs" }
        return "\((microseconds / 100).rounded() / 10) ms"
    }
}

/// Lines printed and kept, from a hook's task.
final class Lines: Sendable {
    private let print: @Sendable (String) -> Void
    private let kept = Mutex<[String]>([])

    init(_ print: @escaping @Sendable (String) -> Void) {
        self.print = print
    }

    func add(_ line: String) {
        kept.withLock { $0.append(line) }
        print("  " + line)
    }

    var all: [String] { kept.withLock { $0 } }
}
