import Foundation
import OrchestraTesting
import Testing

@testable import OrchestraAgents

@Suite("The templates with a checkpoint store")
struct DurableTemplateTests {
    @Test("Simple keeps its answer: a resumed run returns it without calling the model again")
    func simpleIsDurable() async throws {
        let model = ScriptedModel([.text("A set of states and the moves between them.")])
        let store = InMemoryCheckpointStore()
        let simple = Orchestration.simple(
            model: model, instructions: "Answer in one sentence.", options: .init(checkpoints: store))
        #expect(simple.validate().isEmpty)
        let handle = simple.start("What is a state machine?")
        #expect(try await handle.value == "A set of states and the moves between them.")

        let stored = try #require(try await store.load(handle.id))
        #expect(stored.checkpoint.status == .completed)
        #expect(try await simple.resume(handle.id).output == "A set of states and the moves between them.")
        #expect(model.requests.count == 1)
    }

    @Test("Fixed saves its JSON input and output, and a failed run resumes at its one state")
    func fixedIsDurable() async throws {
        let workflow = try FixedTemplateTests.definition(
            #"[{"id": "say", "kind": "llm", "prompt": "Say ${input.word}"}]"#, output: "${say.output}")
        let model = ScriptedModel([
            .failure(ModelError(.status(503, message: "down"), endpoint: "http://model")), .text("hello"),
        ])
        let store = InMemoryCheckpointStore()
        let fixed = try Orchestration.fixed(workflow, model: model, options: .init(checkpoints: store))
        #expect(fixed.validate().isEmpty)
        let handle = fixed.start(["word": "hello"])
        #expect((await handle.record).status == .failed)

        let stored = try #require(try await store.load(handle.id))
        #expect(stored.checkpoint.state == "w")
        #expect(try stored.checkpoint.value?.decoded(as: JSONValue.self, location: "input") == ["word": "hello"])
        #expect(try await fixed.resume(handle.id).output == "hello")
    }

    @Test("Planner and Reactive pass a PlanProgress between states, which cannot be saved yet: validate() says so")
    func plannersAreReportedNotCodable() throws {
        let tools = try PlannerTemplateTests.tools(ToolBench())
        let options = OrchestrationOptions(checkpoints: InMemoryCheckpointStore())
        for orchestration in [
            Orchestration.planner(model: ScriptedModel([]), tools: tools, options: options),
            Orchestration.reactive(model: ScriptedModel([]), tools: tools, options: options),
        ] {
            let problems = orchestration.validate().filter { $0.kind == .notCodable }
            #expect(!problems.isEmpty)
            #expect(problems.allSatisfy { $0.severity == .error && $0.message.contains("PlanProgress") })
        }
    }
}
