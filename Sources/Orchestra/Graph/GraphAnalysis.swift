import Synchronization

/// Incremented whenever any runnable's advancers or name change, so that cached validations
/// know when to look again.
enum GraphVersion {
    private static let value = Atomic<UInt64>(0)
    static func bump() { value.add(1, ordering: .relaxed) }
    static var current: UInt64 { value.load(ordering: .relaxed) }
}

/// The machine's declared graph, read once from its states, and the checks on it.
struct GraphAnalysis {
    struct Node {
        var state: any StateNode
        var name: String
        var edges: [DeclaredEdge]
        var successors: [ObjectIdentifier]
        var isOpen: Bool
    }

    private(set) var nodes: [ObjectIdentifier: Node] = [:]
    /// States in the order they were found, so that diagnostics come out in a stable order.
    private(set) var order: [ObjectIdentifier] = []
    let start: ObjectIdentifier
    let exit: ObjectIdentifier

    init(start: any StateNode, exit: any StateNode) {
        self.start = ObjectIdentifier(start)
        self.exit = ObjectIdentifier(exit)
        discover(from: start)
        discover(from: exit)
    }

    private mutating func discover(from root: any StateNode) {
        var stack = [root]
        while let state = stack.popLast() {
            let id = ObjectIdentifier(state)
            guard nodes[id] == nil else { continue }
            let edges = state.declaredEdges
            let targets = edges.flatMap { $0.targets ?? [] }
            nodes[id] = Node(
                state: state, name: state.stateName, edges: edges,
                successors: targets.map { ObjectIdentifier($0) },
                isOpen: edges.contains { $0.targets == nil }
            )
            order.append(id)
            stack.append(contentsOf: targets.reversed())
        }
    }

    /// The states reachable from `root` along declared edges, `root` included.
    func reachable(from root: ObjectIdentifier) -> Set<ObjectIdentifier> {
        var seen: Set<ObjectIdentifier> = [root]
        var stack = [root]
        while let id = stack.popLast() {
            for next in nodes[id]?.successors ?? [] where seen.insert(next).inserted {
                stack.append(next)
            }
        }
        return seen
    }

    /// The states by name, the first found of each name; with checkpoints, a run resumes at the state its
    /// checkpoint names.
    var statesByName: [String: any StateNode] {
        var states: [String: any StateNode] = [:]
        for id in order.reversed() {
            if let node = nodes[id] { states[node.name] = node.state }
        }
        return states
    }

    /// - Parameter durable: Whether runs save checkpoints, which every value on an edge must then fit in.
    func diagnostics(durable: Bool = false) -> [GraphDiagnostic] {
        var found: [GraphDiagnostic] = []
        let fromStart = reachable(from: start)
        let openReachable = fromStart.contains { nodes[$0]?.isOpen == true }
        let exitName = nodes[exit]?.name ?? "exit"
        let startName = nodes[start]?.name ?? "start"

        for id in order {
            guard let node = nodes[id] else { continue }
            for edge in node.edges where edge.targets == nil {
                found.append(
                    .init(
                        kind: .undeclaredTargets, severity: durable ? .error : .warning, state: node.name,
                        message: "advancer #\(edge.advancer + 1) of state '\(node.name)' does not declare its targets, "
                            + "so the graph past it cannot be checked\(durable ? Self.resumeNote : ""); pass them "
                            + "(advance(with:) targets, route(to:))"
                    )
                )
            }
        }
        for id in order {
            guard let node = nodes[id] else { continue }
            if let decider = node.edges.first(where: \.alwaysDecides), decider.advancer < node.edges.count - 1 {
                let never = node.edges.filter { $0.advancer > decider.advancer }.map { "#\($0.advancer + 1)" }
                found.append(
                    .init(
                        kind: .unreachableAdvancer, severity: .warning, state: node.name,
                        message: "advancer\(never.count == 1 ? "" : "s") \(never.joined(separator: ", ")) of state "
                            + "'\(node.name)' can never be tried: advancer #\(decider.advancer + 1) before "
                            + "\(never.count == 1 ? "it" : "them") decides for every output; add a condition to it, "
                            + "or move it last"
                    )
                )
            }
            if id == exit, let leaver = node.edges.first(where: \.alwaysLeaves),
                !node.edges.contains(where: { $0.alwaysDecides && $0.advancer < leaver.advancer })
            {
                found.append(
                    .init(
                        kind: .exitAlwaysLeaves, severity: .error, state: node.name,
                        message:
                            "advancer #\(leaver.advancer + 1) of the exit state '\(node.name)' leaves it for every "
                            + "output, so no run can ever complete; give it a condition (advance(to:when:)) or "
                            + "decide with route { … } returning .exit when the run is done"
                    )
                )
            }
        }
        if !fromStart.contains(exit) {
            found.append(
                .init(
                    kind: .exitUnreachable, severity: openReachable ? .warning : .error, state: exitName,
                    message: "no declared path leads from the start state '\(startName)' to the exit state "
                        + "'\(exitName)'\(openReachable ? " (an advancer with undeclared targets may)" : ""); "
                        + "add an advancer on the way to '\(exitName)'"
                )
            )
        }
        for id in order where id != exit {
            guard let node = nodes[id] else { continue }
            if !fromStart.contains(id) {
                found.append(
                    .init(
                        kind: .unreachableState, severity: .warning, state: node.name,
                        message: "state '\(node.name)' is part of the machine but no declared path from the start "
                            + "state '\(startName)' reaches it; add an advancer to it or remove it"
                    )
                )
            }
            if node.edges.isEmpty {
                found.append(
                    .init(
                        kind: .noWayOut, severity: .error, state: node.name,
                        message: "state '\(node.name)' has no advancer and is not the exit state '\(exitName)', so "
                            + "every run that reaches it ends in a dead end; add an advancer, or make it the exit"
                    )
                )
            } else if fromStart.contains(id) {
                let downstream = reachable(from: id)
                let mayEscape = downstream.contains(exit) || downstream.contains { nodes[$0]?.isOpen == true }
                if !mayEscape {
                    found.append(
                        .init(
                            kind: .cannotReachExit, severity: .error, state: node.name,
                            message: "no declared path leads from state '\(node.name)' to the exit state "
                                + "'\(exitName)', so a run that reaches it can only end at the step limit or a "
                                + "dead end; give one of its states an advancer towards '\(exitName)'"
                        )
                    )
                }
            }
        }
        var byName: [String: ObjectIdentifier] = [:]
        for id in order {
            guard let node = nodes[id] else { continue }
            if let other = byName[node.name], other != id {
                found.append(
                    .init(
                        kind: .duplicateName, severity: durable ? .error : .warning, state: node.name,
                        message: "two different states are named '\(node.name)', so events and records cannot tell "
                            + "them apart\(durable ? Self.resumeNote : ""); set a distinct `name` on one of them"
                    )
                )
            } else {
                byName[node.name] = id
            }
        }
        found += checkpointDiagnostics(durable: durable)
        return found
    }

