import Orchestra
import OrchestraTesting
import Testing

@Suite("Composition: Loop")
struct LoopTests {
    @Test("the body repeats on its own output until the condition holds, each iteration a numbered child")
    func repeatsUntilCondition() async throws {
        let loop = Loop(Runnable<Int, Int>("Double") { n, _ in n * 2 }, until: { $0 >= 20 }, maxIterations: 10)
        let handle = Orchestration(loop).start(3)  // 6, 12, 24
        #expect(try await handle.value == 24)
        #expect(
            await handle.record.steps.map(\.path.description)
                == ["Loop", "Loop[0]/Double", "Loop[1]/Double", "Loop[2]/Double"]
        )
    }

    @Test("the body runs at least once, even when the input already meets the condition")
    func runsAtLeastOnce() async throws {
        let loop = Loop(Add(1), until: { _ in true }, maxIterations: 3)
        #expect(try await Orchestration(loop).run(100) == 101)
    }

    @Test("hitting maxIterations is a typed error naming the loop, its body and the bound, not a hang")
    func boundIsAnError() async throws {
        let loop = Loop(Add(1, name: "Step"), until: { $0 > 1_000 }, maxIterations: 4, name: "Converge")
        let handle = Orchestration(loop).start(0)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .iterationLimitReached)
        #expect(error.state == "Converge")
        #expect(error.message.contains("'Step' 4 times"))
        let record = await handle.record
        #expect(record.steps.count == 5)  // the loop and its four iterations, all kept
        #expect(record.steps.last?.path.description == "Converge[3]/Step")
    }

    @Test("a maxIterations below 1 fails the state with invalidConfiguration")
    func invalidBound() async throws {
        let loop = Loop(Add(1), until: { _ in true }, maxIterations: 0)
        await #expect {
            try await Orchestration(loop).run(0)
        } throws: { error in
            let error = error as? OrchestrationError
            return error?.code == .invalidConfiguration && error?.message.contains("maxIterations 0") == true
        }
    }

    @Test("a condition that throws fails the loop's state with that error")
    func conditionThrows() async throws {
        let loop = Loop(Add(1), until: { _ in throw Boom(reason: "undecided") }, maxIterations: 3)
        let error = try #require(await Orchestration(loop).start(0).result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Loop")
        #expect(error.underlying as? Boom == Boom(reason: "undecided"))
    }

    @Test("iterations count toward the run's step limit")
    func iterationsCountTowardStepLimit() async throws {
        let loop = Loop(Add(1), until: { _ in false }, maxIterations: 100)
        let error = try #require(
            await Orchestration(loop, options: .init(stepLimit: 10)).start(0).result.orchestrationError
        )
        #expect(error.code == .stepLimitReached)
        #expect(error.state == "Loop[9]/Add")
        #expect(error.step == 11)
    }
}
