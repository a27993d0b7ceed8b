import Orchestra
import Synchronization
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

    @Test("renaming a state while runs read its name: every record holds one of the names given")
    func renameDuringRuns() async throws {
        let names = (0..<50).map { "name-\($0)-" + String(repeating: "x", count: $0) }  // small and heap strings
        let known = Set(names)
        let renamed = Runnable<Int, Int>(names[0]) { n, _ in n + 1 }
        let exit = Runnable<Int, Int>("exit") { n, _ in n }
        renamed.advance(to: exit)
        let orchestration = Orchestration(start: renamed, exit: exit, options: .init(validatesGraph: false))
        let running = Flag(true)
        // Renames for as long as the runs and the readers go on.
        let renamer = Task {
            var renames = 0
            while running.isSet {
                renamed.name = names[renames % names.count]
                renames += 1
                if renames % 64 == 0 { await Task.yield() }
            }
            return renames
        }
        let records = try await withThrowingTaskGroup(of: [RunRecord].self) { group in
            for _ in 0..<3 {
                group.addTask {
                    var records: [RunRecord] = []
                    for n in 0..<300 {
                        let handle = orchestration.start(n)
                        let value = try await handle.value
                        #expect(value == n + 1)
                        records.append(await handle.record)
                    }
                    return records
                }
            }
            group.addTask {
                // Reads the name directly, as often as it can, while it changes.
                for round in 0..<20_000 {
                    let name = renamed.name
                    let isKnown = known.contains(name)
                    #expect(isKnown, "read a name that was never given: \(name)")
                    if round % 256 == 0 { await Task.yield() }
                }
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        running.clear()
        let renames = await renamer.value
        #expect(records.count == 900)
        #expect(renames > 0)
        #expect(records.allSatisfy { known.contains($0.steps[0].state) && $0.steps[0].next == "exit" })
        renamed.name = "final"
        #expect(renamed.name == "final")
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

/// A flag one task sets and others read.
final class Flag: Sendable {
    private let value: Atomic<Bool>
    init(_ value: Bool) { self.value = Atomic(value) }
    var isSet: Bool { value.load(ordering: .acquiring) }
    func clear() { value.store(false, ordering: .releasing) }
}
