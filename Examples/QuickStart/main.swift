// A three-state machine, offline: a topic is planned into sections, each section gets a note,
// and the notes are written up as a report. Run it with `swift run quick-start`.
import Orchestra

struct Outline: Sendable {
    let topic: String
    let sections: [String]
}

struct Note: Sendable {
    let section: String
    let text: String
}

struct Report: Sendable {
    let title: String
    let notes: [Note]
}

// Typed keys into the run's memory, which every state of one run shares.
extension MemoryKey where Value == String {
    static let topic = MemoryKey("topic")
}

// A subclassed state. One instance serves every run at once, so its stored properties are
// immutable `let`s and the subclass restates `@unchecked Sendable`.
final class Planner: Runnable<String, Outline>, @unchecked Sendable {
    let sections: [String]

    init(sections: [String]) {
        self.sections = sections
        super.init()  // the state's name defaults to the type name, "Planner"
    }

    override func invoke(_ topic: String, context: RunContext) async throws -> Outline {
        context.memory[.topic] = topic
        return Outline(topic: topic, sections: sections)
    }
}

let planner = Planner(sections: ["Background", "Current use", "Risks"])

// Closure states: a name and the work, no subclass.
let notes = Runnable<[String], [Note]>("Notes") { sections, context in
    context.emit("writing \(sections.count) notes")  // a chunk event, seen by every subscriber
    return sections.map { Note(section: $0, text: "what the sources say about \($0.lowercased())") }
}
let writer = Runnable<[Note], Report>("Writer") { notes, context in
    Report(title: context.memory[.topic] ?? "Untitled", notes: notes)
}

// Transitions. The compiler checks every edge: `convert` turns an Outline into Notes' [String].
planner.advance(to: notes, label: "outline", convert: { $0.sections })
notes.advance(to: writer)
// The exit state may end the run (`.exit`) or send it back; here a report without
// "Open questions" goes back to Notes once, with that section added.
writer.route(to: notes, label: "review") { report in
    let sections = report.notes.map(\.section)
    if sections.contains("Open questions") { return .exit }
    return .to(notes, sections + ["Open questions"])
}

let orchestration = Orchestration(start: planner, exit: writer)  // Orchestration<String, Report>
for diagnostic in orchestration.validate() {  // empty: every state can reach the exit
    print(diagnostic)
}

// A hook sees every event of every run, in order, on its own task: the run never waits for it.
orchestration.onEvent { event in
    let prefix = "[\(event.step)] \(event.state)"
    switch event.kind {
    case .runStarted: print("\(prefix): run started")
    case .stateStarted: print("\(prefix): started")
    case .chunk: print("\(prefix): \(event.chunk(as: String.self) ?? "?")")
    case .stateCompleted(let duration): print("\(prefix): completed in \(microseconds(duration))")
    case .transition(let next): print("\(prefix) -> \(next)")
    case .runCompleted(let record): print("\(prefix): run completed after \(record.steps.count) states")
    default: print(event)  // failures and cancellation, with the error's message
    }
}

func microseconds(_ duration: Duration) -> String {
    "\(Int((duration / .microseconds(1)).rounded())) µs"
}

// `start` runs in a new task and hands back the run's id, events, result and record.
let handle = orchestration.start("AI in healthcare")
let result = await handle.result
await orchestration.waitForHooks()  // hooks lag a little behind the run; let them catch up
let record = await handle.record
print("Summary: \(record.statesVisited.joined(separator: " -> ")) in \(microseconds(record.duration ?? .zero))")
switch result {
case .success(let report): print("Result: \(report.title): \(report.notes.map(\.section).joined(separator: ", "))")
case .failure(let error): print("Result: failed (\(error.code)): \(error.message)")
}
