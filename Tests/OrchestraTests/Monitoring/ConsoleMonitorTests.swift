import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@testable import Orchestra

/// What a monitor wrote.
final class Captured: Sendable {
    private let text = Mutex("")

    func output(isTerminal: Bool = false, columns: Int = 100, rows: Int = 40) -> ConsoleMonitor.Output {
        ConsoleMonitor.Output(isTerminal: isTerminal, columns: columns, rows: rows) { [self] piece in
            text.withLock { $0 += piece }
        }
    }

    var all: String { text.withLock { $0 } }
    /// The lines, with every run id replaced by `RUN`, so that they can be compared.
    func lines(runs: [RunID]) -> [String] {
        var text = all
        for run in runs { text = text.replacing(String(run.description.prefix(8)), with: "RUN") }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

/// The monitor's clock, which a test moves by hand.
final class Uptime: Sendable {
    private let value = Mutex(Duration.zero)
    var now: Duration {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// Streams text in pieces, as a model's tokens.
struct Piece: ConsoleDisplayable {
    var text: String
    var consoleDisplay: ConsoleDisplay { .text(text) }
}

struct Used: ConsoleDisplayable {
    var tokens: TokenUsage
    var consoleDisplay: ConsoleDisplay { .usage(tokens) }
}

@Suite("ConsoleMonitor")
struct ConsoleMonitorTests {
    /// Plan (250 ms on the manual clock, 30 tokens, a status line) → Write (streams two lines of text) → exit.
    func machine(clock: ManualClock) -> Orchestration<String, String> {
        let plan = Runnable<String, [String]>("Plan") { topic, context in
            clock.advance(by: .milliseconds(250))
            context.emit("planned 2 parts")
            context.emit(Used(tokens: TokenUsage(promptTokens: 20, completionTokens: 10)))
            context.recordTokens(TokenUsage(promptTokens: 20, completionTokens: 10))
            return ["\(topic) one", "\(topic) two"]
        }
        let write = Runnable<[String], String>("Write") { parts, context in
            clock.advance(by: .milliseconds(1500))
            for piece in ["First ", "line\nSecond", " line"] { context.emit(Piece(text: piece)) }
            return parts.joined(separator: ", ")
        }
        plan.advance(to: write)
        return Orchestration(start: plan, exit: write, options: .init(clock: clock))
    }

    @Test("plain lines: each event worth showing, streamed text line by line, tokens, and the run's summary")
    func plainLines() async throws {
        let clock = ManualClock()
        let orchestration = machine(clock: clock)
        let captured = Captured()
        let monitor = ConsoleMonitor(captured.output(), style: .automatic)
        #expect(!monitor.isLive)  // not a terminal
        monitor.attach(to: orchestration)
        let handle = orchestration.start("solar")
        _ = try await handle.value
        await orchestration.waitForHooks()
        #expect(
            captured.lines(runs: [handle.id]) == [
                "  0.000s ▶ run RUN started",
                "  0.000s ▶ Plan",
                "  0.250s · Plan: planned 2 parts",
                "  0.250s ✓ Plan  250 ms · 30 tokens",
                "  0.250s → Plan → Write",
                "  0.250s ▶ Write",
                "  1.750s Write │ First line",
                "  1.750s Write │ Second line",
                "  1.750s ✓ Write  1.50 s",
                "  1.750s ✓ run RUN completed · 2 states · 1.75 s · 30 tokens (20 in, 10 out)",
            ])
        #expect(!captured.all.contains("\u{1B}"))  // plain lines never carry escape sequences
    }

    @Test("showsText: false leaves streamed text out, and keeps everything else")
    func withoutText() async throws {
        let orchestration = machine(clock: ManualClock())
        let captured = Captured()
        orchestration.onEvent(.console(captured.output(), style: .plain, showsText: false))
        _ = try await orchestration.run("solar")
        await orchestration.waitForHooks()
        #expect(!captured.all.contains("│"))
        #expect(captured.all.contains("✓ Write"))
    }

    @Test("composites' children are indented under their path, and text without newlines is cut at a space")
    func childrenAndLongText() async throws {
        let long = String(repeating: "word ", count: 40)  // 200 characters, no newline
        let each = Runnable<Int, Int>("Search") { n, context in
            context.emit(Piece(text: long))
            return n
        }
        let orchestration = Orchestration(ForEach(each, maxConcurrency: 1, name: "Research"))
        let captured = Captured()
        ConsoleMonitor(captured.output(), style: .plain).attach(to: orchestration)
        _ = try await orchestration.run([1])
        await orchestration.waitForHooks()
        let lines = captured.all.split(separator: "\n").map { String($0.dropFirst(9)) }  // without the offset
        #expect(lines.contains("  ▶ Research[0]/Search"))
        let text = lines.filter { $0.contains("│") }
        #expect(text.count == 2)
        #expect(text.allSatisfy { $0.hasPrefix("  Research[0]/Search │ word") && $0.count <= 150 })
        #expect(lines.contains { $0.hasPrefix("  ✓ Research[0]/Search") })
    }

    @Test("a failure and a cancellation end with their own lines, naming the error and what was done")
    func failureAndCancellation() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "the disk is full" } }
        let failing = Runnable<Int, Int>("Save") { _, _ in throw Broken() }
        let orchestration = Orchestration(failing, options: .init(clock: ManualClock()))
        let captured = Captured()
        ConsoleMonitor(captured.output(), style: .plain).attach(to: orchestration)
        let handle = orchestration.start(1)
        _ = await handle.result
        await orchestration.waitForHooks()
        let lines = captured.lines(runs: [handle.id]).map { String($0.dropFirst(9)) }
        #expect(lines.contains("✗ Save failed: state 'Save' threw at step 1: the disk is full"))
        #expect(lines.last == "✗ run RUN failed: state 'Save' threw at step 1: the disk is full · 1 state · 0 µs")

        let clock = ManualClock()
        let sleeper = Runnable<Int, Int>("Wait") { n, context in
            try await context.clock.sleep(for: .seconds(60))
            return n
        }
        let slow = Orchestration(sleeper, options: .init(clock: clock))
        let cancelled = Captured()
        ConsoleMonitor(cancelled.output(), style: .plain).attach(to: slow)
        let run = slow.start(1)
        await clock.waitForSleepers(1)
        run.cancel()
        _ = await run.result
        await slow.waitForHooks()
        #expect(cancelled.lines(runs: [run.id]).last?.dropFirst(9) == "■ run RUN cancelled · 1 state · 0 µs")
    }

