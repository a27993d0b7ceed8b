extension RunRecord {
    /// The run as a Mermaid `gantt` chart, to paste into Markdown inside a code block marked `mermaid`.
    ///
    /// Each executed state is a bar from its start to its end, in milliseconds from the run's start; the states of
    /// the machine itself form the first section, and the children a composite runs a section per path
    /// (`Research`, `Research/ForEach[3]`, `Checks[0]`), so parallel branches appear side by side over the same
    /// stretch of time. A failed
    /// state's bar is marked critical (red). Bars are at least 1 ms wide, so that a state quicker than that is
    /// still drawn; a state with no measured duration is drawn 1 ms wide.
    ///
    /// ```swift
    /// let record = await orchestration.start(topic).record
    /// print(record.mermaidTimeline)
    /// ```
    public var mermaidTimeline: String {
        var lines = [
            "gantt",
            "    title Run \(runID.description.prefix(8)) · \(status.rawValue)",
            "    dateFormat x",
            "    axisFormat \(Self.axisFormat(for: steps))",
        ]
        var sections: [(name: String, steps: [Step])] = []
        for step in steps {
            let section = step.parent?.description ?? "run"
            if let index = sections.firstIndex(where: { $0.name == section }) {
                sections[index].steps.append(step)
            } else {
                sections.append((section, [step]))
            }
        }
        for section in sections {
            lines.append("    section \(Self.ganttText(section.name))")
            for step in section.steps {
                let start = Self.milliseconds(step.start)
                let length = max(1, step.duration.map(Self.milliseconds) ?? 1)
                let took = step.duration.map { " (\(Self.milliseconds($0)) ms)" } ?? ""
                let tag = step.failed ? "crit" : "done"
                lines.append(
                    "    \(Self.ganttText(step.state))\(took) :\(tag), t\(step.step), \(start), \(start + length)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whole milliseconds, rounded, and held within about 31,000 years either way: a step built by hand with an
    /// absurd time draws a long bar rather than trap converting to `Int`, or adding its start and length.
    static func milliseconds(_ duration: Duration) -> Int {
        Int(min(max((duration.seconds * 1000).rounded(), -1e15), 1e15))
    }

    /// Seconds and milliseconds for runs under a minute, minutes and seconds for longer ones.
    static func axisFormat(for steps: [Step]) -> String {
        let end = steps.map { $0.start + ($0.duration ?? .zero) }.max() ?? .zero
        return end < .seconds(60) ? "%S.%L s" : "%M:%S"
    }

    /// A task or section name: the characters a gantt line gives meaning to (`:`, `;`, `#`) and line breaks of
    /// any kind (`\r\n` is one `Character`) become spaces.
    static func ganttText(_ text: String) -> String {
        String(text.map { $0.isNewline || ":;#".contains($0) ? " " : $0 })
    }
}
