/// A problem ``Orchestration/validate()`` found in a machine's declared graph, before any run.
public struct GraphDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious it is.
    public enum Severity: String, Sendable, Hashable {
        /// A run that meets it cannot complete; with ``OrchestrationOptions/validatesGraph`` runs refuse to start.
        case error
        /// Probably a mistake, or a part of the graph that cannot be checked.
        case warning
    }

    /// What was found.
    public enum Kind: String, Sendable, Hashable {
        /// The exit cannot be reached from the start through declared transitions.
        case exitUnreachable
        /// A state is known to the machine but no declared path from the start reaches it.
        case unreachableState
        /// A state that is not the exit has no advancer, so every run reaching it ends in a dead end.
        case noWayOut
        /// No declared path leads from a reachable state to the exit, so runs reaching it cannot complete.
        case cannotReachExit
        /// An advancer chooses its target at run time without declaring it; the graph past it is unchecked.
        case undeclaredTargets
        /// Two different states share a name, so events and records cannot tell them apart.
        case duplicateName
        /// The exit state has an advancer that always leaves it, so no run can ever complete.
        case exitAlwaysLeaves
        /// An advancer comes after one that decides for every output, so it is never tried.
        case unreachableAdvancer
        /// With a checkpoint store, a state's input (or the exit's output) is not `Codable`, so it cannot be saved.
        case notCodable
        /// The machine has an ``AwaitInput`` state but no ``OrchestrationOptions/checkpoints`` to suspend runs in.
        case needsCheckpointStore
    }

    /// What was found.
    public let kind: Kind
    /// How serious it is.
    public let severity: Severity
    /// The state concerned.
    public let state: String
    /// What was found and what to do, in a sentence.
    public let message: String

    /// The severity, the kind and the message.
    public var description: String { "\(severity): \(message)" }
}
