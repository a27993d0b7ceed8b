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
///   0.413s   ▶ Research/ForEach[0]/Search
///   0.520s   · Research/ForEach[0]/Search: calls web_search {"query":"AI diagnosis accuracy"}
///   0.911s   Research/ForEach[0]/Search │ Trials of AI reading mammograms found …
///   1.234s ✓ run 1F3A9C2B completed · 7 states · 1.23 s · 1,234 tokens (980 in, 254 out)
/// ```
///
/// Times are from the run's start, on the orchestration's clock. When several runs are in flight, each line
/// starts with its run's id. Chunks are shown as their type's ``ConsoleDisplayable`` conformance says, and
/// other chunks as a line with their description.
///
/// The monitor is a synchronous ``EventHook``: it runs on its hook's task and never slows a run. One monitor
/// may watch several orchestrations; its lines never interleave mid-line.
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
    private let renderer: Mutex<ConsoleRenderer>

    /// Creates a monitor.
    ///
    /// - Parameters:
    ///   - output: Where it writes; standard output by default.
    ///   - style: A live view or plain lines; by default a live view in a terminal only.
    ///   - showsText: Whether streamed text (a model's tokens) is shown; tool calls and other lines always are.
    ///   - colors: Whether a live view uses colours; by default unless the `NO_COLOR` environment variable is set.
    ///     Plain lines never do.
    public init(
        _ output: Output = .standardOutput, style: Style = .automatic, showsText: Bool = true, colors: Bool? = nil
    ) {
        let environment = ProcessInfo.processInfo.environment
        let live: Bool
        switch style {
        case .automatic: live = output.isTerminal && environment["TERM"] != "dumb"
        case .live: live = true
        case .plain: live = false
        }
        self.output = output
        renderer = Mutex(
            ConsoleRenderer(
                live: live, colors: live && (colors ?? (environment["NO_COLOR"] == nil)), showsText: showsText,
                width: output.width))
    }

    /// Whether the monitor draws a live view rather than plain lines.
    public var isLive: Bool { renderer.withLock { $0.live } }

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
        renderer.withLock { renderer in
            let text = renderer.render(event)
            if !text.isEmpty { output.write(text) }
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
    /// - Returns: The hook.
    public static func console(
        _ output: ConsoleMonitor.Output = .standardOutput, style: ConsoleMonitor.Style = .automatic,
        showsText: Bool = true
    ) -> EventHook {
        ConsoleMonitor(output, style: style, showsText: showsText).hook
    }
}
