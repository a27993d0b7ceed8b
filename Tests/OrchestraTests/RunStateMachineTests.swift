import Testing

@testable import Orchestra

/// The run's decisions as a pure function: no `async`, no events, no clock.
@Suite("RunStateMachine")
struct RunStateMachineTests {
    let a = Add(1, name: "a"), b = Add(1, name: "b")

    func result(_ decision: Decision, output: Int = 7) -> StepResult {
        StepResult(output: output, finishedAt: nil, decision: .success(decision))
    }

    func machine(limit: Int = 10) -> RunStateMachine {
        RunStateMachine(runID: RunID(), exit: b, stepLimit: limit)
    }

    /// The error, if the action fails the run.
    func failure(_ action: RunStateMachine.Action) -> OrchestrationError? {
        if case .fail(let error) = action { return error }
        return nil
    }

    @Test("begin executes the start state as step 1")
    func begin() {
        var m = machine()
        guard case .execute(let node, let input, 1) = m.begin(at: a, named: "a", input: 3, isCancelled: false) else {
            Issue.record("expected execute")
            return
        }
        #expect(node === a)
        #expect(input as? Int == 3)
        #expect(m.step == 1)
    }

    @Test("an advance moves to the next state and counts a step")
    func advance() {
        var m = machine()
        _ = m.begin(at: a, named: "a", input: 0, isCancelled: false)
        let action = m.stateReturned(
            a, result: result(.advance(to: b, value: 8, label: nil)),
            isCancelled: false
        )
        guard case .execute(let node, let value, 2) = action else {
            Issue.record("expected execute at step 2")
            return
        }
        #expect(node === b)
        #expect(value as? Int == 8)
        #expect(m.stateName == "b")
    }

    @Test("no match completes at the exit and is a dead end elsewhere")
    func noMatch() {
        var m = machine()
        _ = m.begin(at: a, named: "a", input: 0, isCancelled: false)
        #expect(failure(m.stateReturned(a, result: result(.noMatch), isCancelled: false))?.code == .deadEnd)
        var atExit = machine()
        _ = atExit.begin(at: b, named: "b", input: 0, isCancelled: false)
        guard
            case .complete(let output) = atExit.stateReturned(
                b, result: result(.noMatch), isCancelled: false)
        else {
            Issue.record("expected completion")
            return
        }
        #expect(output as? Int == 7)
    }

    @Test("the step limit stops the advance that would exceed it")
    func stepLimit() {
        var m = machine(limit: 2)
        _ = m.begin(at: a, named: "a", input: 0, isCancelled: false)
        let advance = result(.advance(to: a, value: 0, label: nil))
        guard case .execute = m.stateReturned(a, result: advance, isCancelled: false) else {
            Issue.record("step 2 is within the limit")
            return
        }
        let error = failure(m.stateReturned(a, result: advance, isCancelled: false))
        #expect(error?.code == .stepLimitReached)
        #expect(error?.step == 2)
    }

    @Test("cancellation wins over any decision, and a thrown error fails the state")
    func cancellationAndErrors() {
        var m = machine()
        _ = m.begin(at: a, named: "a", input: 0, isCancelled: false)
        #expect(failure(m.stateReturned(a, result: result(.noMatch), isCancelled: true))?.code == .cancelled)
        let failed = failure(m.stateThrew(Boom(reason: "x"), isCancelled: false))
        #expect(failed?.code == .stateFailed)
        #expect(failed?.underlying as? Boom == Boom(reason: "x"))
        var early = machine()
        #expect(failure(early.begin(at: a, named: "a", input: 0, isCancelled: true))?.code == .cancelled)
    }
}
