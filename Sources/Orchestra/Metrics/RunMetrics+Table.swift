import Foundation

extension RunMetrics {
    /// The metrics as a Markdown table: a row per state, sorted by path, and a last row for the runs — executions,
    /// failures, retries, latency percentiles, tokens in and out, cost and unpriced tokens — with a line of the runs'
    /// statuses above it and one of the unpriced tokens by model below it when there are any.
    ///
    /// ```swift
    /// print(metrics.snapshot.table)
    /// ```
    ///
    /// ```text
    /// 3 runs: 3 completed, 0 failed, 0 cancelled, 0 suspended
    ///
    /// | State | Runs | Failed | Retries | p50 | p90 | p99 | Tokens in | Tokens out | Cost | Unpriced tokens |
    /// | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
    /// | Fetch | 3 | 0 | 0 | 10 ms | 10 ms | 10 ms | 120 | 30 | 0.0006 | 0 |
    /// …
    /// ```
    public var table: String {
        var lines = [
            "\(runs) run\(runs == 1 ? "" : "s"): \(completed) completed, \(failed) failed, \(cancelled) cancelled, "
                + "\(suspended) suspended",
            "",
            "| State | Runs | Failed | Retries | p50 | p90 | p99 | Tokens in | Tokens out | Cost | Unpriced tokens |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for state in states.values.sorted(by: { $0.path < $1.path }) {
            lines.append(
                Self.row(
                    Self.cell(state.path), count: state.count,
                    failures: state.failures, retries: state.retries, latency: state.latency, tokens: state.tokens,
                    cost: state.cost, unpriced: state.unpricedTokens))
        }
        let retries = states.values.reduce(0) { saturatingSum($0, $1.retries) }
        lines.append(
            Self.row(
                "**all runs**", count: runs, failures: failed, retries: retries, latency: latency, tokens: tokens,
                cost: cost, unpriced: unpricedTokens))
        if !unpriced.isEmpty {
            let models = unpriced.sorted { $0.key < $1.key }.map { model, usage in
                "\(model.isEmpty ? "(no model)" : model) \(ConsoleFormat.grouped(usage.totalTokens))"
            }
            lines += ["", "Unpriced tokens by model: \(models.joined(separator: ", "))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as one Markdown table cell: a `|` escaped, a line break (which would end the row) a space.
    private static func cell(_ text: String) -> String {
        String(
            text.flatMap { character -> [Character] in
                character == "|" ? ["\\", "|"] : character.isNewline ? [" "] : [character]
            })
    }

    private static func row(
        _ name: String, count: Int, failures: Int, retries: Int, latency: LatencySummary, tokens: TokenUsage,
        cost: Decimal, unpriced: TokenUsage
    ) -> String {
        let times =
            latency.count == 0 ? ["–", "–", "–"] : [latency.p50, latency.p90, latency.p99].map(ConsoleFormat.duration)
        let cells =
            [name, "\(count)", "\(failures)", "\(retries)"] + times
            + [tokens.promptTokens, tokens.completionTokens].map(ConsoleFormat.grouped)
            + ["\(cost)", ConsoleFormat.grouped(unpriced.totalTokens)]
        return "| " + cells.joined(separator: " | ") + " |"
    }
}
