import Orchestra
import Synchronization
import Testing

@Suite("Runnables")
struct RunnableTests {
    @Test("a subclassed runnable runs its override and is named after its type")
    func subclass() async throws {
        let add = Add(3)
        #expect(add.name == "Add")
        let result = try await Orchestration(add).run(4)
        #expect(result == 7)
    }

    @Test("a closure runnable needs no subclass and carries the name it was given")
    func closure() async throws {
        let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
        #expect(double.name == "double")
        #expect(try await Orchestration(double).run(21) == 42)
    }

    @Test("a subclass that passes a closure to super.init and overrides invoke runs its override")
    func overrideWinsOverClosure() async throws {
        final class Both: Runnable<Int, Int>, @unchecked Sendable {
            init() { super.init("Both") { n, _ in n + 1 } }
            override func invoke(_ input: Int, context: RunContext) async throws -> Int { input * 100 }
        }
        #expect(try await Orchestration(Both()).run(2) == 200)
    }

    @Test("synchronous and asynchronous closure states mix in one machine, with the same events and record")
    func synchronousAndAsynchronous() async throws {
        let parse = Runnable<String, Int>("parse") { text, _ in
            guard let n = Int(text) else { throw Boom(reason: "not a number") }
            return n
        }
        let wait = Runnable<Int, Int>("wait") { n, _ in
            await Task.yield()
            return n * 2
        }
        let format = Runnable<Int, String>("format") { n, context in
            context.emit("formatting")
            return "=\(n)"
        }
        parse.advance(to: wait)
        wait.advance(to: format)
        let orchestration = Orchestration(start: parse, exit: format)
        let handle = orchestration.start("21")
        #expect(try await handle.value == "=42")
        #expect(await handle.record.statesVisited == ["parse", "wait", "format"])
        var kinds: [String] = []
        for await event in handle.events { kinds.append("\(event.kind.name) \(event.state)") }
        #expect(
            kinds == [
                "runStarted parse", "stateStarted parse", "stateCompleted parse", "transition parse",
                "stateStarted wait", "stateCompleted wait", "transition wait",
                "stateStarted format", "chunk format", "stateCompleted format", "runCompleted format",
            ])
        // A synchronous state's error fails the run like an asynchronous one's.
        let error = try #require(await orchestration.start("x").result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "parse")
        #expect(error.underlying as? Boom == Boom(reason: "not a number"))
    }

    @Test("a subclass that passes an async closure to super.init and overrides invoke runs its override")
    func overrideWinsOverAsyncClosure() async throws {
        final class Both: Runnable<Int, Int>, @unchecked Sendable {
            init() {
                super.init("Both") { n, _ async in n + 1 }
            }
            override func invoke(_ input: Int, context: RunContext) async throws -> Int { input * 100 }
        }
        #expect(try await Orchestration(Both()).run(2) == 200)
    }

    @Test("invoke called directly on a closure runnable runs its closure, synchronous or not")
    func invokeRunsTheClosure() async throws {
        let synchronous = Runnable<Int, Int>("s") { n, _ in n + 1 }
        let outer = Runnable<Int, Int>("outer") { n, context in try await synchronous.invoke(n, context: context) }
        #expect(try await Orchestration(outer).run(1) == 2)
    }

    @Test("a name can be given at init or set later, and events and records use it")
    func names() async throws {
        let first = Add(1, name: "first")
        let second = Add(2)
        second.name = "second"
        first.advance(to: second)
        let handle = Orchestration(start: first, exit: second).start(0)
        #expect(try await handle.value == 3)
        #expect(await handle.record.statesVisited == ["first", "second"])
        var started: [String] = []
        for await event in handle.events {
            if case .stateStarted = event.kind { started.append(event.state) }
        }
        #expect(started == ["first", "second"])
    }

    @Test("a subclass that forgets to override invoke fails the run with a message saying what to do")
    func notImplemented() async throws {
        final class Forgot: Runnable<Int, Int>, @unchecked Sendable {}
        let result = await Orchestration(Forgot()).start(1).result
        let error = try #require(result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Forgot")
        let underlying = try #require(error.underlying as? RunnableNotImplemented)
        #expect(underlying.description.contains("override invoke"))
    }

    @Test("the context gives the run id, the step, the state's name and a memory shared by the run's states")
    func context() async throws {
        let key = MemoryKey<[String]>("trail")
        let seen = Counter()
        let runIDs = Mutex<[RunID]>([])
        let a = Runnable<Int, Int>("a") { n, context in
            runIDs.withLock { $0.append(context.runID) }
            #expect(context.step == 1)
            #expect(context.state == "a")
            context.memory[key, default: []].append("a@\(context.step)")
            seen.increment()
            return n
        }
        let b = Runnable<Int, [String]>("b") { _, context in
            #expect(context.step == 2)
            context.memory[key, default: []].append("b@\(context.step)")
            return context.memory[key] ?? []
        }
        a.advance(to: b)
        let orchestration = Orchestration(start: a, exit: b)
        let handle = orchestration.start(0)
        #expect(try await handle.value == ["a@1", "b@2"])
        #expect(runIDs.withLock { $0 } == [handle.id])
        // A second run starts with an empty memory.
        #expect(try await orchestration.run(0) == ["a@1", "b@2"])
        #expect(seen.count == 2)
    }

    @Test("memory keys with the same name but different value types are different slots")
    func memoryKeysAreTyped() {
        let memory = RunMemory()
        memory[MemoryKey<Int>("x")] = 1
        memory[MemoryKey<String>("x")] = "one"
        #expect(memory[MemoryKey<Int>("x")] == 1)
        #expect(memory[MemoryKey<String>("x")] == "one")
        memory.update(MemoryKey<Int>("x"), default: 0) { $0 += 10 }
        #expect(memory[MemoryKey<Int>("x")] == 11)
        memory[MemoryKey<Int>("x")] = nil
        #expect(memory[MemoryKey<Int>("x")] == nil)
        #expect(memory.keyNames == ["x"])
    }
}
