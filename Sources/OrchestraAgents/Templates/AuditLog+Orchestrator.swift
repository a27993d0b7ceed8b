import Foundation

extension AuditLog {
    /// Writes every run of `orchestrator`'s templates, and for each run the selector's choice, as a `selection`
    /// decision with the run's id.
    ///
    /// ```swift
    /// let audit = try AuditLog(file: URL(filePath: "audit.jsonl"))
    /// audit.attach(to: orchestrator)
    /// let answer = try await orchestrator.run("Search the web for solar panel prices, then compare them")
    /// ```
    ///
    /// The choice is made before its run exists, so its line is written as the run starts — before the run's own
    /// lines, or among its first — and carries the run's `run` and `trace`. A choice that cannot be written is
    /// reported on standard error.
    ///
    /// - Parameter orchestrator: The orchestrator to audit.
    /// - Returns: The subscriptions of the templates' hooks: wait for them to catch up, or cancel them all to stop
    ///   writing, choices included.
    @discardableResult
    public func attach(to orchestrator: Orchestrator) -> [EventSubscription] {
        let subscriptions = orchestrator.orchestrations.map { attach(to: $0) }
        // Weakly: the orchestrator outlives a log whose subscriptions were cancelled, and must not keep it open.
        orchestrator.watchChoices { [weak self] choice, run in
            // Cancelling the subscriptions returned stops the choices' lines too.
            guard let self, subscriptions.contains(where: \.isActive), let decision = choice.decision else { return }
            do {
                try record(decision, run: run)
            } catch {
                Orchestration<Never, Never>.warn("the audit log could not write the choice for run \(run): \(error)")
            }
        }
        return subscriptions
    }
}
