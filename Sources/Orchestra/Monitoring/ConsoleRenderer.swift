/// What a ``ConsoleMonitor`` writes for each event: a pure function of the events so far and of the times it
/// is given, so that it can be tested without a terminal. The monitor writes what ``render(_:now:)`` and
/// ``tick(now:)`` return.
///
/// Two clocks meet here. Offsets and durations in lines are the events' own, on the orchestration's clock. The
/// live view's pacing — how often streamed text redraws it, how long a state has been running since its last
/// event — is on the monitor's clock (`now`), since one monitor may watch orchestrations with different clocks.
struct ConsoleRenderer {
    let live: Bool
    let colors: Bool
    let showsText: Bool
    /// The terminal's size, which the monitor updates before each call.
    var columns: Int
    var rows: Int

    /// The runs that have started and not ended, by id, and the order they started in.
    private var runs: [RunID: RunView] = [:]
    private var order: [RunID] = []
    /// How many lines of live view are on the screen, below the last permanent line.
    private var drawn = 0
    /// When the live view was last drawn, on the monitor's clock.
    private var lastDraw: Duration?
    /// Whether the live view on the screen lacks text or tokens that arrived since it was drawn.
    private var stale = false
    private var frame = 0

    /// How often streamed text may redraw the live view: more often only flickers.
    private static let redrawInterval = Duration.milliseconds(50)
    private static let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    /// How much streamed text a state keeps for its live line.
    private static let tailLimit = 400
    /// Where a log line of streamed text is cut when the text has no newline.
    private static let logLineLimit = 120

    init(live: Bool, colors: Bool, showsText: Bool, columns: Int, rows: Int) {
        self.live = live
        self.colors = colors
        self.showsText = showsText
        self.columns = columns
        self.rows = rows
    }

    /// Whether any run is in flight, so that the live view has something to keep up to date.
    var hasRuns: Bool { !runs.isEmpty }

    /// A run being shown: when it started and its latest event (on its clock), when the monitor saw that event
    /// (on the monitor's), and its running states in the order they started.
    struct RunView {
        var start: Duration
        var now: Duration
        var seenAt: Duration
        var states: [StateView] = []
    }

    /// A running state: what it has streamed and the tokens it has used so far.
    struct StateView {
        let path: StatePath
        var started: Duration
        /// The end of the streamed text, for the live line.
        var streamed = ""
        /// Streamed text not yet written as a log line.
        var pending = ""
        var tokens: TokenUsage?
    }

    /// A line that stays: when, how deep, a symbol and the words.
    struct Line {
        var offset: Duration
        var depth: Int
        var symbol: String
        var text: String
    }

