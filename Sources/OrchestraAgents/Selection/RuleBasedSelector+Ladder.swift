extension RuleBasedSelector {
    /// The default ladder's scores for simple, planner and reactive, to two decimals; ``RuleBasedSelector``
    /// documents the formulas.
    static func ladderScores(_ analysis: RequestAnalysis) -> [(type: OrchestrationType, score: Double)] {
        let steps = analysis.steps.count
        let adaptations = analysis.adaptations.count
        let acting = analysis.intent == .command
        var simple = 1 - analysis.complexity
        if analysis.needsTools { simple *= 0.4 }
        if steps > 0 { simple *= 0.5 }
        if adaptations > 0 && acting { simple *= 0.6 }
        let planner = max(analysis.complexity, analysis.needsTools ? 0.6 : 0, steps >= 2 ? 0.7 : steps == 1 ? 0.5 : 0)
        let reactive =
            adaptations == 0
            ? 0 : (acting ? 1 : 0.5) * (0.5 + 0.5 * max(planner, Double(min(adaptations, 3)) / 3))
        return [(.simple, simple), (.planner, planner), (.reactive, reactive)].map {
            (type: $0, score: ($1 * 100).rounded() / 100)
        }
    }

    /// The default ladder's choice: the best score, ties to the more capable type, with `0.5 +` the margin to the
    /// next best as the confidence, to two decimals and at most 0.95.
    func ladderChoice(_ analysis: RequestAnalysis) -> OrchestrationChoice {
        guard analysis.words > 0 else {
            return OrchestrationChoice(
                type: .simple, confidence: 0.95, reason: "the request has no words; one call answers it",
                decidedBy: .rules)
        }
        let scores = Self.ladderScores(analysis)
        let ranked = scores.indices.sorted { first, second in
            scores[first].score != scores[second].score ? scores[first].score > scores[second].score : first > second
        }.map { scores[$0] }
        let (best, next) = (ranked[0], ranked[1])  // three scores, always
        let confidence = min(0.95, ((0.5 + best.score - next.score) * 100).rounded() / 100)
        let scored = ranked.map { "\($0.type) \(OrchestrationChoice.format($0.score))" }.joined(separator: ", ")
        return OrchestrationChoice(
            type: best.type, confidence: confidence,
            reason: "no rule matched; the default ladder scores \(scored) for \(Self.evidence(analysis))",
            decidedBy: .rules)
    }

    /// What the ladder saw, as in `a command of 18 words, complexity 0.41, needing tools (fetch, send), with steps
    /// (first, then, after that)`.
    private static func evidence(_ analysis: RequestAnalysis) -> String {
        let kind =
            switch analysis.intent {
            case .question: "a question"
            case .command: "a command"
            case .conversation: "small talk"
            }
        var parts = [
            "\(kind) of \(analysis.words) word\(analysis.words == 1 ? "" : "s")",
            "complexity \(OrchestrationChoice.format(analysis.complexity))",
        ]
        func list(_ items: [String]) -> String { items.joined(separator: ", ") }
        if analysis.needsTools { parts.append("needing tools (\(list(analysis.tools + analysis.actions)))") }
        if !analysis.steps.isEmpty { parts.append("with steps (\(list(analysis.steps)))") }
        if !analysis.adaptations.isEmpty { parts.append("adapting (\(list(analysis.adaptations)))") }
        return list(parts)
    }
}
