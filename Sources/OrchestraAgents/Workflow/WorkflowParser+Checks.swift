extension WorkflowParser {
    /// Checks a definition made in code, with paths from its structure.
    mutating func check(_ definition: WorkflowDefinition) {
        if definition.steps.isEmpty { report(.badValue, "$.steps", "a workflow needs at least one step") }
        check(Self.locate(definition.steps, at: "$.steps"), output: definition.output)
    }

    private static func locate(_ steps: [WorkflowStep], at path: String) -> [Located] {
        steps.indices.map { index in
            let here = "\(path)[\(index)]"
            let step = steps[index]
            return Located(
                step: step, path: here,
                children: step.kind.children.map { ($0.member, locate($0.steps, at: "\(here).\($0.member)")) })
        }
    }

    /// Checks what was read: ids, values, dependencies, cycles, references and tools, level by level.
    mutating func check(_ top: [Located], output: WorkflowTemplate?) {
        var everyID: [String: String] = [:]  // id → where it was first used
        for id in taken { everyID[id] = Self.completedMark }
        checkIDs(top, into: &everyID)
        checkLevel(top, upstream: completed, everyID: everyID)
        let topIDs = Set(top.map(\.step.id))
        for reference in output?.references ?? [] {
            guard let id = reference.step, !topIDs.contains(id) else { continue }
            report(
                everyID[id] == nil ? .unknownStep : .notUpstream, "$.output",
                everyID[id] == nil
                    ? "\(reference) names no step there is"
                    : "\(reference) names a step inside another; refer to the top-level step that holds it")
        }
    }

    private mutating func checkIDs(_ level: [Located], into everyID: inout [String: String]) {
        for located in level {
            let id = located.step.id
            if everyID[id] == Self.completedMark {
                report(
                    .duplicateID, "\(located.path).id",
                    "the id '\(id)' is the id of a step that has already run; give this step another id")
            } else if let first = everyID[id] {
                report(.duplicateID, "\(located.path).id", "the id '\(id)' is already the id of the step at \(first)")
            } else {
                everyID[id] = located.path
            }
            if !Self.isValidID(id) {
                report(
                    .badValue, "\(located.path).id",
                    id == "input"
                        ? "'input' is not a step id: ${input} is the workflow's input"
                        : "'\(id)' is not a step id: use letters, digits, _ and -, starting with a letter or _")
            }
            for child in located.children { checkIDs(child.steps, into: &everyID) }
        }
    }

    /// Where `everyID` says a completed step is: no path can be this.
    private static let completedMark = "(completed)"

    /// An ASCII letter or `_`, then letters, digits, `_` or `-`: what a reference's `${id.output}` can name.
    private static func isValidID(_ id: String) -> Bool {
        func isStart(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
        }
        guard let first = id.unicodeScalars.first, isStart(first), id != "input" else { return false }
        return id.unicodeScalars.allSatisfy { isStart($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Checks the steps of one level; `upstream` is what has completed before any of them starts.
    private mutating func checkLevel(_ level: [Located], upstream: Set<String>, everyID: [String: String]) {
        let here = Set(level.map(\.step.id))
        var edges: [String: [String]] = [:]
        for located in level {
            checkValues(located)
            var valid: [String] = []
            for (index, dependency) in located.step.dependsOn.enumerated() {
                let path = "\(located.path).depends_on[\(index)]"
                if dependency == located.step.id {
                    report(.cycle, path, "dependency cycle: '\(dependency)' depends on itself")
                } else if here.contains(dependency) {
                    valid.append(dependency)
                } else if completed.contains(dependency), upstream.contains(dependency) {
                    continue  // It has run: nothing to wait for.
                } else if everyID[dependency] != nil {
                    report(
                        .unknownStep, path,
                        "'\(dependency)' is not at this level (it is at \(everyID[dependency] ?? "?")); depends_on names "
                            + "steps of the same level: depend on the step that holds it")
                } else {
                    let choices = level.map(\.step.id).filter { $0 != located.step.id }
                    report(
                        .unknownStep, path,
                        "no step '\(dependency)'"
                            + (choices.isEmpty
                                ? "" : "; the steps at this level are \(choices.joined(separator: ", "))"))
                }
            }
            edges[located.step.id] = valid
        }
        reportCycles(level, edges: edges)
        for located in level {
            let before = upstream.union(Self.closure(of: located.step.id, edges: edges))
            checkReferences(located, upstream: before, everyID: everyID)
            // Inside a loop, ${loop.output} is the output of the iteration before (null in the first).
            let inside = located.step.kind.isLoop ? before.union([located.step.id]) : before
            for child in located.children { checkLevel(child.steps, upstream: inside, everyID: everyID) }
        }
    }

    private mutating func checkValues(_ located: Located) {
        let (step, path) = (located.step, located.path)
        if let retry = step.retry {
            if retry.maxAttempts < 1 {
                report(
                    .badValue, "\(path).retry.max_attempts",
                    "max_attempts is \(retry.maxAttempts); it must be at least 1")
            }
            if retry.initialDelay < .zero {
                report(.badValue, "\(path).retry.initial_delay", "initial_delay must be 0 seconds or more")
            }
        }
        if let timeout = step.timeout, timeout <= .zero {
            report(.badValue, "\(path).timeout", "timeout must be more than 0 seconds")
        }
        switch step.kind {
        case .loop(_, _, let maxIterations) where maxIterations < 1:
            report(.badValue, "\(path).max_iterations", "max_iterations is \(maxIterations); it must be at least 1")
        case .tool(let name, _):
            if let tools, !tools.contains(name) {
                let known = tools.sorted().joined(separator: ", ")
                report(
                    .unknownTool, "\(path).tool",
                    "no tool '\(name)' is registered; the tools are \(known.isEmpty ? "none" : known)")
            }
        case .parallel(let steps) where steps.isEmpty:
            report(.badValue, "\(path).steps", "a parallel step needs at least one step")
        case .loop(let steps, _, _) where steps.isEmpty:
            report(.badValue, "\(path).steps", "a loop needs at least one step")
        case .branch(_, let then, _) where then.isEmpty:
            report(.badValue, "\(path).then", "a branch needs at least one step in 'then'")
        default:
            break
        }
    }

    /// Reports each cycle among `level`'s dependencies once, spelled out, at the first of its steps as written.
    private mutating func reportCycles(_ level: [Located], edges: [String: [String]]) {
        var reported: Set<Set<String>> = []
        for located in level {
            var path: [String] = []
            guard let cycle = Self.cycle(from: located.step.id, edges: edges, path: &path) else { continue }
            let members = Set(cycle)
            guard reported.insert(members).inserted, let first = level.first(where: { members.contains($0.step.id) })
            else { continue }
            // Spelled from the first step written, following the dependencies.
            let start = cycle.firstIndex(of: first.step.id) ?? 0
            let spelled = Array(cycle[start...] + cycle[..<start]) + [first.step.id]
            report(.cycle, "\(first.path).depends_on", "dependency cycle: \(spelled.joined(separator: " → "))")
        }
    }

    /// A cycle reachable from `id`, as the steps in it in order, if there is one.
    private static func cycle(from id: String, edges: [String: [String]], path: inout [String]) -> [String]? {
        if let index = path.firstIndex(of: id) { return Array(path[index...]) }
        path.append(id)
        defer { path.removeLast() }
        for next in edges[id] ?? [] {
            if let cycle = cycle(from: next, edges: edges, path: &path) { return cycle }
        }
        return nil
    }

    /// Every step `id` depends on, directly or through others.
    private static func closure(of id: String, edges: [String: [String]]) -> Set<String> {
        var seen: Set<String> = []
        var stack = edges[id] ?? []
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack += edges[next] ?? [] }
        }
        seen.remove(id)
        return seen
    }

    /// Checks that each reference of a step names the input or a step that completes before it.
    private mutating func checkReferences(_ located: Located, upstream: Set<String>, everyID: [String: String]) {
        var upstream = upstream
        if case .loop(let steps, _, _) = located.step.kind {
            // `until` is asked after each iteration: it sees the loop's own steps and the iteration's output.
            upstream.formUnion(steps.map(\.id) + [located.step.id])
        }
        for (reference, path) in templates(of: located) {
            guard let id = reference.step, !upstream.contains(id) else { continue }
            if id == located.step.id {
                report(.notUpstream, path, "\(reference) refers to the step's own output")
            } else if let there = everyID[id], located.path.hasPrefix(there + ".") {
                report(
                    .notUpstream, path,
                    "\(reference) names '\(id)', which holds '\(located.step.id)': its output is not there until "
                        + "the steps inside it have run (only a loop's steps see the loop's output, of the iteration "
                        + "before)")
            } else if let there = everyID[id], Self.level(of: there) != Self.level(of: located.path),
                located.path.hasPrefix(Self.level(of: there))
            {
                report(
                    .notUpstream, path,
                    "\(reference) names '\(id)', which does not run before the step that holds '\(located.step.id)'; "
                        + "add '\(id)' to the depends_on of that step")
            } else if let there = everyID[id], Self.level(of: there) != Self.level(of: located.path) {
                report(
                    .notUpstream, path,
                    "\(reference) names '\(id)', at \(there), inside a step at another level; refer to the step at "
                        + "this level that holds it, once it is upstream")
            } else if everyID[id] != nil {
                report(
                    .notUpstream, path,
                    "\(reference) names '\(id)', which does not run before '\(located.step.id)'; add '\(id)' to its "
                        + "depends_on, or to the depends_on of a step it depends on")
            } else {
                report(.unknownStep, path, "\(reference) names no step there is")
            }
        }
    }

    /// The path of the level a step's path is in: `$.steps[1].steps` for `$.steps[1].steps[0]`.
    private static func level(of path: String) -> Substring {
        path[..<(path.lastIndex(of: "[") ?? path.endIndex)]
    }

    /// The references in a step's templates, with where each template is.
    private mutating func templates(of located: Located) -> [(WorkflowReference, String)] {
        let path = located.path
        switch located.step.kind {
        case .llm(let prompt, _, _), .input(let prompt):
            return prompt.references.map { ($0, "\(path).prompt") }
        case .tool(_, let input):
            return strings(in: input, at: "\(path).input").flatMap { text, at -> [(WorkflowReference, String)] in
                do throws(WorkflowTemplate.Malformed) {
                    return try WorkflowTemplate(text).references.map { ($0, at) }
                } catch {
                    report(.badReference, at, error.problem)
                    return []
                }
            }
        case .branch(let condition, _, _):
            return condition.value.references.map { ($0, "\(path).condition.value") }
        case .loop(_, let until, _):
            return (until?.value.references ?? []).map { ($0, "\(path).until.value") }
        case .parallel:
            return []
        }
    }

    /// Every string in `value`, with its path.
    private func strings(in value: JSONValue, at path: String) -> [(String, String)] {
        switch value {
        case .string(let text): [(text, path)]
        case .array(let elements): elements.indices.flatMap { strings(in: elements[$0], at: "\(path)[\($0)]") }
        case .object(let members):
            members.keys.sorted().flatMap { strings(in: members[$0] ?? .null, at: JSONPath.appending($0, to: path)) }
        default: []
        }
    }
}