    private static let resumeNote = ", and a run cannot be resumed at a state its checkpoint cannot name"

    /// With checkpoints: every state's input and the exit's output must be `Codable`. Without: an ``AwaitInput``
    /// has nowhere to keep a suspended run.
    private func checkpointDiagnostics(durable: Bool) -> [GraphDiagnostic] {
        var found: [GraphDiagnostic] = []
        for id in order {
            guard let node = nodes[id] else { continue }
            if !durable, node.state is any AwaitingState {
                found.append(
                    .init(
                        kind: .needsCheckpointStore, severity: .error, state: node.name,
                        message: "state '\(node.name)' is an AwaitInput, which suspends the run, but the orchestration "
                            + "has no checkpoint store to keep suspended runs in; set OrchestrationOptions.checkpoints"
                    )
                )
            }
            guard durable else { continue }
            if !node.state.inputIsCodable {
                found.append(
                    .init(
                        kind: .notCodable, severity: .error, state: node.name,
                        message:
                            "state '\(node.name)' takes a \(node.state.inputType), which is not Codable, but with a "
                            + "checkpoint store its input is saved before it runs; make \(node.state.inputType) Codable"
                    )
                )
            }
            if id == exit, !node.state.outputIsCodable {
                found.append(
                    .init(
                        kind: .notCodable, severity: .error, state: node.name,
                        message: "the exit state '\(node.name)' produces a \(node.state.outputType), which is not "
                            + "Codable, but with a checkpoint store a completed run's output is saved; make "
                            + "\(node.state.outputType) Codable"
                    )
                )
            }
        }
        return found
    }
}

/// The last validation of one machine, reused until the graph version changes.
final class ValidationCache: Sendable {
    private struct Entry {
        var version: UInt64
        var diagnostics: [GraphDiagnostic]
        /// The error-level diagnostics, kept apart so that a run's check allocates nothing.
        var errors: [GraphDiagnostic]
        /// The states by name, where a resumed run finds the state its checkpoint names.
        var states: [String: any StateNode]
    }

    private let cached = Mutex<Entry?>(nil)
    /// Whether the orchestration keeps checkpoints, which adds checks.
    let durable: Bool

    init(durable: Bool = false) {
        self.durable = durable
    }

    private func entry(start: any StateNode, exit: any StateNode) -> Entry {
        let version = GraphVersion.current
        if let hit = cached.withLock({ $0 }), hit.version == version { return hit }
        let analysis = GraphAnalysis(start: start, exit: exit)
        let diagnostics = analysis.diagnostics(durable: durable)
        let fresh = Entry(
            version: version, diagnostics: diagnostics, errors: diagnostics.filter { $0.severity == .error },
            states: durable ? analysis.statesByName : [:])
        cached.withLock { $0 = fresh }
        return fresh
    }

    func diagnostics(start: any StateNode, exit: any StateNode) -> [GraphDiagnostic] {
        entry(start: start, exit: exit).diagnostics
    }

    /// The state named `name`, for a resumed run.
    func state(named name: String, start: any StateNode, exit: any StateNode) -> (any StateNode)? {
        entry(start: start, exit: exit).states[name]
    }

    /// The error a run fails with when the graph has error-level diagnostics, else `nil`.
    func failure(start: any StateNode, exit: any StateNode, runID: RunID) -> OrchestrationError? {
        let errors = entry(start: start, exit: exit).errors
        guard let first = errors.first else { return nil }
        let all = errors.map(\.message).joined(separator: "; ")
        return OrchestrationError(
            code: .invalidGraph, state: first.state, step: 0, runID: runID,
            message: "the machine has \(errors.count) graph error\(errors.count == 1 ? "" : "s") and did not start: "
                + "\(all) (set OrchestrationOptions.validatesGraph to false to run anyway)"
        )
    }
}
