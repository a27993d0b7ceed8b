import Orchestra
import OrchestraTesting
import Testing

@Suite("Composition: Pipeline and then")
struct PipelineTests {
    /// A pipeline subclass, named after its type, as a user would give a pipeline a place of its own.
    final class Research: Pipeline<String, Int>, @unchecked Sendable {
        init() {
            super.init {
                lengthOf("Measure")
                Add(10, name: "Pad")
                Add(1, name: "Bump")
            }
        }
    }

    @Test("steps run in order, each on the previous output, and the run's record shows each under the pipeline")
    func stepsRunInOrder() async throws {
        let pipeline = Pipeline {
            lengthOf("Measure")  // "abcd" -> 4
            Add(10, name: "Pad")  // 14
            Runnable<Int, String>("Show") { n, _ in "n=\(n)" }
        }
        let orchestration = Orchestration(pipeline)
        let handle = orchestration.start("abcd")
        #expect(try await handle.value == "n=14")
        let record = await handle.record
        #expect(
            record.steps.map(\.path.description) == ["Pipeline", "Pipeline/Measure", "Pipeline/Pad", "Pipeline/Show"])
        #expect(record.steps.map(\.step) == [1, 2, 3, 4])
        #expect(record.steps.dropFirst().allSatisfy { $0.parent == StatePath(["Pipeline"]) && $0.next == nil })
    }

    @Test("a pipeline has no arity cap: sixteen steps in one builder")
    func sixteenSteps() async throws {
        let pipeline = Pipeline {
            Add(1); Add(1); Add(1); Add(1); Add(1); Add(1); Add(1); Add(1)
            Add(1); Add(1); Add(1); Add(1); Add(1); Add(1); Add(1); Add(1)
        }
        #expect(try await Orchestration(pipeline).run(0) == 16)
    }

    @Test("if/else chooses a step when the pipeline is built, and the chosen steps sit directly in the pipeline")
    func ifElseChoosesAtBuildTime() async throws {
        func build(verbose: Bool) -> Pipeline<Int, String> {
            Pipeline {
                Add(1, name: "Bump")
                if verbose {
                    Runnable<Int, String>("Long") { n, _ in "the value is \(n)" }
                } else {
                    Add(100, name: "Big")
                    Describe(name: "Short")
                }
            }
        }
        let long = Orchestration(build(verbose: true)).start(1)
        #expect(try await long.value == "the value is 2")
        #expect(await long.record.steps.map(\.path.description) == ["Pipeline", "Pipeline/Bump", "Pipeline/Long"])
        let short = Orchestration(build(verbose: false)).start(1)
        #expect(try await short.value == "value 102")
        #expect(
            await short.record.steps.map(\.path.description)
                == ["Pipeline", "Pipeline/Bump", "Pipeline/Big", "Pipeline/Short"]
        )
    }

    @Test("else-if chains, switch and if without else choose steps when the pipeline is built")
    func elseIfSwitchAndOptional() async throws {
        enum Mode { case one, ten, hundred }
        func build(_ mode: Mode, double: Bool) -> Pipeline<Int, Int> {
            Pipeline {
                Add(0, name: "Start")
                if mode == .one {
                    Add(1, name: "One")
                } else if mode == .ten {
                    Add(10, name: "Ten")
                } else {
                    Add(100, name: "Hundred")
                }
                switch mode {
                case .one: Add(1, name: "AgainOne")
                case .ten: Add(10, name: "AgainTen")
                case .hundred: Add(100, name: "AgainHundred")
                }
                if double {
                    Runnable<Int, Int>("Double") { n, _ in n * 2 }
                }
            }
        }
        #expect(try await Orchestration(build(.one, double: false)).run(0) == 2)
        #expect(try await Orchestration(build(.ten, double: true)).run(0) == 40)
        let handle = Orchestration(build(.hundred, double: false)).start(0)
        #expect(try await handle.value == 200)
        #expect(
            await handle.record.steps.map(\.path.description)
                == ["Pipeline", "Pipeline/Start", "Pipeline/Hundred", "Pipeline/AgainHundred"]
        )
    }

    @Test("then chains into one pipeline of every step, not pipelines nested in pipelines")
    func thenFlattens() async throws {
        let chain = lengthOf("Measure").then(Add(1, name: "A")).then(Add(2, name: "B")).then(Describe(name: "Show"))
        let handle = Orchestration(chain).start("xyz")
        #expect(try await handle.value == "value 6")
        #expect(
            await handle.record.steps.map(\.path.description)
                == ["Pipeline", "Pipeline/Measure", "Pipeline/A", "Pipeline/B", "Pipeline/Show"]
        )
    }

    @Test("a plain pipeline nested in another, or extended with then, is spliced into it")
    func plainPipelinesSplice() async throws {
        let inner = Pipeline {
            Add(1, name: "A")
            Add(2, name: "B")
        }
        let outer = Pipeline {
            inner
            Add(3, name: "C")
        }.then(Add(4, name: "D"))
        let handle = Orchestration(outer).start(0)
        #expect(try await handle.value == 10)
        #expect(
            await handle.record.steps.map(\.path.description)
                == ["Pipeline", "Pipeline/A", "Pipeline/B", "Pipeline/C", "Pipeline/D"]
        )
    }

    @Test("a named or subclassed pipeline keeps its name and stays one step inside a longer chain")
    func namedPipelineIsNotSpliced() async throws {
        let chain = Research().then(Describe(name: "Show"))
        let handle = Orchestration(chain).start("ab")
        #expect(try await handle.value == "value 13")
        #expect(
            await handle.record.steps.map(\.path.description) == [
                "Pipeline", "Pipeline/Research", "Pipeline/Research/Measure", "Pipeline/Research/Pad",
                "Pipeline/Research/Bump", "Pipeline/Show",
            ]
        )
    }

    @Test("a failing step fails the run with an error naming its path; later steps do not run")
    func failingStep() async throws {
        let after = Counter()
        let pipeline = Pipeline(name: "Work") {
            Add(1, name: "Bump")
            Runnable<Int, Int>("Explode") { _, _ in throw Boom(reason: "no") }
            Runnable<Int, Int>("After") { n, _ in
                after.increment()
                return n
            }
        }
        let handle = Orchestration(pipeline).start(0)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Work/Explode")
        #expect(error.step == 3)
        #expect(error.underlying as? Boom == Boom(reason: "no"))
        #expect(error.message.contains("state 'Work/Explode' threw at step 3"))
        #expect(after.count == 0)
        let record = await handle.record
        #expect(record.status == .failed)
        #expect(record.steps.map(\.path.description) == ["Work", "Work/Bump", "Work/Explode"])
        #expect(record.steps.map(\.failed) == [true, false, true])
    }

    @Test("a pipeline is a state like any other: advancers lead into and out of it, and steps follow its children")
    func pipelineAsAState() async throws {
        let start = Add(1, name: "Start")
        let middle = Research()
        let end = Describe(name: "End")
        start.advance(to: middle, convert: { String(repeating: "x", count: $0) })
        middle.advance(to: end)
        let orchestration = Orchestration(start: start, exit: end)
        #expect(orchestration.validate().isEmpty)
        let handle = orchestration.start(2)  // "xxx" -> 3 + 10 + 1
        #expect(try await handle.value == "value 14")
        let record = await handle.record
        #expect(record.steps.map(\.step) == [1, 2, 3, 4, 5, 6])
        #expect(record.statesVisited == ["Start", "Research", "Measure", "Pad", "Bump", "End"])
        #expect(record.transitions.map { "\($0.from)->\($0.to)" } == ["Start->Research", "Research->End"])
    }

    @Test("a step's own advancers are not consulted inside a pipeline")
    func stepAdvancersIgnored() async throws {
        let consulted = Counter()
        let elsewhere = Add(1000, name: "Elsewhere")
        let step = Add(1, name: "Step")
        step.advance(
            to: elsewhere,
            when: { _ in
                consulted.increment()
                return true
            })
        let pipeline = Pipeline {
            step
            Add(1, name: "Next")
        }
        #expect(try await Orchestration(pipeline).run(0) == 2)
        #expect(consulted.count == 0)
    }
}
