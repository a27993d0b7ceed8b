/// A machine's declared graph — its states, the composites' inner states, and the transitions between them — as
/// a value, and drawn as Mermaid or DOT.
///
/// ```swift
/// print(orchestration.graph.mermaid)   // paste into Markdown inside ```mermaid … ```
/// print(orchestration.graph.dot)       // render with `dot -Tsvg`
/// ```
///
/// The graph comes from the advancers' declared targets, so it is the machine as written, not a run of it. A
/// composite (a pipeline, parallel branches, a fan-out, a `ForEach`, a `Loop`) is drawn as a box around its inner
/// states; a policy draws as the state it wraps. Solid arrows always leave; dotted ones are taken only for some
/// outputs (a condition, a route). An advancer that does not declare its targets points to a `?` node.
public struct MachineGraph: Sendable, Hashable {
    /// One state, or a composite's inner state.
    public struct Node: Sendable, Hashable {
        /// A short identifier, unique in the graph and safe in Mermaid and DOT: `s0`, `s2_1`.
        public var id: String
        /// The state's name.
        public var name: String
        /// The composite's kind (`Pipeline`, `Parallel`, `FanOut`, `ForEach`, `Loop`) when the state is one.
        public var composite: String?
        /// The composite that holds this state, by id; `nil` for a state of the machine itself.
        public var parent: String?
    }

    /// One arrow.
    public struct Edge: Sendable, Hashable {
        /// Where it starts, by node id.
        public var from: String
        /// Where it ends, by node id; ``MachineGraph/undeclaredID`` for an advancer that does not declare its targets.
        public var to: String
        /// The advancer's label, if it has one.
        public var label: String?
        /// Whether it is taken only for some outputs (a condition, a route), rather than always.
        public var isConditional: Bool
    }

    /// Every node: the machine's states in the order a walk from the start finds them, each composite followed by
    /// its inner states.
    public var nodes: [Node]
    /// Every arrow: the machine's transitions, and those inside composites (a pipeline's steps in order, a loop's
    /// repetition).
    public var edges: [Edge]
    /// The start state's id.
    public var start: String
    /// The exit state's id.
    public var exit: String

    /// The id of the node that stands for targets an advancer did not declare.
    public static let undeclaredID = "undeclared"

    init(start: any StateNode, exit: any StateNode) {
        let analysis = GraphAnalysis(start: start, exit: exit)
        var nodes: [Node] = []
        var edges: [Edge] = []
        var ids: [ObjectIdentifier: String] = [:]
        for (index, key) in analysis.order.enumerated() {
            guard let node = analysis.nodes[key] else { continue }
            let id = "s\(index)"
            ids[key] = id
            Self.add(node.state, id: id, parent: nil, to: &nodes, edges: &edges)
        }
        for key in analysis.order {
            guard let node = analysis.nodes[key], let from = ids[key] else { continue }
            for edge in node.edges {
                let conditional = !edge.alwaysLeaves
                guard let targets = edge.targets else {
                    edges.append(Edge(from: from, to: Self.undeclaredID, label: edge.label, isConditional: true))
                    continue
                }
                for target in targets {
                    guard let to = ids[ObjectIdentifier(target)] else { continue }
                    edges.append(Edge(from: from, to: to, label: edge.label, isConditional: conditional))
                }
            }
        }
        self.nodes = nodes
        self.edges = edges
        self.start = ids[analysis.start] ?? "s0"
        self.exit = ids[analysis.exit] ?? "s0"
    }

    /// Adds `state`, and a composite's inner states after it, with the arrows inside the composite.
    private static func add(
        _ state: any StateNode, id: String, parent: String?, to nodes: inout [Node], edges: inout [Edge]
    ) {
        let composition = state.composition
        nodes.append(Node(id: id, name: state.stateName, composite: composition?.kind.rawValue, parent: parent))
        guard let composition else { return }
        let children = composition.children.indices.map { "\(id)_\($0)" }
        for (child, childID) in zip(composition.children, children) {
            add(child, id: childID, parent: id, to: &nodes, edges: &edges)
        }
        switch composition.kind {
        case .pipeline:
            for (from, to) in zip(children, children.dropFirst()) {
                edges.append(Edge(from: from, to: to, label: nil, isConditional: false))
            }
        case .loop:
            if let body = children.first {
                edges.append(Edge(from: body, to: body, label: "again", isConditional: true))
            }
        case .parallel, .fanOut, .forEach:
            break
        }
    }

    /// Whether an edge points at the undeclared-targets node.
    var hasUndeclared: Bool { edges.contains { $0.to == Self.undeclaredID } }

    /// The nodes inside the composite `id`, or the machine's own when `id` is `nil`.
    func children(of id: String?) -> [Node] { nodes.filter { $0.parent == id } }
}

extension Orchestration {
    /// The machine's declared graph, to draw as Mermaid (``MachineGraph/mermaid``) or DOT (``MachineGraph/dot``).
    public nonisolated var graph: MachineGraph {
        MachineGraph(start: engine.start, exit: engine.exit)
    }
}
