import Foundation
import OrchestraAgents
import OrchestraTesting
import Testing

@Suite("Model selector")
struct ModelSelectorTests {
    static func answer(_ type: String, _ confidence: Double, _ reason: String = "It needs a search.") -> JSONValue {
        ["orchestrationType": .string(type), "confidence": .number(confidence), "reason": .string(reason)]
    }

    @Test("a valid answer is the choice; the request forces the answer's schema and describes the types")
    func validAnswer() async throws {
        let model = ScriptedModel([.json(Self.answer("planner", 0.85))])
        let selector = ModelSelector(model: model, tools: try RuleBasedSelectorTests.tools(["web_search"]))
        let choice = try await selector.select("Find papers on protein folding")
        #expect(choice.type == .planner)
        #expect(choice.confidence == 0.85)
        #expect(choice.decidedBy == .model)
        #expect(choice.reason == "the model chose planner with confidence 0.85: It needs a search.")

        let request = try #require(model.requests.first)
        #expect(request.responseFormat == .jsonSchema(name: "OrchestrationChoice", schema: selector.answerSchema))
        #expect(
            selector.answerSchema.properties?["orchestrationType"]?.allowedValues == ["simple", "planner", "reactive"])
        #expect(selector.answerSchema.required == ["orchestrationType", "confidence", "reason"])
        #expect(request.messages.map(\.role) == [.system, .user])
        #expect(request.messages.last?.content == "Find papers on protein folding")
        let instructions = try #require(request.messages.first?.content)
        #expect(instructions.contains("- simple: one model call answers it"))
        #expect(instructions.contains("- reactive: as planner, but"))
        #expect(!instructions.contains("- fixed:"))
        #expect(instructions.contains("- web_search: The web_search tool"))
    }

    @Test("fixed is offered when asked for; an answer in a code fence is read")
    func fixedAndFenced() async throws {
        let fenced = "```json\n" + Self.answer("fixed", 0.9, "It is the monthly report.").description + "\n```"
        let model = ScriptedModel([.text(fenced)])
        let selector = ModelSelector(model: model, types: Set(OrchestrationType.allCases))
        #expect(try await selector.select("Run the monthly report").type == .fixed)
        #expect(selector.answerSchema.properties?["orchestrationType"]?.allowedValues?.count == 4)
        #expect(model.requests.first?.messages.first?.content?.contains("- fixed: it is one of") == true)
    }

    @Test(
        "an answer that cannot be used falls back to the rules, and the reason says why",
        arguments: [
            (ScriptedModel.Reply.text("Planner, I think."), "its answer is not JSON (", .planner),
            (
                .json(answer("agentic", 0.9)),
                #"its answer breaks the schema: $.orchestrationType: "agentic" is not one of"#, .planner
            ),
            (.json(answer("fixed", 0.9)), #"$.orchestrationType: "fixed" is not one of"#, .planner),
            (.json(answer("simple", 1.5)), "$.confidence: 1.5 is more than the maximum 1.0", .planner),
            (
                .json(["orchestrationType": "simple", "confidence": 0.9]), "is missing the required member 'reason'",
                .planner
            ),
            (.json(answer("simple", 0.4)), "it chose simple with confidence 0.40, below the minimum 0.60", .planner),
            (
                .failure(ModelError(.status(503, message: "overloaded"), endpoint: "http://model")),
                "the model failed: HTTP 503 from http://model: overloaded", .planner
            ),
            (
                .response(ChatResponse(message: .assistant(#"{"orchestrationType": "sim"#), finishReason: .length)),
                "its answer was cut off at the token limit", .planner
            ),
        ] as [(ScriptedModel.Reply, String, OrchestrationType)])
    func fallsBack(reply: ScriptedModel.Reply, why: String, type: OrchestrationType) async throws {
        let model = ScriptedModel([reply])
        let request = "Search the web for flights to Rome"  // the default ladder: planner
        let choice = try await ModelSelector(model: model).select(request)
        #expect(choice.type == type)
        #expect(choice.decidedBy == .fallback)
        #expect(choice.reason.hasPrefix("the model's answer was not used: "), "\(choice.reason)")
        #expect(choice.reason.contains(why), "\(choice.reason)")
        #expect(choice.reason.hasSuffix("; the fallback chose: " + RuleBasedSelector().choice(for: request).reason))
        #expect(choice.confidence == RuleBasedSelector().choice(for: request).confidence)
        #expect(model.requests.count == 1)
    }

    @Test("the fallback may be any selector, with its rules")
    func customFallback() async throws {
        let rules = try RuleBasedSelector(rules: [SelectionRule(name: "report", type: .fixed, keywords: ["report"])])
        let choice = try await ModelSelector(model: ScriptedModel([.text("?")]), fallback: rules).select("a report")
        #expect(choice.type == .fixed)
        #expect(choice.rule == "report")
        #expect(choice.decidedBy == .fallback)
    }

    @Test("cancellation is never taken for a failure: CancellationError is thrown, not fallen back from")
    func cancellation() async throws {
        let throwing = ScriptedModel([.failure(CancellationError())])
        await #expect(throws: CancellationError.self) { try await ModelSelector(model: throwing).select("hi") }

        // A model that reports cancellation its own way while the task is cancelled.
        let model = ScriptedModel { _ in
            withUnsafeCurrentTask { $0?.cancel() }
            return .failure(ModelError(.cancelled, endpoint: "http://model"))
        }
        let selector = ModelSelector(model: model)
        await #expect(throws: CancellationError.self) { try await Task { try await selector.select("hi") }.value }

        // A task cancelled before it asks sends nothing.
        let unasked = ScriptedModel([.json(Self.answer("simple", 0.9))])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await ModelSelector(model: unasked).select("hi")
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(unasked.requests.isEmpty)
    }

    @Test("the cache answers a request it remembers without asking, forgets the least recently used, and not failures")
    func cache() async throws {
        let model = ScriptedModel([
            .json(Self.answer("planner", 0.9)), .json(Self.answer("simple", 0.9)),
            .failure(ModelError(.timedOut(after: .seconds(1)), endpoint: "http://model")),
            .json(Self.answer("simple", 0.8)), .json(Self.answer("planner", 0.7)),
        ])
        let selector = ModelSelector(model: model, cacheCapacity: 2)
        let first = try await selector.select("Find flights")
        #expect(try await selector.select("  Find flights\n") == first)  // remembered: no request
        #expect(model.requests.count == 1)
        #expect(try await selector.select("Tell a joke").type == .simple)
        #expect(try await selector.select("Find flights") == first)  // still remembered, and now the most recent
        #expect(model.requests.count == 2)
        #expect(try await selector.select("Hi").decidedBy == .fallback)  // the model timed out: not remembered
        #expect(try await selector.select("Hi").decidedBy == .model)  // asked again; forgets "Tell a joke"
        #expect(try await selector.select("Find flights") == first)
        #expect(try await selector.select("Tell a joke").type == .planner)  // asked again
        #expect(model.requests.count == 5)

        let uncached = ScriptedModel([.json(Self.answer("simple", 0.9)), .json(Self.answer("simple", 0.9))])
        let plain = ModelSelector(model: uncached)
        _ = try await plain.select("Hi")
        _ = try await plain.select("Hi")
        #expect(uncached.requests.count == 2)
    }
}
