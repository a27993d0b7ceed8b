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
        let scope = scope
        let (parentNode, state) = (parentNode, state)
        let concurrent = branches.indices.filter { !branches[$0].isSynchronous }
        var outputs = [(any Sendable)?](repeating: nil, count: branches.count)
        var failure: OrchestrationError?

        await withTaskGroup(of: (Int, Result<any Sendable, OrchestrationError>).self) { group in
            // A lone branch that can suspend needs no task: no other branch runs while it does.
            let ownTask = concurrent.count == 1 ? concurrent : []
            for index in concurrent where concurrent.count > 1 {
                group.addTask {
                    let parent = PathNode(parent: parentNode, name: state, index: index)
                    do throws(OrchestrationError) {
                        return (index, .success(try await scope.runChild(branches[index], input, parent: parent)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            let here = branches.indices.filter { branches[$0].isSynchronous } + ownTask
            for index in here {
                do throws(OrchestrationError) {
                    let parent = PathNode(parent: parentNode, name: state, index: index)
                    outputs[index] = try await scope.runChild(branches[index], input, parent: parent)
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
                    // The first failure is the cause; the cancellations it set off follow it.
                    if failure == nil || (failure?.code == .cancelled && error.code != .cancelled) {
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
