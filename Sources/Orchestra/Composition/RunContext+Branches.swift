extension RunContext {
    /// Runs every branch on `input` at once, as children of this state numbered by their position, and
    /// returns their outputs in the branches' order, whatever order they finish in.
    ///
    /// Each branch that can suspend gets a child task, so that a failure can cancel it — unless it is the
    /// only one, which then runs in this task after the others. A branch built from a synchronous closure
    /// never suspends, so it gains nothing from a task but the cost of one, and runs in this task while the
    /// child tasks run. When a branch fails, the others are cancelled and awaited, and the branch's error is
    /// thrown; no branch outlives this call.
    nonisolated(nonsending) func runBranches(
        _ branches: [any StateNode], on input: any Sendable
    ) async throws(OrchestrationError) -> [any Sendable] {
        guard !branches.isEmpty else { return [] }
        let synchronous = branches.indices.filter { branches[$0].isSynchronous }
        let suspending = branches.indices.filter { !branches[$0].isSynchronous }
        // A lone branch that can suspend needs no task: no other branch runs while it does.
        let spawned = suspending.count > 1 ? suspending : []
        let here = synchronous + (suspending.count > 1 ? [] : suspending)
        var outputs = [(any Sendable)?](repeating: nil, count: branches.count)
        var failure: OrchestrationError?

        await withTaskGroup(of: (Int, Result<any Sendable, OrchestrationError>).self) { group in
            for index in spawned {
                group.addTask {
                    do throws(OrchestrationError) {
                        let output = try await scope.runChild(branches[index], input, parent: childParent(index: index))
                        return (index, .success(output))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for index in here {
                do throws(OrchestrationError) {
                    outputs[index] = try await scope.runChild(branches[index], input, parent: childParent(index: index))
                } catch {
                    failure = error
                    group.cancelAll()
                    break
                }
            }
            while let (index, result) = await group.next() {
                switch result {
                case .success(let output): outputs[index] = output
                case .failure(let error):
                    if error.isCause(over: failure) {
                        failure = error
                        group.cancelAll()
                    }
                }
            }
        }
        if let failure { throw failure }
        var complete: [any Sendable] = []
        complete.reserveCapacity(outputs.count)
        for (index, output) in outputs.enumerated() {
            guard let output else {
                throw .internalInconsistency("branch \(index) of '\(state)' neither returned nor threw")
            }
            complete.append(output)
        }
        return complete
    }
}
