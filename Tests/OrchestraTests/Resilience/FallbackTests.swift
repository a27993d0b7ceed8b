import Orchestra
import OrchestraTesting
import Testing

@Suite("Resilience: fallback", .timeLimit(.minutes(1)))
struct FallbackTests {
    @Test("when the primary fails, the fallback runs on the same input as a child, in events and record")
    func fallsBack() async throws {
        let primary = Add(100, name: "Primary").injectingFaults(.failFirst(1))
        let backup = Add(200, name: "Backup").injectingFaults()
        let orchestration = Orchestration(primary.fallback(to: backup))
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start(1)
        #expect(try await handle.value == 201)
        #expect(primary.calls == 1)
        #expect(backup.calls == 1)
        await orchestration.waitForHooks()
        let events = recorder.events(of: handle.id)
        let fallbacks = events.compactMap { event -> String? in
            guard case .fallback(let other, let error) = event.kind else { return nil }
            return "\(event.state) → \(other) after \(error)"
        }
        #expect(fallbacks == ["Primary → Backup after injected fault in call 1 of 'Primary'"])
        let record = try #require(events.last?.record)
        #expect(record.steps.map(\.path.description) == ["Primary", "Primary/Backup"])
    }

    @Test("when the primary succeeds, the fallback never runs")
    func primarySucceeds() async throws {
        let backup = Add(200, name: "Backup").injectingFaults()
        #expect(try await Orchestration(Add(100, name: "Primary").fallback(to: backup)).run(1) == 101)
        #expect(backup.calls == 0)
    }

    @Test("when both fail, the state fails with the fallback's error")
    func bothFail() async throws {
        let primary = Add(0, name: "Primary").injectingFaults(.failFirst(1))
        let backup = Add(0, name: "Backup").injectingFaults(.failFirst(1))
        let error = try #require(await Orchestration(primary.fallback(to: backup)).start(1).result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Primary/Backup")
        #expect(error.underlying as? InjectedFault == InjectedFault(state: "Backup", call: 1))
    }

    @Test("an error `when` rejects fails the state without the fallback")
    func onlySomeErrors() async throws {
        let primary = Add(0, name: "Primary").injectingFaults(.failFirst(1, with: Boom(reason: "bad input")))
        let backup = Add(0, name: "Backup").injectingFaults()
        let guarded = primary.fallback(to: backup) { ($0 as? OrchestrationError)?.code == .timedOut }
        let error = try #require(await Orchestration(guarded).start(1).result.orchestrationError)
        #expect(error.underlying as? Boom == Boom(reason: "bad input"))
        #expect(backup.calls == 0)
    }

    @Test("a timeout falls back when `when` asks for timeouts")
    func fallsBackOnTimeout() async throws {
        let clock = ManualClock()
        let stuck = Add(0, name: "Primary").injectingFaults(.hangUntilCancelled)
        let guarded = stuck.timeout(.seconds(5)).fallback(to: Add(50, name: "Backup")) {
            ($0 as? OrchestrationError)?.code == .timedOut
        }
        let handle = Orchestration(guarded, options: .init(clock: clock)).start(1)
        await stuck.waitForHangs(1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        #expect(try await handle.value == 51)
    }

    @Test("cancellation is never fallen back from")
    func notOnCancellation() async throws {
        let stuck = Add(0, name: "Primary").injectingFaults(.hangUntilCancelled)
        let backup = Add(0, name: "Backup").injectingFaults()
        let handle = Orchestration(stuck.fallback(to: backup)).start(1)
        await stuck.waitForHangs(1)
        handle.cancel()
        #expect(try #require(await handle.result.orchestrationError).code == .cancelled)
        #expect(backup.calls == 0)
    }
}