    @Test("with several runs in flight, each line names its run")
    func severalRuns() async throws {
        let clock = ManualClock()
        let wait = Runnable<Int, Int>("Wait") { n, context in
            try await context.clock.sleep(for: .seconds(1))
            return n
        }
        let orchestration = Orchestration(wait, options: .init(clock: clock))
        let captured = Captured()
        ConsoleMonitor(captured.output(), style: .plain).attach(to: orchestration)
        let first = orchestration.start(1)
        await clock.waitForSleepers(1)
        await orchestration.waitForHooks()
        let alone = captured.all  // one run: no ids before the lines
        let second = orchestration.start(2)
        await clock.waitForSleepers(2)
        clock.advance(by: .seconds(1))
        _ = await (first.result, second.result)
        await orchestration.waitForHooks()
        #expect(alone.contains("▶ Wait"))
        #expect(!alone.contains("["))
        let later = captured.all.dropFirst(alone.count).split(separator: "\n")
        #expect(!later.isEmpty)
        let prefixes = [first.id, second.id].map { "[\($0.description.prefix(8))]" }
        // Every line after the second run began names one of the two runs, until only one is left in flight.
        #expect(later.prefix(2).allSatisfy { line in prefixes.contains { line.contains($0) } })
    }

    /// A live monitor whose pace is `uptime`, which the test moves, and which redraws between events only when the
    /// test calls `tick()`.
    func liveMonitor(_ output: ConsoleMonitor.Output, uptime: Uptime = Uptime()) -> ConsoleMonitor {
        ConsoleMonitor(output, style: .automatic, showsText: true, colors: false, uptime: { uptime.now }, ticks: false)
    }

