// An agent is a runnable: whoever imports OrchestraAgents uses Orchestra's types with it — `Runnable`,
// `RunContext`, `Orchestration`, `TokenUsage` — and gets them from the one import.
@_exported public import Orchestra
