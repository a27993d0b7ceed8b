import Orchestra
import Testing

@Suite("Concurrent runs")
struct ConcurrencyTests {
    @Test("1,000 concurrent runs on one orchestration give correct, independent results")
    func thousandRuns() async throws {
        let key = MemoryKey<Int>("seed")
        let remember = Runnable<Int, Int>("Remember") { n, context in
            context.memory[key] = n
            await Task.yield()
            return n
        }
        let chain = (1...5).map { index in
            Runnable<Int, Int>("Step\(index)") { n, context in
                await Task.yield()
                // Each run's memory holds its own seed, never another run's.
                guard context.memory[key] == n - index + 1 else { throw Boom(reason: "memory leaked between runs") }
                return n + 1
            }
        }
        remember.advance(to: chain[0])
        for (state, next) in zip(chain, chain.dropFirst()) { state.advance(to: next) }
        let orchestration = Orchestration(start: remember, exit: chain[4])
        let handles = (0..<1000).map { orchestration.start($0 * 10) }
        #expect(Set(handles.map(\.id)).count == 1000)
        for (index, handle) in handles.enumerated() {
            #expect(try await handle.value == index * 10 + 5)
            let record = await handle.record
            #expect(record.runID == handle.id)
            #expect(record.steps.count == 6)
        }
        try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for n in 0..<1000 {
                group.addTask { (n, try await orchestration.run(n)) }
            }
            for try await (input, output) in group {
                #expect(output == input + 5)
            }
        }
    }

    @Test("run ids are unique")
    func uniqueIDs() {
        let ids = (0..<100_000).map { _ in RunID() }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map(\.uuid)).count == ids.count)
        // Well-formed version-4 UUIDs: the version nibble is 4 and the variant bits are 10.
        for id in ids.prefix(1000) {
            let bytes = id.uuid.uuid
            #expect(bytes.6 >> 4 == 4)
            #expect(bytes.8 >> 6 == 0b10)
        }
    }
}
