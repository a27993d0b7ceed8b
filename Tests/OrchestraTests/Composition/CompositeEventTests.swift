import Foundation
import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Composition: events, paths, records, chunks")
struct CompositeEventTests {
    /// A pipeline named Research whose ForEach runs Search on every query, emitting a chunk each.
    static func research() -> Pipeline<String, String> {
        let search = Runnable<String, String>("Search") { query, context in
            context.emit("searching \(query)")
            await Task.yield()
            return query.uppercased()
        }
        return Pipeline(name: "Research") {
            Runnable<String, [String]>("Plan") { topic, _ in (0..<5).map { "\(topic) \($0)" } }
            ForEach(search, maxConcurrency: 2)
            Runnable<[String], String>("Report") { notes, _ in notes.joined(separator: ", ") }
        }
    }

    @Test("children's events carry their path, and each child starts, emits and completes in order")
    func eventPaths() async throws {
        let orchestration = Orchestration(Self.research())
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start("ai")
        #expect(try await handle.value == "AI 0, AI 1, AI 2, AI 3, AI 4")
        await orchestration.waitForHooks()
        let events = recorder.events(of: handle.id)
        let lines = events.map { "\($0.path) \($0.kind.name)" }
        #expect(lines.first == "Research runStarted")
        #expect(lines.dropFirst().first == "Research stateStarted")
        #expect(lines.suffix(2) == ["Research stateCompleted", "Research runCompleted"])
        for index in 0..<5 {
            let path = "Research/ForEach[\(index)]/Search"
            let own = lines.filter { $0.hasPrefix(path + " ") }
            #expect(own == ["\(path) stateStarted", "\(path) chunk", "\(path) stateCompleted"])
            let chunk = events.first { $0.path.description == path && $0.kind.name == "chunk" }
            #expect(chunk?.chunk(as: String.self) == "searching ai \(index)")
            #expect(chunk?.parent == StatePath(["Research", "ForEach[\(index)]"]))
        }
        // The composite's own start comes before its children's events, its end after them.
        let forEachStart = try #require(lines.firstIndex(of: "Research/ForEach stateStarted"))
        let forEachEnd = try #require(lines.firstIndex(of: "Research/ForEach stateCompleted"))
        let childLines = lines.indices.filter { lines[$0].contains("ForEach[") }
        #expect(childLines.allSatisfy { $0 > forEachStart && $0 < forEachEnd })
        #expect(lines.firstIndex(of: "Research/Report stateStarted").map { $0 > forEachEnd } == true)
        // Every child's step is its own, and the steps are given out in order.
        let started = events.filter { $0.kind.name == "stateStarted" }
        #expect(Set(started.map(\.step)).count == started.count)
        #expect(started.map(\.step).sorted() == Array(1...9))
    }

    @Test("the record holds every child after its composite, in step order, and keeps paths through JSON")
    func recordOfChildren() async throws {
        let handle = Orchestration(Self.research()).start("x")
        _ = try await handle.value
        let record = await handle.record
        #expect(record.steps.map(\.step) == Array(1...9))
        let paths = record.steps.map(\.path.description)
        #expect(paths.prefix(3) == ["Research", "Research/Plan", "Research/ForEach"])
        // Elements take their steps as they start, which two workers may do in either order.
        #expect(Set(paths.dropFirst(3).prefix(5)) == Set((0..<5).map { "Research/ForEach[\($0)]/Search" }))
        #expect(paths.last == "Research/Report")
        let json = try JSONEncoder().encode(record)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""parent":["Research","ForEach[3]"]"#))
        // Times go through JSON as seconds in a Double, so compare what is exact: steps and paths.
        let decoded = try JSONDecoder().decode(RunRecord.self, from: json)
        #expect(decoded.steps.map(\.path) == record.steps.map(\.path))
        #expect(decoded.steps.map(\.parent) == record.steps.map(\.parent))
        #expect(decoded.steps.map(\.step) == record.steps.map(\.step))
    }