    /// The text to write for `event`: new lines, and in a live view the escape sequences that redraw it;
    /// empty when there is nothing to show.
    ///
    /// - Parameters:
    ///   - event: The event.
    ///   - now: The time on the monitor's clock.
    mutating func render(_ event: OrchestrationEvent, now: Duration) -> String {
        var run = runs[event.runID] ?? RunView(start: event.timestamp, now: event.timestamp, seenAt: now)
        if runs[event.runID] == nil { order.append(event.runID) }
        run.now = event.timestamp
        run.seenAt = now
        var lines: [Line] = []
        var changed = false  // whether a state started or ended: the live view must be redrawn now
        var streamed = false  // whether only a state's text or tokens changed: the redraw may wait
        func line(_ symbol: String, _ text: String, depth: Int = event.path.depth) {
            lines.append(Line(offset: event.timestamp - run.start, depth: depth, symbol: symbol, text: text))
        }
        let path = event.path
        let runName = "run \(event.runID.description.prefix(8))"

        switch event.kind {
        case .runStarted:
            line("▶", "\(runName) started", depth: 1)
        case .runResumed:
            line("▶", "\(runName) resumed at step \(event.step), \(path)", depth: 1)
        case .stateStarted:
            run.states.removeAll { $0.path == path }
            run.states.append(StateView(path: path, started: event.timestamp))
            if !live { line("▶", "\(path)") }
            changed = true
        case .stateCompleted(let duration):
            let state = finish(path, in: &run, flushingInto: &lines, at: event.timestamp)
            let tokens = state?.tokens.map { " · " + ConsoleFormat.tokens($0) } ?? ""
            line("✓", "\(path)  \(ConsoleFormat.duration(duration))\(tokens)")
            changed = true
        case .stateFailed(let error):
            _ = finish(path, in: &run, flushingInto: &lines, at: event.timestamp)
            line("✗", "\(path) failed: \(error.message)")
            changed = true
        case .transition(let next):
            line("→", "\(path) → \(next)")
        case .retrying(let attempt, let delay, let error):
            line("↻", "\(path): attempt \(attempt) in \(ConsoleFormat.duration(delay)) after: \(error)")
        case .timedOut(let limit):
            line("!", "\(path) timed out after \(ConsoleFormat.duration(limit))")
        case .fallback(let other, let error):
            line("↪", "\(path) falls back to \(other) after: \(error)")
        case .circuitChanged(let breaker, let state):
            line("!", "\(path): circuit breaker '\(breaker)' is \(state)")
        case .rejected(let error):
            line("!", "\(path) rejected: \(error.message)")
        case .throttled(let limiter, let wait):
            line("…", "\(path) waits \(ConsoleFormat.duration(wait)) for rate limiter '\(limiter)'")
        case .queued(let bulkhead):
            line("…", "\(path) queued at bulkhead '\(bulkhead)'")
        case .chunk(let value):
            let display = (value as? any ConsoleDisplayable)?.consoleDisplay ?? .line(String(describing: value))
            streamed = show(display, of: event, in: &run, into: &lines)
        case .runCompleted(let record):
            end(&run, flushingInto: &lines, at: event.timestamp)
            line("✓", "\(runName) completed · \(ConsoleMonitor.summary(of: record))", depth: 1)
        case .runFailed(let error, let record):
            end(&run, flushingInto: &lines, at: event.timestamp)
            line("✗", "\(runName) failed: \(error.message) · \(ConsoleMonitor.summary(of: record))", depth: 1)
        case .runCancelled(let record):
            end(&run, flushingInto: &lines, at: event.timestamp)
            line("■", "\(runName) cancelled · \(ConsoleMonitor.summary(of: record))", depth: 1)
        case .runSuspended(let suspension, let record):
            end(&run, flushingInto: &lines, at: event.timestamp)
            line(
                "⏸", "\(runName) waits for an answer at \(suspension.state) · \(ConsoleMonitor.summary(of: record))",
                depth: 1)
        }

        let showsRun = runs.count + (runs[event.runID] == nil ? 1 : 0) > 1  // several runs in flight
        if event.isTerminal {
            runs[event.runID] = nil
            order.removeAll { $0 == event.runID }
        } else {
            runs[event.runID] = run
        }
        let text = lines.map { format($0, run: showsRun ? event.runID : nil) + "\n" }.joined()
        guard live else { return text }
        if text.isEmpty && !changed {
            guard streamed else { return "" }
            if let lastDraw, now - lastDraw < Self.redrawInterval {
                stale = true
                return ""  // only new text, soon after the last redraw: it waits for the next one, or a tick
            }
        }
        return redraw(adding: text, now: now)
    }

    /// The live view redrawn, so that running states' durations and the spinner move and held-back text shows,
    /// even when no event comes; empty when there is nothing to draw or it was drawn a moment ago.
    ///
    /// - Parameter now: The time on the monitor's clock.
    mutating func tick(now: Duration) -> String {
        guard live, !runs.isEmpty || drawn > 0 else { return "" }
        if let lastDraw, now - lastDraw < Self.redrawInterval, !stale { return "" }
        return redraw(adding: "", now: now)
    }

    /// Shows a chunk: a line, text added to the state's stream, or tokens counted.
    ///
    /// - Returns: Whether the live view's text or tokens changed.
    private func show(
        _ display: ConsoleDisplay, of event: OrchestrationEvent, in run: inout RunView, into lines: inout [Line]
    ) -> Bool {
        let path = event.path
        let index: Int
        if let running = run.states.firstIndex(where: { $0.path == path }) {
            index = running
        } else {
            run.states.append(StateView(path: path, started: event.timestamp))  // started before the monitor came
            index = run.states.count - 1
        }
        switch display {
        case .text(let text):
            guard showsText else { return false }
            run.states[index].streamed = String((run.states[index].streamed + text).suffix(Self.tailLimit))
            guard !live else { return true }
            run.states[index].pending += text
            lines += logLines(of: &run.states[index], at: event.timestamp - run.start, flushing: false)
            return false
        case .snapshot(let text):
            guard showsText, live else { return false }
            run.states[index].streamed = String(text.suffix(Self.tailLimit))
            return true
        case .line(let text):
            let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            lines.append(
                Line(offset: event.timestamp - run.start, depth: path.depth, symbol: "·", text: "\(path): \(flat)"))
            return false
        case .usage(let usage):
            run.states[index].tokens = (run.states[index].tokens ?? .zero) + usage
            return live
        case .hidden:
            return false
        }
    }

