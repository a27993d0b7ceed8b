import Foundation

/// What one terminal record comes to: an observation per state it counts, and one of the run.
struct RecordObservations: Sendable {
    var states: [StateObservation]
    var run: RunObservation

    /// Observes the steps of `record` from index `first` on — all of them for a run from its start, the resumed
    /// part's for a resumed run — pricing their tokens with `prices`.
    ///
    /// - Parameters:
    ///   - resumedAt: The step a resumed part began at; `nil` for a run from its start.
    ///   - duration: The observed part's duration, when the caller measured it; otherwise the record's duration,
    ///     less the start of the first step observed for a resumed part.
    init(
        _ record: RunRecord, from first: Int = 0, resumedAt: Int? = nil, duration: Duration? = nil, prices: PriceTable?
    ) {
        var run = RunObservation(
            runID: record.runID, status: record.status, duration: duration ?? record.duration, resumedAt: resumedAt,
            cost: prices == nil ? nil : .zero)
        var states: [StateObservation] = []
        var earliest: Duration?
        for step in record.steps[min(first, record.steps.count)...] {
            let tokens = step.tokens ?? .zero
            let (cost, unpriced) = Self.price(tokens, byModel: step.tokensByModel, prices: prices)
            states.append(
                StateObservation(
                    runID: record.runID, step: step.step, path: step.path, duration: step.duration,
                    failed: step.failed, retries: step.retries, tokens: tokens, tokensByModel: step.tokensByModel,
                    cost: cost, unpriced: unpriced))
            run.tokens += tokens
            if let cost { run.cost = (run.cost ?? .zero) + cost }
            run.unpriced.merge(unpriced, uniquingKeysWith: +)
            earliest = earliest.map { min($0, step.start) } ?? step.start
        }
        if duration == nil, resumedAt != nil, let total = record.duration {
            run.duration = earliest.map { max(total - $0, .zero) }
        }
        run.states = states.count
        self.states = states
        self.run = run
    }

    /// The cost of the tokens `prices` prices, and the tokens it does not, by model (`""` for those of no model).
    static func price(_ tokens: TokenUsage, byModel: [String: TokenUsage], prices: PriceTable?)
        -> (cost: Decimal?, unpriced: [String: TokenUsage])
    {
        var cost: Decimal? = prices == nil ? nil : .zero
        var unpriced: [String: TokenUsage] = [:]
        var named = TokenUsage.zero
        for (model, usage) in byModel {
            named += usage
            if let price = prices?.price(for: model) {
                cost = (cost ?? .zero) + price.cost(of: usage)
            } else {
                unpriced[model, default: .zero] += usage
            }
        }
        let unnamed = TokenUsage(
            promptTokens: remainder(tokens.promptTokens, named.promptTokens),
            completionTokens: remainder(tokens.completionTokens, named.completionTokens))
        if unnamed != .zero { unpriced["", default: .zero] += unnamed }
        return (cost, unpriced)
    }

    /// `total − part`, at least 0: a count a model reported wrongly must not trap the hook that adds it up.
    private static func remainder(_ total: Int, _ part: Int) -> Int {
        let (difference, overflow) = total.subtractingReportingOverflow(part)
        return overflow ? (part < 0 ? .max : 0) : max(difference, 0)
    }
}
