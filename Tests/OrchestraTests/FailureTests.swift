import Orchestra
import Testing

@testable import Orchestra

@Suite("How runs fail")
struct FailureTests {
    @Test("an output no advancer accepts is a dead end that names the state and describes the output")
    func deadEnd() async throws {
        let a = Add(1, name: "Plan")
        let b = Add(1, name: "Report")
        a.advance(to: b, when: { $0 > 100 })
        let handle = Orchestration(start: a, exit: b).start(1)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .deadEnd)
        #expect(error.state == "Plan")
        #expect(error.step == 1)
        #expect(error.runID == handle.id)
        #expect(error.message.contains("state 'Plan' produced no transition for output Int 2"))
        #expect(error.message.contains("add an advancer"))
        let record = await handle.record
        #expect(record.status == .failed)
        #expect(record.statesVisited == ["Plan"])
        #expect(record.error?.code == "dead end")
    }

    @Test("a dead end describes a long output by its type and a cut text")
    func deadEndLongOutput() async throws {
        let talk = Runnable<Int, String>("Talk") { n, _ in String(repeating: "word ", count: n) }
        let exit = lengthOf("Exit")
        talk.advance(to: exit, when: { $0.isEmpty })
        let error = try #require(await Orchestration(start: talk, exit: exit).start(500).result.orchestrationError)
        #expect(error.message.contains("String word word"))
        #expect(error.message.contains("…"))
        #expect(error.message.count < 500)
    }

    @Test("a loop that never ends stops at the step limit, naming the limit and the last state")
    func stepLimit() async throws {
        let spin = Add(1, name: "Spin")
        let exit = Add(0, name: "Done")
        spin.advance(to: spin, when: { _ in true }).advance(to: exit)
        let orchestration = Orchestration(start: spin, exit: exit, options: .init(stepLimit: 25))
        let handle = orchestration.start(0)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stepLimitReached)
        #expect(error.state == "Spin")
        #expect(error.step == 25)
        #expect(error.message.contains("step limit of 25"))
        #expect(error.message.contains("'Spin'"))
        #expect(await handle.record.steps.count == 25)
    }

    @Test("a step limit below one is refused with a message")
    func stepLimitZero() async throws {
        let orchestration = Orchestration(Add(1), options: .init(stepLimit: 0))
        let error = try #require(await orchestration.start(0).result.orchestrationError)
        #expect(error.code == .stepLimitReached)
        #expect(error.message.contains("at least 1"))
    }

    @Test("an error thrown inside a state fails the run with the state, the step and the underlying error")
    func stateThrows() async throws {
        let ok = Add(1, name: "Fine")
        let bad = Runnable<Int, Int>("Flaky") { _, _ in throw Boom(reason: "model down") }
        ok.advance(to: bad)
        let handle = Orchestration(start: ok, exit: bad).start(0)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Flaky")
        #expect(error.step == 2)
        #expect(error.underlying as? Boom == Boom(reason: "model down"))
        #expect(error.message.contains("state 'Flaky' threw at step 2: boom: model down"))
        // Nothing already done is lost: the record keeps the completed state and the failed one.
        let record = await handle.record
        #expect(record.statesVisited == ["Fine", "Flaky"])
        #expect(record.steps[0].next == "Flaky")
        #expect(record.steps[1].failed)
    }

    @Test("run(_:) throws the same typed error")
    func runThrowsTyped() async {
        let bad = Runnable<Int, Int>("Bad") { _, _ in throw Boom(reason: "x") }
        do {
            _ = try await Orchestration(bad).run(0)
            Issue.record("the run should throw")
        } catch {
            #expect(error.code == .stateFailed)  // `error` is statically an OrchestrationError
        }
    }

    @Test("an error thrown inside convert is a conversion failure naming the advancer")
    func convertThrows() async throws {
        let a = Add(1, name: "Parse")
        let b = lengthOf("Next")
        a.advance(
            to: b,
            convert: { n -> String in
                if n > 0 { throw Boom(reason: "bad number") }
                return "\(n)"
            })
        let error = try #require(await Orchestration(start: a, exit: b).start(0).result.orchestrationError)
        #expect(error.code == .conversionFailed)
        #expect(error.state == "Parse")
        #expect(error.underlying as? Boom == Boom(reason: "bad number"))
        #expect(error.message.contains("conversion of advancer #1 of state 'Parse'"))
    }

    @Test("an error thrown by a condition or a route is a transition failure")
    func conditionThrows() async throws {
        let a = Add(1, name: "Check")
        let b = Add(1, name: "After")
        a.advance(to: b, when: { _ in throw Boom(reason: "cannot decide") })
        let error = try #require(await Orchestration(start: a, exit: b).start(0).result.orchestrationError)
        #expect(error.code == .transitionFailed)
        #expect(error.message.contains("condition of advancer #1"))

        let c = Add(1, name: "Router")
        let d = Add(1, name: "Dest")
        c.route(to: d) { _ in throw Boom(reason: "no route") }
        let routeError = try #require(await Orchestration(start: c, exit: d).start(0).result.orchestrationError)
        #expect(routeError.code == .transitionFailed)
        #expect(routeError.message.contains("route of advancer #1"))

        let e = Add(1, name: "Labelled")
        let f = Add(1, name: "Next")
        e.route(to: f, label: "by size") { _ in throw Boom(reason: "no route") }
        let labelled = try #require(await Orchestration(start: e, exit: f).start(0).result.orchestrationError)
        #expect(labelled.message.contains("the route of advancer 'by size' (#1) of state 'Labelled' threw"))
    }

    @Test("a dead end names the output once, with its type only where its description lacks it")
    func deadEndDescription() {
        struct Plan: Sendable { var queries: [String] }
        #expect(RunStateMachine.describe(Plan(queries: [])) == "Plan(queries: [])")
        #expect(RunStateMachine.describe(2) == "Int 2")
        #expect(RunStateMachine.describe(String(repeating: "a", count: 300)).hasSuffix("a…"))
    }
}
