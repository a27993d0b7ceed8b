extension MachineGraph {
    /// The graph as a Mermaid `flowchart` heat map of `metrics`: each state that ran is filled on a white-to-red
    /// scale by the time spent in it, and its label gives that time and its tokens.
    ///
    /// ```swift
    /// let metrics = try orchestration.collectMetrics()
    /// // … runs …
    /// await orchestration.waitForHooks()
    /// print(orchestration.graph.mermaid(heat: metrics.snapshot))
    /// ```
    ///
    /// A state's time is its total over every execution (``LatencySummary/total``), a composite's own included,
    /// which covers its inner states; the state with the most time is the reddest, and every other is filled in
    /// proportion. The label adds that total and, when the state recorded any, its tokens — a composite's are those
    /// of every state inside it — as in `Search<br/>1.20 s · 340 tok`. States that never ran are drawn as in
    /// ``mermaid``. Nodes are matched to ``RunMetrics/states`` by their path: the names of the composites around
    /// them and their own, as in `Research/Loop/Refine`.
    ///
    /// - Parameter metrics: The metrics to draw.
    /// - Returns: The flowchart, with a `style` line per state that ran.
    public func mermaid(heat metrics: RunMetrics) -> String {
        renderMermaid(heat: HeatMap(self, metrics))
    }

    /// The graph in Graphviz DOT as a heat map of `metrics`, as ``mermaid(heat:)`` draws it: states that ran are
    /// filled (`fillcolor`) by the time spent in them, and labelled with that time and their tokens on a second line.
    ///
    /// - Parameter metrics: The metrics to draw.
    /// - Returns: The DOT graph.
    public func dot(heat metrics: RunMetrics) -> String {
        renderDOT(heat: HeatMap(self, metrics))
    }
}

/// What a heat map adds to each node that ran: its fill and the line of detail under its name.
struct HeatMap {
    struct Cell {
        /// The fill, as `#rrggbb`.
        var fill: String
        /// `1.20 s · 340 tok`.
        var detail: String
    }

    /// By node id; a node that never ran has none.
    var cells: [String: Cell] = [:]

    init(_ graph: MachineGraph, _ metrics: RunMetrics) {
        let byID = Dictionary(graph.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var measured: [(id: String, time: Duration, tokens: Int)] = []
        for node in graph.nodes {
            let path = Self.path(of: node, in: byID)
            guard let state = metrics.states[path], state.count > 0 else { continue }
            // Added up as TokenUsage, which holds sums at the bounds of Int: counts a model reported wrongly must
            // not trap the drawing.
            var tokens = state.tokens
            if node.composite != nil {
                for (key, inner) in metrics.states where key.hasPrefix(path + "/") {
                    tokens += inner.tokens
                }
            }
            measured.append((node.id, state.latency.total, tokens.totalTokens))
        }
        let hottest = measured.map(\.time).max() ?? .zero
        for (id, time, tokens) in measured {
            let share = hottest > .zero ? time / hottest : 0
            var detail = ConsoleFormat.duration(time)
            if tokens > 0 { detail += " · \(ConsoleFormat.grouped(tokens)) tok" }
            cells[id] = Cell(fill: Self.fill(share), detail: detail)
        }
    }

    /// The node's path without composite indices: the names of the composites around it, then its own.
    private static func path(of node: MachineGraph.Node, in byID: [String: MachineGraph.Node]) -> String {
        var names = [node.name]
        var parent = node.parent
        while let id = parent, let holder = byID[id] {
            names.append(holder.name)
            parent = holder.parent
        }
        return names.reversed().joined(separator: "/")
    }

    /// White for 0, through pinks, to red (`#d73027`) for 1.
    static func fill(_ share: Double) -> String {
        let share = min(max(share, 0), 1)
        let channels = [(255.0, 215.0), (255, 48), (255, 39)].map { white, red in
            Int((white + (red - white) * share).rounded())
        }
        return "#" + channels.map { hex($0) }.joined()
    }

    private static func hex(_ value: Int) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }

    /// What a Mermaid label adds under the node's name: a line break and the detail.
    func mermaidDetail(_ id: String) -> String? {
        cells[id].map { "<br/>" + MachineGraph.mermaidText($0.detail) }
    }

    /// A `style` line per node that ran, in the order of the graph's nodes.
    func mermaidStyles(_ nodes: [MachineGraph.Node]) -> [String] {
        nodes.compactMap { node in cells[node.id].map { "    style \(node.id) fill:\($0.fill)" } }
    }
}
