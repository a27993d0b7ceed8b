import Foundation
import Orchestra
import Synchronization

/// Which states ran, in order, across every run of a machine.
final class ExecutionLog: Sendable {
    private let names = Mutex<[String]>([])
    func append(_ name: String) { names.withLock { $0.append(name) } }
    var all: [String] { names.withLock { $0 } }
}

/// A chain `s1 → s2 → … → sN` over `Int`, each adding its number and logging its run; `failing` names states
/// that throw while their switch is on, and each state counts its visits in the run's memory.
struct Chain {
    static let visits = MemoryKey<[String]>("visits")

    let states: [Runnable<Int, Int>]
    let log = ExecutionLog()
    let failing = Failing()

    init(length: Int) {
        var states: [Runnable<Int, Int>] = []
        let log = log
        let failing = failing
        for index in 1...length {
            let name = "s\(index)"
            states.append(
                Runnable<Int, Int>(name) { value, context in
                    log.append(name)
                    if failing.contains(name) { throw ChainFailure(state: name) }
                    context.memory[Self.visits, default: []].append(name)
                    return value + index
                })
        }
        for (state, next) in zip(states, states.dropFirst()) { state.advance(to: next) }
        self.states = states
    }

    func orchestration(_ store: any CheckpointStore) -> Orchestration<Int, Int> {
        Orchestration(start: states[0], exit: states[states.count - 1], options: .init(checkpoints: store))
    }
}

/// The names of the states that throw, changed by the test between runs.
final class Failing: Sendable {
    private let names = Mutex<Set<String>>([])
    func withLock(_ body: (inout Set<String>) -> Void) { names.withLock { body(&$0) } }
    func contains(_ name: String) -> Bool { names.withLock { $0.contains(name) } }
}

struct ChainFailure: Error, CustomStringConvertible {
    var state: String
    var description: String { "\(state) failed on purpose" }
}

/// A report waiting for a person's approval.
struct Draft: Codable, Sendable, Equatable {
    var text: String
    var revision: Int
}

/// The answer to a draft.
enum Verdict: Codable, Sendable, Equatable {
    case approve
    case revise(String)
}

/// `Write → Approve (AwaitInput) → Publish`, or back to `Write` with notes; the draft waits in the run's memory.
struct ApprovalMachine {
    static let draft = MemoryKey<Draft>("draft")

    let write: Runnable<String, Draft>
    let approve = AwaitInput<Draft, Verdict>("Approve")
    let publish: Runnable<Verdict, String>
    let log = ExecutionLog()

    init() {
        let log = log
        write = Runnable("Write") { topic, context in
            log.append("Write")
            let revision = (context.memory[Self.draft]?.revision ?? 0) + 1
            let draft = Draft(text: "on \(topic)", revision: revision)
            context.memory[Self.draft] = draft
            return draft
        }
        publish = Runnable("Publish") { _, context in
            log.append("Publish")
            guard let draft = context.memory[Self.draft] else { throw ChainFailure(state: "Publish: no draft") }
            return "published \(draft.text) r\(draft.revision)"
        }
        let (write, publish) = (write, publish)
        write.advance(to: approve)
        approve.route(to: publish, write) { verdict in
            switch verdict {
            case .approve: .to(publish, verdict)
            case .revise(let notes): .to(write, notes)
            }
        }
    }

    func orchestration(_ store: (any CheckpointStore)?) -> Orchestration<String, String> {
        Orchestration(start: write, exit: publish, options: .init(checkpoints: store))
    }
}

/// A store that keeps checkpoints as JSON, the way a store of another process reads them back: nothing passes
/// between runs as a live value.
final class JSONCheckpointStore: CheckpointStore {
    private let inner = InMemoryCheckpointStore()
    private let saves = Mutex(0)
    private let encodedSizes = Mutex<[Int]>([])
    /// Called before each save with its number, from 1; throwing fails that save.
    let beforeSave: @Sendable (Int) async throws -> Void
    /// Called before each load; the test may hold it there.
    let beforeLoad: @Sendable () async -> Void

    init(
        beforeSave: @escaping @Sendable (Int) async throws -> Void = { _ in },
        beforeLoad: @escaping @Sendable () async -> Void = {}
    ) {
        self.beforeSave = beforeSave
        self.beforeLoad = beforeLoad
    }

    var saveCount: Int { saves.withLock { $0 } }
    /// The size of each checkpoint saved, as JSON.
    var sizes: [Int] { encodedSizes.withLock { $0 } }
    /// The type names of the memory entries of every checkpoint saved.
    var memoryTypes: [String] { savedTypes.withLock { $0 } }
    private let savedTypes = Mutex<[String]>([])

    func save(_ checkpoint: Checkpoint, appending steps: [RunRecord.Step]) async throws {
        let number = saves.withLock { count in
            count += 1
            return count
        }
        try await beforeSave(number)
        let data = try JSONEncoder().encode(checkpoint)
        encodedSizes.withLock { $0.append(data.count) }
        savedTypes.withLock { $0.append(contentsOf: checkpoint.memory.map(\.type)) }
        let stepsData = try JSONEncoder().encode(steps)
        try await inner.save(
            JSONDecoder().decode(Checkpoint.self, from: data),
            appending: JSONDecoder().decode([RunRecord.Step].self, from: stepsData))
    }

    func load(_ runID: RunID) async throws -> StoredRun? {
        await beforeLoad()
        return try await inner.load(runID)
    }
    func runs() async throws -> [Checkpoint] { try await inner.runs() }
    func delete(_ runID: RunID) async throws { try await inner.delete(runID) }
}