    @Test("a live view draws running states below the lines, redraws in place, holds back text, and fits the width")
    func liveView() async throws {
        let clock = ManualClock()
        let (started, release) = (Gate(), Gate())
        let stream = Runnable<Int, Int>("Stream") { n, context in
            clock.advance(by: .milliseconds(100))
            context.emit(Piece(text: String(repeating: "token ", count: 50)))
            context.emit(Piece(text: "more"))
            started.open()
            await release.wait()
            return n
        }
        let orchestration = Orchestration(stream, options: .init(clock: clock))
        let captured = Captured()
        let uptime = Uptime()
        let monitor = liveMonitor(captured.output(isTerminal: true, columns: 40), uptime: uptime)
        #expect(monitor.isLive)
        monitor.attach(to: orchestration)
        let handle = orchestration.start(1)
        await started.wait()
        await orchestration.waitForHooks()
        // Text that comes within 50 ms of the last redraw waits: the state's line has no text yet.
        let beforeTick = captured.all
        #expect(try #require(beforeTick.split(separator: "\n").last).hasSuffix("Stream  0 µs"))
        // A tick draws it, and counts the time since the state's last event into its duration.
        uptime.now = .milliseconds(100)
        #expect(monitor.tick())
        let whileRunning = captured.all
        let lastLine = try #require(whileRunning.split(separator: "\n").last)
        let liveLine = lastLine.split(separator: "\u{1B}[J").last ?? lastLine  // after the redraw's escapes
        #expect(liveLine.contains("Stream  200 ms  …"))
        #expect(liveLine.hasSuffix("token token more"))
        #expect(ConsoleFormat.columns(liveLine) < 40)
        #expect(monitor.tick())  // nothing new and just drawn: no output, but the run goes on
        #expect(captured.all == whileRunning)
        release.open()
        _ = await handle.result
        await orchestration.waitForHooks()

        // At the end: the live line is erased (cursor up one line, clear to the end) before the lines that stay.
        let after = captured.all.dropFirst(whileRunning.count)
        #expect(after.hasPrefix("\r\u{1B}[1A\u{1B}[J"))
        #expect(after.contains("✓ Stream  100 ms\n"))
        #expect(after.hasSuffix("completed · 1 state · 100 ms\n"))  // and nothing is left running below it
        #expect(!captured.all.contains("\u{1B}[3"))  // colors: false
        #expect(!monitor.tick())  // no run in flight: the ticking stops
    }

    @Test("a live view shows no more running states than the terminal has rows, and counts the rest")
    func liveViewHeight() async throws {
        let gate = Gate()
        let wait = Runnable<Int, Int>("Wait") { n, _ in
            await gate.wait()
            return n
        }
        let orchestration = Orchestration(ForEach(wait, maxConcurrency: 8, name: "All"))
        let captured = Captured()
        liveMonitor(captured.output(isTerminal: true, columns: 60, rows: 6))
            .attach(to: orchestration)
        let handle = orchestration.start(Array(0..<8))
        // The parent and 8 children run at once: more than the 4 lines a 6-row terminal leaves.
        #expect(await eventually { captured.all.contains("more running") })
        await orchestration.waitForHooks()
        let frame = try #require(captured.all.components(separatedBy: "\u{1B}[J").last)
        let lines = frame.split(separator: "\n")
        #expect(lines.count == 4)  // rows - 2
        #expect(lines.last?.hasSuffix("more running") == true)
        gate.open()
        _ = await handle.result
    }