    @Test("a user's own composite runs children through the context, numbered or not")
    func customComposite() async throws {
        final class FirstAnswer: Runnable<String, String>, @unchecked Sendable {
            let experts: [Runnable<String, String?>]
            init(_ experts: [Runnable<String, String?>]) {
                self.experts = experts
                super.init()
            }

            override func invoke(_ question: String, context: RunContext) async throws -> String {
                for (index, expert) in experts.enumerated() {
                    if let answer = try await context.run(expert, question, index: index) { return answer }
                }
                return try await context.run(Runnable<String, String>("Shrug") { _, _ in "no one knew" }, question)
            }
        }
        let experts = [
            Runnable<String, String?>("Physicist") { _, _ in nil },
            Runnable<String, String?>("Chemist") { q, _ in q.contains("water") ? "H2O" : nil },
        ]
        let water = Orchestration(FirstAnswer(experts)).start("water?")
        #expect(try await water.value == "H2O")
        #expect(
            await water.record.pathsVisited
                == [
                    StatePath(["FirstAnswer"]), StatePath(["FirstAnswer[0]", "Physicist"]),
                    StatePath(["FirstAnswer[1]", "Chemist"]),
                ].compactMap { $0 }
        )
        let other = Orchestration(FirstAnswer(experts)).start("fire?")
        #expect(try await other.value == "no one knew")
        #expect(await other.record.steps.last?.path.description == "FirstAnswer/Shrug")
    }

    @Test("a child failing deep inside nested composites fails the run with its own path and step")
    func deepFailure() async throws {
        let search = Runnable<Int, Int>("Search") { n, _ in
            if n == 2 { throw Boom(reason: "deep") }
            return n
        }
        let inner = Pipeline(name: "Inner") {
            Add(0, name: "Prepare")
            search
        }
        let outer = Pipeline(name: "Outer") {
            Runnable<Int, [Int]>("Split") { n, _ in Array(0..<n) }
            ForEach(inner, maxConcurrency: 1)
        }
        let recorder = EventRecorder()
        let orchestration = Orchestration(outer)
        recorder.attach(to: orchestration)
        let handle = orchestration.start(4)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Outer/ForEach[2]/Inner/Search")
        #expect(error.underlying as? Boom == Boom(reason: "deep"))
        await orchestration.waitForHooks()
        let failed = recorder.events(of: handle.id).filter { $0.kind.name == "stateFailed" }.map(\.path.description)
        #expect(failed == ["Outer/ForEach[2]/Inner/Search", "Outer/ForEach[2]/Inner", "Outer/ForEach", "Outer"])
        #expect(await handle.record.steps.filter(\.failed).count == 4)
    }

    @Test("a composite that swallows its children's step-limit error still fails the run at the limit")
    func swallowedStepLimit() async throws {
        let stubborn = Runnable<Int, Int>("Stubborn") { n, context in
            for _ in 0..<10 { _ = try? await context.run(Add(1), n) }
            return n
        }
        let orchestration = Orchestration(stubborn, options: .init(stepLimit: 4))
        let error = try #require(await orchestration.start(0).result.orchestrationError)
        #expect(error.code == .stepLimitReached)
        #expect(error.state == "Stubborn")
    }

    @Test("a child started after its run has ended does not run, and says why")
    func childAfterTheRunEnded() async throws {
        let clock = ManualClock()
        let ran = Counter()
        let late = Mutex<Task<Int, any Error>?>(nil)
        let leaky = Runnable<Int, Int>("Leaky") { n, context in
            // An unstructured task outlives the state: exactly what composites must not do.
            late.withLock { task in
                task = Task {
                    try await Task.sleep(for: .seconds(1), clock: context.clock)
                    return try await context.run(
                        Runnable<Int, Int>("Late") { n, _ in
                            ran.increment(); return n
                        }, n)
                }
            }
            return n
        }
        let handle = Orchestration(leaky, options: .init(clock: clock)).start(0)
        _ = try await handle.value
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        let task = try #require(late.withLock { $0 })
        let error = try #require(await task.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(error.message.contains("already ended"))
        #expect(ran.count == 0)
        #expect(await handle.record.steps.count == 1)
    }

    @Test("event descriptions show a child's path")
    func descriptionShowsPath() async throws {
        let orchestration = Orchestration(Pipeline(name: "Outer") { Add(1, name: "Inner") })
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        _ = try await orchestration.run(0)
        await orchestration.waitForHooks()
        #expect(recorder.events.contains { $0.description.contains(" step 2 Outer/Inner] state started") })
    }
}

@Suite("Composition: state paths")
struct StatePathTests {
    @Test("a path built from components reads back its components, depth, parent, last and text")
    func anatomy() throws {
        let path = try #require(StatePath(["Research", "ForEach[3]"])).appending("Search")
        #expect(path.components == ["Research", "ForEach[3]", "Search"])
        #expect(path.depth == 3)
        #expect(path.last == "Search")
        #expect(path.parent == StatePath(["Research", "ForEach[3]"]))
        #expect(path.parent?.parent?.parent == nil)
        #expect(path.description == "Research/ForEach[3]/Search")
        #expect(StatePath([]) == nil)
    }
}
