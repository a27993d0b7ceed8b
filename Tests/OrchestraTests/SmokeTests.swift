import Orchestra
import Testing

struct ResearchPlan: Sendable { var queries: [String] }
struct Draft: Sendable { var approved: Bool; var text: String }

final class Plan: Runnable<String, ResearchPlan>, @unchecked Sendable {
    override func invoke(_ topic: String, context: RunContext) async throws -> ResearchPlan {
        ResearchPlan(queries: ["\(topic) a", "\(topic) b"])
    }
}

@Test func smoke() async throws {
    let plan = Plan()
    let research = Runnable<ResearchPlan, [String]>("Research") { plan, context in
        context.emit("searching")
        return plan.queries.map { "notes on \($0)" }
    }
    let attempts = MemoryKey<Int>("attempts")
    let report = Runnable<String, Draft>("Report") { notes, context in
        let n = context.memory.update(attempts, default: 0) { $0 += 1; return $0 }
        return Draft(approved: n >= 2, text: notes)
    }
    plan.advance(to: research, when: { !$0.queries.isEmpty })
    research.advance(to: report, convert: { $0.joined(separator: "\n") })
    report.route(to: research) { draft in
        draft.approved ? .exit : .to(research, ResearchPlan(queries: ["retry"]))
    }
    let orchestration = Orchestration(start: plan, exit: report)
    #expect(orchestration.validate().isEmpty)
    let handle = orchestration.start("AI")
    var kinds: [String] = []
    for await event in handle.events { kinds.append("\(event.kind.name):\(event.state)") }
    let result = try await handle.value
    #expect(result.approved)
    let record = await handle.record
    #expect(record.statesVisited == ["Plan", "Research", "Report", "Research", "Report"])
    print(kinds)
    let empty = Runnable<Int, Int>("x") { n, _ in n }
    empty.route { _ in .exit }
}
