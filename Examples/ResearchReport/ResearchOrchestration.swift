import OrchestraAgents

/// How big a research run may get.
struct ResearchSettings: Sendable, Equatable {
    /// The most searches a plan may have.
    var maxSearches = 3
    /// The most searches in flight at once.
    var concurrency = 3
    /// The most tokens per model call of the planner and the report writer: enough for the longest report the
    /// schema allows.
    var maxTokens = 1000
    /// The most tokens per model call of a search: its notes are short, and notes cut off are kept.
    var noteTokens = 300
    /// Attempts per model call, for errors worth another attempt (a timeout, a 503…).
    var attempts = 3
}

/// The research-report machine of LlmTornado's documentation, in Orchestra: Planning → Research → Reporting.
///
/// ```text
/// Planning ──has searches──▶ Research (ForEach Search, at most `concurrency` at once) ──notes──▶ Reporting
/// ```
///
/// - Parameters:
///   - model: The model every state asks: a scripted one offline, or an `OpenAICompatibleModel`.
///   - webSearch: The search tool of the research agents.
///   - settings: The bounds of a run.
/// - Returns: `Orchestration<String, ReportData>`: a topic in, a report out.
/// - Throws: `ToolRegistryError` if the search tool is not a valid tool.
func researchOrchestration(
    model: any ChatModel, webSearch: WebSearch = WebSearch(), settings: ResearchSettings = ResearchSettings()
) throws(ToolRegistryError) -> Orchestration<String, ReportData> {
    // A model call that failed for a passing reason is tried again, after a backoff on the run's clock.
    let retry = RetryPolicy(maxAttempts: settings.attempts, initialDelay: .milliseconds(500)) { error in
        (error as? ModelError)?.isTransient ?? false
    }
    // JSON cut off at the token limit cannot be read: a plan or a report cut off is worth another attempt too.
    let retryCutOff = RetryPolicy(maxAttempts: settings.attempts, initialDelay: .milliseconds(500)) { error in
        retry.isRetryable(error) || isCutOff(error)
    }
    let planning = Planning(model: model, maxSearches: settings.maxSearches, maxTokens: settings.maxTokens)
        .retry(retryCutOff)
    let search = try Search(model: model, webSearch: webSearch, maxTokens: settings.noteTokens).retry(retry)
    // Every search runs, whatever happens to the others: a failed one becomes a `.failure` in the output.
    let research = ForEach(collecting: search, maxConcurrency: settings.concurrency, name: "Research")
    // The report's next attempt is asked to be shorter.
    let reporting = Reporting(model: model, maxTokens: settings.maxTokens).retry(retryCutOff) { notes, error, _ in
        isCutOff(error) && !notes.hasPrefix(Reporting.shorter) ? Reporting.shorter + notes : notes
    }

    // Each edge is checked by the compiler: Planning's ResearchPlan becomes Research's [PlannedSearch], and
    // Research's outcomes become Reporting's String through the advancer.
    planning.advance(to: research, label: "has searches", when: { !$0.searches.isEmpty }, convert: { $0.searches })
    research.advance(with: NotesAdvancer(to: reporting))
    return Orchestration(start: planning, exit: reporting)
}

/// Whether `error` is an agent's answer cut off at its token limit.
func isCutOff(_ error: any Error) -> Bool {
    guard let error = error as? AgentError, case .cutOff = error.reason else { return false }
    return true
}