    /// Removes a state that ended, writing the rest of its streamed text to the log.
    private func finish(_ path: StatePath, in run: inout RunView, flushingInto lines: inout [Line], at time: Duration)
        -> StateView?
    {
        guard let index = run.states.firstIndex(where: { $0.path == path }) else { return nil }
        var state = run.states.remove(at: index)
        lines += logLines(of: &state, at: time - run.start, flushing: true)
        return state
    }

    /// Ends a run: whatever its states had not yet written goes to the log.
    private func end(_ run: inout RunView, flushingInto lines: inout [Line], at time: Duration) {
        for index in run.states.indices {
            lines += logLines(of: &run.states[index], at: time - run.start, flushing: true)
        }
        run.states = []
    }

    /// The complete lines of a state's pending text — all of it when `flushing` — for a log; none in a live view.
    private func logLines(of state: inout StateView, at offset: Duration, flushing: Bool) -> [Line] {
        guard !live else { return [] }
        var lines: [String] = []
        while let newline = state.pending.firstIndex(where: \.isNewline) {
            lines.append(String(state.pending[..<newline]))
            state.pending = String(state.pending[state.pending.index(after: newline)...])
        }
        while state.pending.count > Self.logLineLimit {
            let head = state.pending.prefix(Self.logLineLimit)
            let cut = head.lastIndex(of: " ").map { state.pending.index(after: $0) } ?? head.endIndex
            lines.append(String(state.pending[..<cut]))
            state.pending = String(state.pending[cut...])
        }
        if flushing {
            lines.append(state.pending)
            state.pending = ""
        }
        return lines.compactMap { text in
            let trimmed = text.trimmingSpaces
            guard !trimmed.isEmpty else { return nil }
            return Line(offset: offset, depth: state.path.depth, symbol: "", text: "\(state.path) │ \(trimmed)")
        }
    }

    /// A permanent line: the offset, the run when several are in flight, the indent, the symbol and the words —
    /// with every control character made visible, so that nothing a state or a model wrote can drive the terminal.
    private func format(_ line: Line, run: RunID?) -> String {
        let offset = paint(ConsoleFormat.offset(line.offset), "2")
        let runID = run.map { "[\($0.description.prefix(8))] " } ?? ""
        let indent = String(repeating: "  ", count: max(line.depth - 1, 0))
        let symbol = line.symbol.isEmpty ? "" : paint(line.symbol, color(of: line.symbol)) + " "
        return "\(offset) \(runID)\(indent)\(symbol)\(ConsoleFormat.sanitized(line.text))"
    }

    /// Clears the live view, writes `text` above it, and draws it again.
    private mutating func redraw(adding text: String, now: Duration) -> String {
        var output = drawn > 0 ? "\r\u{1B}[\(drawn)A\u{1B}[J" : ""
        output += text
        frame += 1
        let view = liveLines(now: now)
        output += view.map { $0 + "\n" }.joined()
        drawn = view.count
        lastDraw = now
        stale = false
        return output
    }

    /// One line per running state of every run, each narrower than the terminal, and no more lines than fit
    /// below what is already on the screen: a line that wraps, or a view taller than the screen, could not be
    /// erased by the next redraw.
    private func liveLines(now: Duration) -> [String] {
        let spinner = Self.spinner[frame % Self.spinner.count]
        let width = columns - 1 - 2  // a column of slack, then the spinner and a space
        var lines: [String] = []
        for id in order {
            guard let run = runs[id] else { continue }
            let runID = runs.count > 1 ? "[\(id.description.prefix(8))] " : ""
            let since = max(now - run.seenAt, .zero)  // no event since then: the state is still running
            for state in run.states {
                let indent = String(repeating: "  ", count: max(state.path.depth - 1, 0))
                let elapsed = ConsoleFormat.duration(run.now - state.started + since)
                var head = ConsoleFormat.sanitized("\(runID)\(indent)\(state.path)  \(elapsed)")
                if let tokens = state.tokens { head += " · " + ConsoleFormat.tokens(tokens) }
                let room = width - ConsoleFormat.columns(head) - 2
                if !state.streamed.isEmpty, room >= 12 {
                    head += "  " + ConsoleFormat.tail(ConsoleFormat.sanitized(state.streamed), columns: room)
                }
                lines.append(paint(spinner, "36") + " " + ConsoleFormat.prefix(head, columns: width))
            }
        }
        let room = max(rows - 2, 1)
        guard lines.count > room else { return lines }
        let more = lines.count - (room - 1)
        return lines.prefix(room - 1) + [paint("…", "36") + " \(more) more running"]
    }

    private func color(of symbol: String) -> String {
        switch symbol {
        case "✓": "32"
        case "✗": "31"
        case "→", "▶": "36"
        case "!", "↻", "↪", "■": "33"
        default: "2"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

extension String {
    /// Without spaces and tabs at either end.
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
