import Foundation
import Synchronization

/// Shows runs as they happen: states starting and finishing with their durations and tokens, transitions,
/// what resilience policies do, streamed text and tool calls, and how each run ends — in one line of code.
///
/// ```swift
/// ConsoleMonitor().attach(to: orchestration)
/// // or, as a hook:  orchestration.onEvent(.console())
/// ```
///
/// In a terminal it keeps a **live view**: finished states, transitions and other news scroll up as lines,
/// and below them one line per running state — its path, how long it has run, its tokens and the end of what
/// it is streaming — updated in place. When the output is not a terminal (a log, a pipe, CI) it writes
/// **plain lines** only, with streamed text written line by line under the state's path:
///
/// ```text
///   0.000s ▶ run 1F3A9C2B started
///   0.000s ▶ Planning
///   0.412s ✓ Planning  412 ms · 312 tokens
///   0.412s → Planning → Research
///   0.413s   ▶ Research[0]/Search
///   0.520s   · Research[0]/Search: calls web_search {"query":"AI diagnosis accuracy"}
///   0.911s   Research[0]/Search │ Trials of AI reading mammograms found …
///   1.234s ✓ run 1F3A9C2B completed · 7 states · 1.23 s · 1,234 tokens (980 in, 254 out)
/// ```
///
/// Times are from the run's start, on the orchestration's clock. When several runs are in flight, each line
/// starts with its run's id. Chunks are shown as their type's ``ConsoleDisplayable`` conformance says, and
/// other chunks as a line with their description.
///
/// The monitor is a synchronous ``EventHook``: it runs on its hook's task, never on a run's. It writes as it
/// goes, in order, so a terminal that stops reading holds up the monitor (not the runs, whose events wait in the
/// hook's queue). Use **one monitor per terminal**, attached to every orchestration you want to see: two monitors
/// drawing live views on one terminal would erase each other's lines. Everything a state, a model or a tool
/// wrote is shown with its control characters made visible, so no output can move the cursor or recolour the
/// terminal.
public final class ConsoleMonitor: Sendable {
    /// How the monitor draws.
    public enum Style: Sendable, Hashable {
        /// A live view when the output is a terminal (and `TERM` is not `dumb`), plain lines otherwise.
        case automatic
        /// A live view, updated in place with ANSI escape sequences.
        case live
        /// Plain lines, one per event worth showing.
        case plain
    }

    private let output: Output
    private let state: Mutex<State>
    /// The time since the monitor was made, on the clock that paces the live view.
    private let uptime: @Sendable () -> Duration
    /// Whether a live view redraws itself between events; off in tests, which call ``tick()`` themselves.
    private let ticks: Bool

    private struct State {
        var renderer: ConsoleRenderer
        /// Whether the task that keeps the live view moving is running.
        var ticking = false
    }

    /// How often a live view is redrawn while runs are in flight, with or without events.
    static let tickInterval = Duration.milliseconds(100)

    /// Creates a monitor.
    ///
    /// - Parameters:
    ///   - output: Where it writes; standard output by default.
    ///   - style: A live view or plain lines; by default a live view in a terminal only.
    ///   - showsText: Whether streamed text (a model's tokens) is shown; tool calls and other lines always are.
    ///   - colors: Whether a live view uses colours; by default unless the `NO_COLOR` environment variable is set.
    ///     Plain lines never do.
    public convenience init(
        _ output: Output = .standardOutput, style: Style = .automatic, showsText: Bool = true, colors: Bool? = nil
    ) {
        let start = ContinuousClock.now
        self.init(output, style: style, showsText: showsText, colors: colors, uptime: { .now - start }, ticks: true)
    }

