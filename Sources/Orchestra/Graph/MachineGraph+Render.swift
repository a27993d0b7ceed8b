extension MachineGraph {
    /// The graph as a Mermaid `flowchart`, to paste into Markdown inside a code block marked `mermaid`.
    ///
    /// The start and exit are marked by `start` and `end` terminals; composites are subgraphs titled with their
    /// name and kind; conditional arrows are dotted.
    public var mermaid: String { renderMermaid(heat: nil) }

    /// The Mermaid flowchart, with each state that ran filled and labelled as `heat` says.
    func renderMermaid(heat: HeatMap?) -> String {
        var lines = ["flowchart TD", "    __start__([start])", "    __end__([end])"]
        if hasUndeclared { lines.append("    \(Self.undeclaredID){{\"?\"}}") }
        for line in outline() {
            let indent = String(repeating: "    ", count: line.depth + 1)
            switch line.part {
            case .open(let node, let kind):
                let title = node.name == kind ? kind : "\(node.name) · \(kind)"
                let detail = heat?.mermaidDetail(node.id) ?? ""
                lines.append("\(indent)subgraph \(node.id) [\"\(Self.mermaidText(title))\(detail)\"]")
            case .close: lines.append("\(indent)end")
            case .state(let node):
                let detail = heat?.mermaidDetail(node.id) ?? ""
                lines.append("\(indent)\(node.id)[\"\(Self.mermaidText(node.name))\(detail)\"]")
            }
        }
        lines.append("    __start__ --> \(start)")
        for edge in edges {
            let arrow = edge.isConditional ? "-.->" : "-->"
            let label = edge.label.map { "|\"\(Self.mermaidText($0))\"|" } ?? ""
            lines.append("    \(edge.from) \(arrow)\(label) \(edge.to)")
        }
        lines.append("    \(exit) --> __end__")
        if let heat { lines += heat.mermaidStyles(nodes) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The graph in Graphviz DOT, to render with `dot -Tsvg`.
    ///
    /// Composites are clusters; each holds a small node with the composite's name, where its arrows begin and end.
    public var dot: String { renderDOT(heat: nil) }

    /// The DOT graph, with each state that ran filled and labelled as `heat` says.
    func renderDOT(heat: HeatMap?) -> String {
        var lines = [
            "digraph machine {", "    compound=true;", "    node [shape=box, style=rounded];",
            "    __start__ [label=\"start\", shape=circle];", "    __end__ [label=\"end\", shape=doublecircle];",
        ]
        if hasUndeclared { lines.append("    \(Self.undeclaredID) [label=\"?\", shape=hexagon];") }
        for line in outline() {
            let indent = String(repeating: "    ", count: line.depth + 1)
            switch line.part {
            case .open(let node, let kind):
                let cell = heat?.cells[node.id]
                let label = Self.dotText(node.name + (cell.map { "\n\($0.detail)" } ?? ""))
                lines.append("\(indent)subgraph cluster_\(node.id) {")
                lines.append("\(indent)    label=\"\(Self.dotText(kind))\";")
                if let cell { lines += ["\(indent)    style=filled;", "\(indent)    fillcolor=\"\(cell.fill)\";"] }
                lines.append("\(indent)    \(node.id) [label=\"\(label)\", shape=plaintext];")
            case .close: lines.append("\(indent)}")
            case .state(let node):
                let cell = heat?.cells[node.id]
                let label = Self.dotText(node.name + (cell.map { "\n\($0.detail)" } ?? ""))
                let fill = cell.map { ", style=\"rounded,filled\", fillcolor=\"\($0.fill)\"" } ?? ""
                lines.append("\(indent)\(node.id) [label=\"\(label)\"\(fill)];")
            }
        }
        lines.append("    __start__ -> \(start);")
        for edge in edges {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=\"\(Self.dotText(label))\"") }
            if edge.isConditional { attributes.append("style=dashed") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("    \(edge.from) -> \(edge.to)\(suffix);")
        }
        lines.append("    \(exit) -> __end__;")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line of the nodes' declarations, at a nesting depth: a plain state, or a composite's start or end.
    private struct OutlineLine {
        enum Part {
            case state(Node)
            case open(Node, kind: String)
            case close
        }
        var part: Part
        var depth: Int
    }

    /// The nodes in declaration order, each composite opened before its inner states and closed after them: what
    /// both renderings walk.
    private func outline(inside parent: String? = nil, depth: Int = 0) -> [OutlineLine] {
        children(of: parent).flatMap { node -> [OutlineLine] in
            guard let kind = node.composite else { return [OutlineLine(part: .state(node), depth: depth)] }
            return [OutlineLine(part: .open(node, kind: kind), depth: depth)]
                + outline(inside: node.id, depth: depth + 1)
                + [OutlineLine(part: .close, depth: depth)]
        }
    }

    /// Text inside a quoted Mermaid label: quotes and the characters Mermaid reads as markup become entity codes.
    static func mermaidText(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "#quot;"
            case "<": escaped += "#lt;"
            case ">": escaped += "#gt;"
            case "|": escaped += "#124;"
            case "#": escaped += "#35;"
            // A line break of any kind: "\r\n" is one Character, equal to neither of the others.
            case "\n", "\r", "\r\n", "\u{2028}", "\u{2029}": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Text inside a quoted DOT string.
    static func dotText(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n", "\r", "\r\n", "\u{2028}", "\u{2029}": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
