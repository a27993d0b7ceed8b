/// Where a state sits in a run: the composite states it runs inside, outermost first, then its own
/// name — as in `Research/ForEach[3]/Search`.
///
/// A state of the machine has a path of one component, its name. A composite's children add
/// components: a ``Pipeline`` adds its own name (`Report/Draft`); a composite that runs several
/// children at once or one child many times adds its name with the child's index, from 0 — the
/// item of a ``ForEach`` (`ForEach[3]`), the branch of a ``Parallel`` or ``FanOut``
/// (`Parallel[1]`), the iteration of a ``Loop`` (`Loop[2]`).
///
/// ```swift
/// orchestration.onEvent { event in
///     if case .stateCompleted(let duration) = event.kind {
///         print("\(event.path) took \(duration)")      // Research/ForEach[3]/Search took 0.2 seconds
///     }
/// }
/// ```
///
/// Paths compare and hash by their components. In JSON a path is its array of components.
public struct StatePath: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The last component, linked to the ones before it: made once per child run, shared by every
    /// event and record step of that child, and spelled out only when read.
    let node: PathNode

    init(_ node: PathNode) {
        self.node = node
    }

    /// The path of the state named `name` under `parent` (none for a state of the machine).
    init(_ name: String, under parent: PathNode?) {
        node = PathNode(parent: parent, name: name, index: nil)
    }

    /// Creates a path from its components, outermost first; `nil` for no components, since a path
    /// names at least a state.
    ///
    /// - Parameter components: The components, as in `["Research", "ForEach[3]", "Search"]`.
    public init?(_ components: [String]) {
        guard let first = components.first else { return nil }
        var node = PathNode(parent: nil, name: first, index: nil)
        for component in components.dropFirst() {
            node = PathNode(parent: node, name: component, index: nil)
        }
        self.node = node
    }

    /// The components, outermost first: `["Research", "ForEach[3]", "Search"]`.
    public var components: [String] {
        var components: [String] = []
        var next: PathNode? = node
        while let current = next {
            components.append(current.component)
            next = current.parent
        }
        return components.reversed()
    }

    /// The last component: the state's own name, or a composite's name with an index.
    public var last: String { node.component }

    /// The path without its last component; `nil` for a path of one component.
    public var parent: StatePath? { node.parent.map(StatePath.init) }

    /// How many components the path has: 1 for a state of the machine.
    public var depth: Int {
        var depth = 1
        var next = node.parent
        while let current = next {
            depth += 1
            next = current.parent
        }
        return depth
    }

    /// The path with `name` appended.
    ///
    /// - Parameter name: The next component.
    /// - Returns: A path one component longer.
    public func appending(_ name: String) -> StatePath {
        StatePath(name, under: node)
    }

    /// The components joined by `/`: `Research/ForEach[3]/Search`.
    public var description: String { components.joined(separator: "/") }

    /// Whether two paths have the same components.
    public static func == (lhs: StatePath, rhs: StatePath) -> Bool {
        lhs.node === rhs.node || lhs.components == rhs.components
    }

    /// Hashes the components.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(components)
    }

    /// Decodes a path written as its array of components.
    public init(from decoder: any Decoder) throws {
        let components = try decoder.singleValueContainer().decode([String].self)
        guard let path = StatePath(components) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a state path needs at least one component")
            )
        }
        self = path
    }

    /// Encodes the path as its array of components.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(components)
    }
}

/// One component of a ``StatePath``. The index is kept apart from the name so that a child of a
/// `ForEach` item costs one small allocation, and its `ForEach[3]` is only spelled out when read.
final class PathNode: Sendable {
    let parent: PathNode?
    let name: String
    let index: Int?
    /// The step of the state this component names, for the span its children's spans are children of;
    /// 0 (the run's span) in a path that was decoded or built from its components.
    let step: Int

    init(parent: PathNode?, name: String, index: Int?, step: Int = 0) {
        self.parent = parent
        self.name = name
        self.index = index
        self.step = step
    }

    var component: String {
        guard let index else { return name }
        return "\(name)[\(index)]"
    }

    /// The path to a state named `name` under this node, spelled out: `Research/ForEach[3]/Search`.
    func path(to name: String) -> String {
        StatePath(name, under: self).description
    }
}
