import Orchestra
import Testing

@Suite("Graph validation")
struct ValidationTests {
    @Test("a sound machine has no diagnostics")
    func sound() {
        let a = Add(1, name: "a"), b = Add(1, name: "b"), c = Add(1, name: "c")
        a.advance(to: b)
        b.advance(to: c, when: { $0 > 2 }).advance(to: a)
        #expect(Orchestration(start: a, exit: c).validate().isEmpty)
    }

    @Test("an exit no declared path reaches is an error, and the run refuses to start")
    func exitUnreachable() async throws {
        let a = Add(1, name: "a"), exit = Add(1, name: "exit")
        a.advance(to: a, when: { $0 < 3 })
        let orchestration = Orchestration(start: a, exit: exit)
        let diagnostics = orchestration.validate()
        #expect(diagnostics.contains { $0.kind == .exitUnreachable && $0.severity == .error && $0.state == "exit" })
        let handle = orchestration.start(0)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .invalidGraph)
        #expect(await handle.record.statesVisited.isEmpty)
        #expect(error.message.contains("no declared path leads from the start state 'a' to the exit state 'exit'"))
    }

    @Test("a non-exit state with no advancer is an error")
    func noWayOut() {
        let a = Add(1, name: "a"), stuck = Add(1, name: "stuck"), exit = Add(1, name: "exit")
        a.advance(to: stuck, when: { $0 > 5 }).advance(to: exit)
        let diagnostics = Orchestration(start: a, exit: exit).validate()
        #expect(diagnostics.map(\.kind) == [.noWayOut])
        #expect(diagnostics.first?.state == "stuck")
    }

    @Test("a loop with no declared way to the exit is an error")
    func cannotReachExit() {
        let a = Add(1, name: "a"), spin = Add(1, name: "spin"), exit = Add(1, name: "exit")
        a.advance(to: spin, when: { $0 > 5 }).advance(to: exit)
        spin.advance(to: spin)
        let diagnostics = Orchestration(start: a, exit: exit).validate()
        #expect(diagnostics.map(\.kind) == [.cannotReachExit])
        #expect(diagnostics.first?.state == "spin")
    }

    @Test("states known only through an unreachable exit are reported unreachable, as warnings")
    func unreachable() {
        let a = Add(1, name: "a"), exit = Add(1, name: "exit"), orphan = Add(1, name: "orphan")
        a.advance(to: a, when: { $0 < 3 }).advance(to: a)
        exit.advance(to: orphan, when: { $0 > 100 })
        orphan.advance(to: exit)
        let diagnostics = Orchestration(start: a, exit: exit).validate()
        #expect(Set(diagnostics.map(\.kind)) == [.exitUnreachable, .cannotReachExit, .unreachableState])
        let unreachable = diagnostics.filter { $0.kind == .unreachableState }
        #expect(unreachable.map(\.state) == ["orphan"])
        #expect(unreachable.first?.severity == .warning)
    }

    @Test("a state that is not wired into the machine is not part of it")
    func notPartOfTheMachine() {
        let start = Add(1, name: "start"), end = Add(1, name: "end"), island = Add(1, name: "island")
        start.advance(to: end)
        island.advance(to: end)
        #expect(Orchestration(start: start, exit: end).validate().isEmpty)
    }

    @Test("undeclared targets are a warning, and soften what cannot be checked past them")
    func undeclared() async throws {
        let a = Add(1, name: "a"), exit = Add(1, name: "exit")
        a.route { n in .to(exit, n) }
        let orchestration = Orchestration(start: a, exit: exit)
        let diagnostics = orchestration.validate()
        #expect(Set(diagnostics.map(\.kind)) == [.undeclaredTargets, .exitUnreachable])
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
        #expect(try await orchestration.run(1) == 3)  // warnings do not stop runs
    }

    @Test("two different states with one name are a warning")
    func duplicateNames() {
        let a = Add(1), b = Add(2)
        a.advance(to: b)
        let diagnostics = Orchestration(start: a, exit: b).validate()
        #expect(diagnostics.map(\.kind) == [.duplicateName])
        #expect(diagnostics.first?.severity == .warning)
        b.name = "Add2"
        #expect(Orchestration(start: a, exit: b).validate().isEmpty)
    }

    @Test("an exit that always leaves can never complete: an error, and the run refuses to start")
    func exitAlwaysLeaves() async throws {
        let a = Add(1, name: "a"), exit = Add(1, name: "exit")
        a.advance(to: exit)
        exit.advance(to: a)
        let orchestration = Orchestration(start: a, exit: exit)
        let diagnostics = orchestration.validate()
        #expect(diagnostics.map(\.kind) == [.exitAlwaysLeaves])
        #expect(diagnostics.first?.severity == .error)
        #expect(await orchestration.start(0).result.orchestrationError?.code == .invalidGraph)
    }

    @Test("advancers after one that always decides are reported as never tried")
    func unreachableAdvancers() {
        let a = Add(1, name: "a"), b = Add(1, name: "b"), exit = Add(1, name: "exit")
        a.advance(to: exit).advance(to: b, when: { $0 > 0 })
        b.advance(to: exit)
        let diagnostics = Orchestration(start: a, exit: exit).validate()
        #expect(diagnostics.map(\.kind) == [.unreachableAdvancer])
        #expect(diagnostics.first?.message.contains("advancer #2 of state 'a' can never be tried") == true)
    }

    @Test("validation is refreshed when an advancer is added after a run")
    func refreshed() async throws {
        let a = Add(1, name: "a"), exit = Add(1, name: "exit")
        let orchestration = Orchestration(start: a, exit: exit)
        #expect(await orchestration.start(0).result.orchestrationError?.code == .invalidGraph)
        a.advance(to: exit)
        #expect(try await orchestration.run(0) == 2)
    }

    @Test("with validation off, a broken graph runs until it fails at run time")
    func validationOff() async throws {
        let a = Add(1, name: "a"), exit = Add(1, name: "exit")
        let orchestration = Orchestration(start: a, exit: exit, options: .init(validatesGraph: false))
        #expect(await orchestration.start(0).result.orchestrationError?.code == .deadEnd)
    }
}
