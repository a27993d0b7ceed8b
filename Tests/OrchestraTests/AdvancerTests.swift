import Orchestra
import Testing

@Suite("Advancers")
struct AdvancerTests {
    @Test("advance(to:) passes the output on unchanged")
    func plainEdge() async throws {
        let a = Add(1), b = Add(10, name: "b")
        a.advance(to: b)
        #expect(try await Orchestration(start: a, exit: b).run(0) == 11)
    }

    @Test("advance(to:when:) advances only when the condition holds; otherwise the next advancer decides")
    func conditionalEdge() async throws {
        let start = Add(0, name: "start")
        let big = Add(1000, name: "big"), small = Add(1, name: "small")
        let exit = Add(0, name: "exit")
        start.advance(to: big, when: { $0 >= 10 }).advance(to: small)
        big.advance(to: exit)
        small.advance(to: exit)
        let orchestration = Orchestration(start: start, exit: exit)
        #expect(try await orchestration.run(50) == 1050)
        #expect(try await orchestration.run(5) == 6)
    }

    @Test("advance(to:when:convert:) converts the output to the next state's input type")
    func convertingEdge() async throws {
        let describe = Describe()
        let length = lengthOf()
        describe.advance(to: length, when: { !$0.isEmpty }, convert: { $0 + "!" })
        // "value 7!" has 8 characters.
        #expect(try await Orchestration(start: describe, exit: length).run(7) == 8)
    }

    @Test("advancers are tried in the order added, and the first that advances wins")
    func order() async throws {
        let start = Add(0, name: "start")
        let first = Add(1, name: "first"), second = Add(2, name: "second")
        let exit = Add(0, name: "exit")
        start.advance(to: first, when: { $0 > 0 }).advance(to: second, when: { $0 > 0 }).advance(to: exit)
        first.advance(to: exit)
        second.advance(to: exit)
        let orchestration = Orchestration(start: start, exit: exit)
        #expect(try await orchestration.run(5) == 6)  // both conditions hold; `first` was added first
        #expect(try await orchestration.run(0) == 0)  // neither holds; the unconditional one decides
    }

    @Test("an Advancer subclass decides with shouldAdvance, convert and next(for:)")
    func subclass() async throws {
        final class Parity: Advancer<Int, String>, @unchecked Sendable {
            let even: AnyRunnable<String>, odd: AnyRunnable<String>
            init(even: AnyRunnable<String>, odd: AnyRunnable<String>) {
                self.even = even
                self.odd = odd
                super.init(targets: [even, odd], label: "parity")
            }
            override func shouldAdvance(_ output: Int) -> Bool { output >= 0 }
            override func convert(_ output: Int) -> String { String(repeating: "x", count: output) }
            override func next(for output: Int) -> AnyRunnable<String> { output % 2 == 0 ? even : odd }
        }
        let start = Add(0, name: "start")
        let even = Runnable<String, Int>("even") { text, _ in text.count * 10 }
        let odd = Runnable<String, Int>("odd") { text, _ in text.count * 100 }
        let exit = Add(0, name: "exit")
        start.advance(with: Parity(even: even, odd: odd))
        even.advance(to: exit)
        odd.advance(to: exit)
        let orchestration = Orchestration(start: start, exit: exit)
        #expect(orchestration.validate().isEmpty)
        #expect(try await orchestration.run(4) == 40)
        let handle = orchestration.start(3)
        #expect(try await handle.value == 300)
        #expect(await handle.record.steps.first?.label == "parity")
        // shouldAdvance false: no other advancer, so a dead end.
        let refused = try #require(await orchestration.start(-1).result.orchestrationError)
        #expect(refused.code == .deadEnd)
    }

    @Test("the default convert is judged on the types, so it fails for every output, not only some")
    func defaultConvertJudgesTypes() async throws {
        final class Unwrap: Advancer<Int?, Int>, @unchecked Sendable {}
        let maybe = Runnable<Int, Int?>("Maybe") { n, _ in n == 0 ? nil : n }
        let exit = Add(0, name: "exit")
        maybe.advance(with: Unwrap(targets: [exit]))
        let orchestration = Orchestration(start: maybe, exit: exit)
        for input in [3, 0] {
            let error = try #require(await orchestration.start(input).result.orchestrationError)
            #expect(error.code == .conversionFailed)
        }
    }

