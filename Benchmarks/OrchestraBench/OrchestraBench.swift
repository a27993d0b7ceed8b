import Foundation
import Orchestra
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `orchestra-bench`: Orchestra's own overhead on the workloads of the peers' benchmark
/// (every state is a no-op that adds 1). Build in release: `swift run -c release orchestra-bench`.
@main
enum OrchestraBench {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            return
        }
        let settings: Settings
        do {
            settings = try Settings(arguments)
        } catch {
            FileHandle.standardError.write(Data("orchestra-bench: \(error)\n\n\(usage)\n".utf8))
            exit(2)
        }
        do {
            try await runAll(settings)
        } catch {
            FileHandle.standardError.write(Data("orchestra-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static let usage = """
        usage: orchestra-bench [--json] [--quick] [--events on|off] [--hook sync|async|metrics|audit] [WORKLOAD ...]

        Measures Orchestra's framework overhead with no-op states (each adds 1).
        Workloads: \(Workload.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).

          --json         one JSON object per line instead of a table
          --quick        short repetitions, for a smoke run (figures are not comparable)
          --events on    a hook receives every event and runs keep records (default)
          --events off   no listener and no records: the bare engine
          --hook sync    the hook is onEvent(.synchronous { … }) (default)
          --hook async   the hook is the closure form, onEvent { … }, called with await
          --hook metrics the synchronous hook, and a MetricsCollector with a price table
          --hook audit   the synchronous hook, and an AuditLog whose lines are dropped
        """
}

enum Workload: String, CaseIterable {
    case chain10, loop1000, chain10_async, loop1000_async, concurrent1000
    case fanout100, fanout100_async, foreach10k, foreach10k_async
    /// chain10_async with every state wrapped in retry, a circuit breaker, a bulkhead and a rate limiter
    /// (none of which ever acts), and in a timeout: what the policies cost on the happy path.
    case guarded10, timeout10
    /// chain10 with a checkpoint store: a checkpoint saved before the first state, after each state, and at the
    /// end; every run kept in the store, as LangGraph's checkpointer keeps every thread.
    case chain10_checkpoint_memory, chain10_checkpoint_file

    /// Whether the figure is milliseconds per whole run rather than microseconds per transition.
    var isPerRun: Bool {
        switch self {
        case .fanout100, .fanout100_async, .foreach10k, .foreach10k_async: true
        default: false
        }
    }
}

struct Settings {
    var json = false
    var quick = false
    var events = true
    /// What `--hook` chose: the counting hook's form, and what else watches the runs.
    var hook = Hook.sync
    var workloads: [Workload] = Workload.allCases

    init(_ arguments: [String]) throws {
        var chosen: [Workload] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--json": json = true
            case "--quick": quick = true
            case "--hook":
                let value = rest.popFirst()
                guard let chosen = value.flatMap(Hook.init(rawValue:)) else {
                    throw BenchError("--hook takes 'sync', 'async', 'metrics' or 'audit', not '\(value ?? "nothing")'")
                }
                hook = chosen
            case "--events":
                switch rest.popFirst() {
                case "on": events = true
                case "off": events = false
                case let other: throw BenchError("--events takes 'on' or 'off', not '\(other ?? "nothing")'")
                }
            default:
                guard let workload = Workload(rawValue: argument) else {
                    throw BenchError("unknown workload or flag '\(argument)'")
                }
                chosen.append(workload)
            }
        }
        if !chosen.isEmpty { workloads = chosen }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs off the main actor: a call from main-actor code to a nonisolated async function costs a
/// hop each way, which would be measured as framework overhead.
nonisolated func runAll(_ settings: Settings) async throws {
    if !settings.json {
        let hook = settings.hook.described
        print("orchestra-bench — events \(settings.events ? "on (\(hook) receives every event, records kept)" : "off")")
        print("workload         µs/transition   min     max    CPU µs    wall ms   peak RSS MiB")
        print("                 (ms/run for fanout and foreach, and CPU ms)")
    }
    for workload in settings.workloads {
        let result = try await measure(workload, settings)
        if settings.json {
            print(result.json)
        } else {
            print(result.row)
        }
    }
}

struct Result {
    var workload: Workload
    var perTransition: [Double]
    /// Process CPU time (every thread: the run and the event consumers) per transition.
    var cpuPerTransition: [Double]
    var wallMilliseconds: Double?
    var peakRSS: Double
    var rssGrowth: Double?
    var events: Bool
    /// `"sync"` or `"async"`: the form of the counting hook, when events are on.
    var hook: String?

    var median: Double { perTransition.sorted()[perTransition.count / 2] }
    var cpuMedian: Double { cpuPerTransition.sorted()[cpuPerTransition.count / 2] }

    var json: String {
        // Per-run workloads hold milliseconds per run in the per-transition fields.
        let unit = workload.isPerRun ? "ms_per_run" : "us_per_transition"
        var fields: [String] = [
            "\"workload\": \"\(workload.rawValue)\"",
            "\"\(unit)\": \(round3(median))",
            "\"min_\(unit)\": \(round3(perTransition.min() ?? 0))",
            "\"max_\(unit)\": \(round3(perTransition.max() ?? 0))",
            "\"cpu_\(unit)\": \(round3(cpuMedian))",
            "\"peak_rss_mib\": \(round3(peakRSS))",
            "\"events\": \(events)",
            "\"hook\": \(hook.map { "\"\($0)\"" } ?? "null")",
            "\"reps\": \(perTransition.count)",
        ]
        if let wallMilliseconds { fields.append("\"wall_ms\": \(round3(wallMilliseconds))") }
        if let rssGrowth { fields.append("\"rss_growth_mib\": \(round3(rssGrowth))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    var row: String {
        let wall = wallMilliseconds.map { String(format: "%9.1f", $0) } ?? "        -"
        return workload.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
            + String(
                format: " %9.3f   %7.3f %7.3f %8.3f ", median, perTransition.min() ?? 0, perTransition.max() ?? 0,
                cpuMedian)
            + wall + String(format: "   %8.1f", peakRSS)
            + (rssGrowth.map { String(format: " (+%.1f)", $0) } ?? "")
    }

    private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

/// Counts the events a hook received, to check that every one arrived.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
}

/// Repetitions per workload; each figure is their median.
let repetitions = 5

nonisolated func measure(_ workload: Workload, _ settings: Settings) async throws -> Result {
    switch workload {
    case .chain10, .loop1000, .chain10_async, .loop1000_async, .guarded10, .timeout10:
        let work: Machines.Work = workload == .chain10 || workload == .loop1000 ? .synchronous : .asynchronous
        let isChain = workload != .loop1000 && workload != .loop1000_async
        let wrap = workload == .guarded10 ? Machines.guarded() : workload == .timeout10 ? Machines.timedOut : { $0 }
        let machine = isChain ? Machines.chain(10, work, wrap: wrap) : Machines.loop(to: 1000, work)
        let orchestration = Orchestration(
            start: machine.start, exit: machine.exit,
            options: .init(stepLimit: 2_000, recordsRuns: settings.events)
        )
        let transitions = isChain ? 10 : 1000
        // runStarted; per state: started, completed, and a transition or (the last) runCompleted.
        return try await measureRuns(
            workload, orchestration, input: 0, expected: transitions, eventsPerRun: 1 + 3 * transitions,
            microsecondsPerUnit: Double(transitions), settings
        )
    case .chain10_checkpoint_memory, .chain10_checkpoint_file:
        let machine = Machines.chain(10, .synchronous)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("orchestra-bench-checkpoints-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store: any CheckpointStore =
            workload == .chain10_checkpoint_memory
            ? InMemoryCheckpointStore() : try FileCheckpointStore(directory: directory)
        let orchestration = Orchestration(
            start: machine.start, exit: machine.exit,
            options: .init(stepLimit: 2_000, recordsRuns: settings.events, checkpoints: store)
        )
        return try await measureRuns(
            workload, orchestration, input: 0, expected: 10, eventsPerRun: 1 + 3 * 10, microsecondsPerUnit: 10,
            settings
        )
    case .fanout100, .fanout100_async:
        let work: Machines.Work = workload == .fanout100 ? .synchronous : .asynchronous
        let machine = Machines.fanOut(100, work)
        let orchestration = Orchestration(
            start: machine.start, exit: machine.exit, options: .init(recordsRuns: settings.events))
        // runStarted; the start and the fan-out state: started, completed, transition; 100 branches:
        // started, completed; the join: started, completed; runCompleted.
        return try await measureRuns(
            workload, orchestration, input: 0, expected: 200, eventsPerRun: 1 + 3 + 3 + 200 + 2 + 1,
            microsecondsPerUnit: 1000, settings
        )
    case .foreach10k, .foreach10k_async:
        let work: Machines.Work = workload == .foreach10k ? .synchronous : .asynchronous
        let orchestration = Orchestration(
            ForEach(Machines.state("item", work), maxConcurrency: 64),
            options: .init(stepLimit: 20_000, recordsRuns: settings.events)
        )
        let input = Array(0..<10_000)
        let expected = input.map { $0 + 1 }
        // runStarted; the ForEach: started, completed; 10,000 items: started, completed; runCompleted.
        return try await measureRuns(
            workload, orchestration, input: input, expected: expected, eventsPerRun: 2 + 2 + 20_000,
            microsecondsPerUnit: 1000, settings
        )
    case .concurrent1000:
        let machine = Machines.chain(10, .yielding)
        let orchestration = Orchestration(
            start: machine.start, exit: machine.exit, options: .init(recordsRuns: settings.events)
        )
        let counter = Counter()
        if settings.events { try subscribe(orchestration, counter, settings) }
        _ = try await orchestration.run(0)
        if settings.events { await orchestration.waitForHooks() }  // the warm-up's events are not a rep's
        // The process's peak covers the workloads run before this one: reset it, where Linux allows.
        let baseline = Memory.resetPeak() ? Memory.currentMiB() : nil
        var samples: [Double] = []
        var walls: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<repetitions {
            let rep = try await repetition(orchestration, counter, expecting: 1000 * 31, settings) {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<1000 {
                        group.addTask { try await orchestration.run(0) }
                    }
                    for try await output in group where output != 10 {
                        throw BenchError("a run returned \(output), expected 10")
                    }
                }
            }
            walls.append(rep.wall / 1000)
            samples.append(rep.wall / 10_000)
            cpu.append(rep.cpu / 10_000)
        }
        let peak = Memory.peakMiB()
        return Result(
            workload: workload, perTransition: samples, cpuPerTransition: cpu,
            wallMilliseconds: walls.sorted()[walls.count / 2],
            peakRSS: peak, rssGrowth: baseline.flatMap { base in Memory.highWaterMiB().map { max(0, $0 - base) } },
            events: settings.events, hook: settings.events ? settings.hook.rawValue : nil
        )
    }
}

/// Attaches the hook that counts events: synchronous, unless `--hook async` asks for the closure form.
nonisolated func subscribe<Input, Output>(
    _ orchestration: Orchestration<Input, Output>, _ counter: Counter, _ settings: Settings
) throws {
    if settings.hook == .async {
        orchestration.onEvent { _ in counter.add() }
    } else {
        orchestration.onEvent(.synchronous { _ in counter.add() })
    }
    try settings.hook.attachObserver(to: orchestration)
}

/// One timed repetition: runs `body`, waits for the hook to handle every event, and checks that it
/// received `expected` of them. Returns the wall and CPU time in microseconds.
nonisolated func repetition<Input, Output>(
    _ orchestration: Orchestration<Input, Output>,
    _ counter: Counter,
    expecting expected: Int,
    _ settings: Settings,
    _ body: () async throws -> Void
) async throws -> (wall: Double, cpu: Double) {
    let before = counter.value.load(ordering: .relaxed)
    let cpuStart = Memory.cpuSeconds()
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    if settings.events { await orchestration.waitForHooks() }
    let wall = start.duration(to: clock.now).microseconds
    if settings.events {
        let received = counter.value.load(ordering: .relaxed) - before
        guard received == expected else {
            throw BenchError("the hook received \(received) events, expected \(expected)")
        }
    }
    return (wall, (Memory.cpuSeconds() - cpuStart) * 1_000_000)
}

/// Measures runs of `orchestration` one after another: calibrated to about a second per repetition (a tenth
/// with --quick), five repetitions, each run's output checked against `expected` and every event counted.
///
/// - Parameter microsecondsPerUnit: What one run's time is divided by for the reported figure: the states
///   per run, for µs per transition; 1,000, for ms per run.
nonisolated func measureRuns<Input, Output: Equatable>(
    _ workload: Workload, _ orchestration: Orchestration<Input, Output>, input: Input, expected: Output,
    eventsPerRun: Int, microsecondsPerUnit: Double, _ settings: Settings
) async throws -> Result {
    let counter = Counter()
    if settings.events { try subscribe(orchestration, counter, settings) }
    func time(_ runs: Int) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<runs {
            let output = try await orchestration.run(input)
            guard output == expected else { throw BenchError("\(workload.rawValue) returned a wrong output") }
        }
        return start.duration(to: clock.now).microseconds / 1_000_000
    }
    let target: Double = settings.quick ? 0.1 : 1.0
    var runs = 1
    while true {
        let seconds = try await time(runs)
        if seconds >= target / 4 {
            runs = max(1, Int(Double(runs) * target / seconds))
            break
        }
        runs *= 4
    }
    if settings.events { await orchestration.waitForHooks() }
    var samples: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<repetitions {
        let rep = try await repetition(orchestration, counter, expecting: runs * eventsPerRun, settings) {
            _ = try await time(runs)
        }
        samples.append(rep.wall / microsecondsPerUnit / Double(runs))
        cpu.append(rep.cpu / microsecondsPerUnit / Double(runs))
    }
    return Result(
        workload: workload, perTransition: samples, cpuPerTransition: cpu, peakRSS: Memory.peakMiB(),
        events: settings.events, hook: settings.events ? settings.hook.rawValue : nil
    )
}

enum Machines {
    /// What each state's closure is: all add 1.
    enum Work {
        /// A synchronous closure: the engine calls it directly.
        case synchronous
        /// An `async` closure that never suspends: the cost of an asynchronous state.
        case asynchronous
        /// An `async` closure that awaits one `Task.yield()`, standing in for a model call.
        case yielding
    }

    static func state(_ name: String, _ work: Work) -> Runnable<Int, Int> {
        switch work {
        case .synchronous: Runnable<Int, Int>(name) { n, _ in n + 1 }
        case .asynchronous: Runnable<Int, Int>(name) { n, _ async in n + 1 }
        case .yielding:
            Runnable<Int, Int>(name) { n, _ in
                await Task.yield()
                return n + 1
            }
        }
    }

    /// `count` states in a line, each adding 1, each wrapped as `wrap` says.
    static func chain(
        _ count: Int, _ work: Work, wrap: (Runnable<Int, Int>) -> Runnable<Int, Int> = { $0 }
    ) -> (start: Runnable<Int, Int>, exit: Runnable<Int, Int>) {
        let states = (1...count).map { wrap(state("s\($0)", work)) }
        for (state, next) in zip(states, states.dropFirst()) {
            state.advance(to: next)
        }
        return (states[0], states[count - 1])
    }

    /// Wraps a state in a retry, a circuit breaker, a bulkhead and a rate limiter, shared by every state it
    /// wraps and set so that none of them ever has to act.
    static func guarded() -> (Runnable<Int, Int>) -> Runnable<Int, Int> {
        let breaker = CircuitBreaker("bench")
        let bulkhead = Bulkhead("bench", maxConcurrent: 1_000)
        let limiter = RateLimiter("bench", permits: 1_000_000_000, per: .seconds(1), burst: 1_000_000_000)
        return { state in
            state.retry(RetryPolicy()).circuitBreaker(breaker).bulkhead(bulkhead).rateLimited(limiter)
        }
    }

    /// Wraps a state in a timeout it never reaches.
    static func timedOut(_ state: Runnable<Int, Int>) -> Runnable<Int, Int> {
        state.timeout(.seconds(60))
    }

    /// A start state that fans out to `count` branches, each adding 1, meeting in a join that sums them.
    static func fanOut(_ count: Int, _ work: Work) -> (start: Runnable<Int, Int>, exit: Runnable<[Int], Int>) {
        let start = state("start", work)
        let branches = (0..<count).map { state("b\($0)", work) }
        let join = Runnable<[Int], Int>("join") { values, _ in values.reduce(0, +) }
        start.advance(toAll: branches, join: join)
        return (start, join)
    }

    /// One state that loops to itself until its counter reaches `limit`.
    static func loop(to limit: Int, _ work: Work) -> (start: Runnable<Int, Int>, exit: Runnable<Int, Int>) {
        let increment = state("increment", work)
        increment.advance(to: increment, when: { $0 < limit })
        return (increment, increment)
    }
}

enum Memory {
    /// The process's peak resident set, in MiB.
    static func peakMiB() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #else
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #endif
    }

    /// CPU time used by the process so far, user and system, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
            getrusage(RUSAGE_SELF, &usage)
        #else
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The current resident set, in MiB (Linux; `nil` elsewhere).
    static func currentMiB() -> Double? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// The peak resident set since the last ``resetPeak()``, in MiB (Linux; `nil` elsewhere).
    static func highWaterMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return nil }
        return kib / 1024
    }

    /// Resets the process's peak resident set to its current size (Linux: `5` to `clear_refs`), so
    /// that a later ``highWaterMiB()`` is the peak since now. Returns whether it could.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }
}

extension Duration {
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }
}