    @Test("control characters from states, models and errors are shown, never sent to the terminal")
    func controlCharacters() async throws {
        let hostile = Runnable<Int, Int>("Evil\u{1B}[2J") { n, context in
            context.emit(Piece(text: "\u{1B}]0;pwned\u{07}\u{1B}[31mred\n"))
            context.emit("status \u{1B}[H\u{9B}home")
            return n
        }
        for style in [ConsoleMonitor.Style.plain, .live] {
            let orchestration = Orchestration(hostile)
            let captured = Captured()
            ConsoleMonitor(
                captured.output(isTerminal: true), style: style, showsText: true, colors: false, uptime: { .zero },
                ticks: false
            )
            .attach(to: orchestration)
            _ = try await orchestration.run(1)
            await orchestration.waitForHooks()
            // The only escape sequences left are the live view's own: cursor up, and clear to the end.
            let ownEscapes = captured.all.replacing(/\u{1B}\[\d+A|\u{1B}\[J/, with: "")
            #expect(!ownEscapes.contains("\u{1B}"), "\(style): \(captured.all.debugDescription)")
            #expect(!ownEscapes.contains("\u{07}") && !ownEscapes.contains("\u{9B}"))
            #expect(captured.all.contains("Evil␛[2J"))
            if style == .plain { #expect(captured.all.contains("Evil␛[2J │ ␛]0;pwned�␛[31mred")) }
            #expect(captured.all.contains("status ␛[H�home"))
        }
    }

    @Test("widths are counted in terminal columns: wide characters take two, combining marks none")
    func columns() {
        #expect(ConsoleFormat.columns("abc") == 3)
        #expect(ConsoleFormat.columns("研究") == 4)
        #expect(ConsoleFormat.columns("👍🏽") == 2)
        #expect(ConsoleFormat.columns("e\u{301}") == 1)
        #expect(ConsoleFormat.prefix("研究エージェント", columns: 5) == "研究")
        #expect(ConsoleFormat.tail("研究エージェント", columns: 5) == "…ント")
        #expect(ConsoleFormat.sanitized("a\tb\u{1B}c\u{7F}") == "a b␛c\u{FFFD}")
    }

    @Test("the summary of a record: states, duration and tokens, with thousands grouped")
    func summary() {
        var record = RunRecord(runID: RunID(), startedAt: .now)
        record.steps = [
            .init(
                step: 1, state: "A", start: .zero, duration: .milliseconds(5),
                tokens: .init(promptTokens: 1200, completionTokens: 34)),
            .init(step: 2, state: "B", start: .zero, duration: .milliseconds(5)),
        ]
        record.duration = .milliseconds(2345)
        #expect(ConsoleMonitor.summary(of: record) == "2 states · 2.35 s · 1,234 tokens (1,200 in, 34 out)")
        record.steps.removeLast()
        record.steps[0].tokens = nil
        record.duration = nil
        #expect(ConsoleMonitor.summary(of: record) == "1 state")
    }

    @Test(
        "durations and counts read at a glance",
        arguments: [
            (Duration.microseconds(38), "38 µs"), (.milliseconds(412), "412 ms"), (.milliseconds(1234), "1.23 s"),
            (.seconds(125), "2 min 5 s"), (.zero, "0 µs"),
        ])
    func durations(duration: Duration, expected: String) {
        #expect(ConsoleFormat.duration(duration) == expected)
    }

    @Test("numbers are grouped by thousands, and long text keeps its end")
    func grouping() {
        #expect(ConsoleFormat.grouped(0) == "0")
        #expect(ConsoleFormat.grouped(999) == "999")
        #expect(ConsoleFormat.grouped(1000) == "1,000")
        #expect(ConsoleFormat.grouped(1_234_567) == "1,234,567")
        #expect(ConsoleFormat.grouped(-45_000) == "-45,000")
        #expect(ConsoleFormat.tail("a\nb c", columns: 10) == "a b c")
        #expect(ConsoleFormat.tail("abcdefghij", columns: 5) == "…ghij")
    }
}