    @Test("a trailing closure after advance(to:) returning Bool is the condition, as documented")
    func trailingClosureIsTheCondition() async throws {
        let check = Runnable<Int, Bool>("check") { n, _ in n > 3 }
        let use = Runnable<Bool, Int>("use") { flag, _ in flag ? 1 : 0 }
        check.advance(to: use) { $0 }  // when the output is true
        let orchestration = Orchestration(start: check, exit: use)
        #expect(try await orchestration.run(5) == 1)
        #expect(await orchestration.start(1).result.orchestrationError?.code == .deadEnd)
    }

    @Test("an Advancer subclass relying on defaults it cannot use fails with a message naming what to override")
    func misconfiguredSubclass() async throws {
        final class NoConvert: Advancer<Int, String>, @unchecked Sendable {}
        let start = Add(0, name: "start")
        let next = lengthOf()
        start.advance(with: NoConvert(targets: [next]))
        let handle = Orchestration(start: start, exit: next).start(1)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .conversionFailed)
        let underlying = try #require(error.underlying as? AdvancerMisconfigured)
        #expect(underlying.description.contains("convert"))

        final class NoTarget: Advancer<Int, Int>, @unchecked Sendable {}
        let other = Add(0, name: "other")
        let exit = Add(0, name: "exit2")
        other.advance(with: NoTarget(targets: nil))
        let orchestration = Orchestration(start: other, exit: exit, options: .init(validatesGraph: false))
        let targetError = try #require(await orchestration.start(1).result.orchestrationError)
        #expect(targetError.code == .transitionFailed)
        #expect((targetError.underlying as? AdvancerMisconfigured)?.description.contains("next(for:)") == true)
    }

    @Test("route sends each output to a state with a value of that state's input type, or exits")
    func route() async throws {
        enum Verdict: Sendable { case approved(Int), retry(String), tooSmall }
        let review = Runnable<Int, Verdict>("review") { n, _ in
            n >= 100 ? .approved(n) : n >= 10 ? .retry("x\(n)") : .tooSmall
        }
        let grow = Runnable<String, Int>("grow") { text, _ in text.count * 50 }
        let bump = Add(10, name: "bump")
        review.route(to: grow, bump) { verdict in
            switch verdict {
            case .approved: .exit
            case .retry(let text): .to(grow, text)
            case .tooSmall: .to(bump, 0)
            }
        }
        grow.advance(to: review)
        bump.advance(to: review)
        let orchestration = Orchestration(start: review, exit: review)
        let handle = orchestration.start(3)
        guard case .approved(let n) = try await handle.value else {
            Issue.record("the run should end approved")
            return
        }
        // 3 → tooSmall → bump(0)=10 → retry("x10") → grow = 3*50 = 150 → approved.
        #expect(n == 150)
        #expect(await handle.record.statesVisited == ["review", "bump", "review", "grow", "review"])
    }

    @Test("route returning .exit from a state that is not the exit is a dead end naming the exit")
    func routeExitFromNonExit() async throws {
        let a = Add(1, name: "a")
        let b = Add(1, name: "b")
        a.route(to: b) { n in n > 5 ? .exit : .to(b, n) }
        let handle = Orchestration(start: a, exit: b).start(10)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .deadEnd)
        #expect(error.state == "a")
        #expect(error.message.contains("only the exit state 'b'"))
    }

    @Test("a route declared after other advancers is only reached when they do not advance")
    func routeAfterAdvancers() async throws {
        let a = Add(0, name: "a")
        let b = Add(100, name: "b")
        a.advance(to: b, when: { $0 == 1 }).route(to: b) { n in .to(b, n * 2) }
        #expect(try await Orchestration(start: a, exit: b).run(1) == 101)
        #expect(try await Orchestration(start: a, exit: b).run(3) == 106)
    }

    @Test("the exit state may loop back; its output completes the run when no advancer advances")
    func exitWithAdvancers() async throws {
        let count = Add(1, name: "count")
        count.advance(to: count, when: { $0 < 5 })
        let handle = Orchestration(count).start(0)
        #expect(try await handle.value == 5)
        #expect(await handle.record.steps.count == 5)
    }
}