    /// A monitor whose live view is paced by `uptime`, and redraws itself between events only when `ticks`.
    init(
        _ output: Output, style: Style, showsText: Bool, colors: Bool?, uptime: @escaping @Sendable () -> Duration,
        ticks: Bool
    ) {
        let environment = ProcessInfo.processInfo.environment
        let live: Bool
        switch style {
        case .automatic: live = output.isTerminal && environment["TERM"] != "dumb"
        case .live: live = true
        case .plain: live = false
        }
        self.output = output
        self.uptime = uptime
        self.ticks = ticks
        state = Mutex(
            State(
                renderer: ConsoleRenderer(
                    live: live, colors: live && (colors ?? (environment["NO_COLOR"] == nil)), showsText: showsText,
                    columns: output.columns, rows: output.rows)))
    }

    /// Whether the monitor draws a live view rather than plain lines.
    public var isLive: Bool { state.withLock { $0.renderer.live } }

    /// The monitor as a hook, for `onEvent(_:)` of ``Orchestration``.
    public var hook: EventHook {
        .synchronous { [self] event in show(event) }
    }

    /// Watches every run of `orchestration`.
    ///
    /// - Parameter orchestration: The orchestration to watch.
    /// - Returns: The hook's subscription: cancel it to stop watching, or wait for it to catch up.
    @discardableResult
    public func attach<Input, Output>(to orchestration: Orchestration<Input, Output>) -> EventSubscription {
        orchestration.onEvent(hook)
    }

    /// Shows one event; what ``hook`` calls.
    ///
    /// - Parameter event: The event.
    public func show(_ event: OrchestrationEvent) {
        let startTicking = state.withLock { state in
            if state.renderer.live { (state.renderer.columns, state.renderer.rows) = (output.columns, output.rows) }
            let text = state.renderer.render(event, now: uptime())
            if !text.isEmpty { output.write(text) }
            guard ticks, state.renderer.live, state.renderer.hasRuns, !state.ticking else { return false }
            state.ticking = true
            return true
        }
        if startTicking {
            Task { [weak self] in
                while let monitor = self {
                    try? await Task.sleep(for: Self.tickInterval)
                    guard monitor.tick() else { return }
                }
            }
        }
    }

    /// Redraws the live view between events, so that durations and the spinner move and held-back text shows.
    ///
    /// - Returns: Whether runs are still in flight, and the ticking should go on.
    func tick() -> Bool {
        state.withLock { state in
            (state.renderer.columns, state.renderer.rows) = (output.columns, output.rows)
            let text = state.renderer.tick(now: uptime())
            if !text.isEmpty { output.write(text) }
            state.ticking = state.renderer.hasRuns
            return state.ticking
        }
    }

    /// A run's record in a few words: states, duration and tokens, as in
    /// `7 states · 1.23 s · 1,234 tokens (980 in, 254 out)`. The tokens are left out when no state recorded any.
    ///
    /// - Parameter record: The run's record.
    /// - Returns: The summary.
    public static func summary(of record: RunRecord) -> String {
        var parts = ["\(record.steps.count) \(record.steps.count == 1 ? "state" : "states")"]
        if let duration = record.duration { parts.append(ConsoleFormat.duration(duration)) }
        let tokens = record.tokens
        if tokens != .zero { parts.append(ConsoleFormat.tokens(tokens, detailed: true)) }
        return parts.joined(separator: " · ")
    }
}

extension EventHook {
    /// A ``ConsoleMonitor`` as a hook: `orchestration.onEvent(.console())`.
    ///
    /// - Parameters:
    ///   - output: Where it writes; standard output by default.
    ///   - style: A live view or plain lines; by default a live view in a terminal only.
    ///   - showsText: Whether streamed text is shown.
    ///   - colors: Whether a live view uses colours; by default unless `NO_COLOR` is set.
    /// - Returns: The hook. Each call makes a new monitor: to watch several orchestrations on one terminal, make one
    ///   ``ConsoleMonitor`` and attach it to each.
    public static func console(
        _ output: ConsoleMonitor.Output = .standardOutput, style: ConsoleMonitor.Style = .automatic,
        showsText: Bool = true, colors: Bool? = nil
    ) -> EventHook {
        ConsoleMonitor(output, style: style, showsText: showsText, colors: colors).hook
    }
}
