/// What a ``ConsoleMonitor`` writes for each event: a pure function of the events so far, so that it can
/// be tested without a terminal. The monitor writes what ``render(_:)`` returns.
struct ConsoleRenderer {
    let live: Bool
    let colors: Bool
    let showsText: Bool
    let width: Int

    /// The runs that have started and not ended, by id, and the order they started in.
    private var runs: [RunID: RunView] = [:]
    private var order: [RunID] = []
    /// How many lines of live view are on the screen, below the last permanent line.
    private var drawn = 0
    /// When the live view was last drawn, on the clock of the event that drew it.
    private var lastDraw: Duration?
    private var frame = 0

    /// How often streamed text may redraw the live view: more often only flickers.
    private static let redrawInterval = Duration.milliseconds(50)
    private static let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    /// How much streamed text a state keeps for its live line.
    private static let tailLimit = 400
    /// Where a log line of streamed text is cut when the text has no newline.
    private static let logLineLimit = 120

    init(live: Bool, colors: Bool, showsText: Bool, width: Int) {
        self.live = live
        self.colors = colors
        self.showsText = showsText
        self.width = width
    }

    /// A run being shown: when it started, its latest event, and its running states in the order they started.
    struct RunView {
        var start: Duration
        var now: Duration
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
    mutating func render(_ event: OrchestrationEvent) -> String {
        var run = runs[event.runID] ?? RunView(start: event.timestamp, now: event.timestamp)
        if runs[event.runID] == nil { order.append(event.runID) }
        run.now = event.timestamp
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
            if let lastDraw, event.timestamp >= lastDraw, event.timestamp - lastDraw < Self.redrawInterval {
                return ""  // only new text, soon after the last redraw: it waits for the next one
            }
        }
        return redraw(adding: text, at: event.timestamp)
    }

    /// Shows a chunk: a line, text added to the state's stream, or tokens counted.
    ///
    /// - Returns: Whether the live view's text or tokens changed.
    private func show(
        _ display: ConsoleDisplay, of event: OrchestrationEvent, in run: inout RunView, into lines: inout [Line]
    ) -> Bool {
        let path = event.path
        if !run.states.contains(where: { $0.path == path }) {
            run.states.append(StateView(path: path, started: event.timestamp))  // started before the monitor came
        }
        let index = run.states.lastIndex { $0.path == path } ?? run.states.endIndex - 1
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

    /// A permanent line: the offset, the run when several are in flight, the indent, the symbol and the words.
    private func format(_ line: Line, run: RunID?) -> String {
        let offset = paint(ConsoleFormat.offset(line.offset), "2")
        let runID = run.map { "[\($0.description.prefix(8))] " } ?? ""
        let indent = String(repeating: "  ", count: max(line.depth - 1, 0))
        let symbol = line.symbol.isEmpty ? "" : paint(line.symbol, color(of: line.symbol)) + " "
        return "\(offset) \(runID)\(indent)\(symbol)\(line.text)"
    }

    /// Clears the live view, writes `text` above it, and draws it again.
    private mutating func redraw(adding text: String, at time: Duration) -> String {
        var output = drawn > 0 ? "\r\u{1B}[\(drawn)A\u{1B}[J" : ""
        output += text
        frame += 1
        let view = liveLines()
        output += view.map { $0 + "\n" }.joined()
        drawn = view.count
        lastDraw = time
        return output
    }

    /// One line per running state of every run, each shorter than the terminal is wide.
    private func liveLines() -> [String] {
        let spinner = Self.spinner[frame % Self.spinner.count]
        var lines: [String] = []
        for id in order {
            guard let run = runs[id] else { continue }
            let runID = runs.count > 1 ? "[\(id.description.prefix(8))] " : ""
            for state in run.states {
                let indent = String(repeating: "  ", count: max(state.path.depth - 1, 0))
                var head = "\(runID)\(indent)\(state.path)  \(ConsoleFormat.duration(run.now - state.started))"
                if let tokens = state.tokens { head += " · " + ConsoleFormat.tokens(tokens) }
                let room = width - 1 - 2 - head.count - 2
                if !state.streamed.isEmpty, room >= 12 {
                    head += "  " + ConsoleFormat.tail(state.streamed, limit: room)
                }
                lines.append(paint(spinner, "36") + " " + String(head.prefix(max(width - 3, 0))))
            }
        }
        return lines
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
