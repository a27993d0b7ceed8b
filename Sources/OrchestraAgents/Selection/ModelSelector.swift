import Foundation
import Synchronization

/// Asks a model which orchestration type a request needs, with the answer's JSON Schema forced, and lets a
/// fallback selector — the default ladder of a ``RuleBasedSelector`` unless you give another — choose when the
/// answer cannot be used.
///
/// ```swift
/// let selector = ModelSelector(model: model, fallback: try RuleBasedSelector(json: rules), cacheCapacity: 256)
/// let choice = try await selector.select("Watch the deploy and roll back if the error rate climbs")
/// // reactive (0.86, model): the model chose reactive with confidence 0.86: …
/// ```
///
/// **The request.** The system message describes the types the model may choose and the application's tools;
/// the user message is the request; the response format is ``ResponseFormat/jsonSchema(name:schema:)`` with
/// ``answerSchema``, so a server that supports it constrains the answer to
/// `{"orchestrationType": "planner", "confidence": 0.8, "reason": "…"}`. `fixed` is not among the types by
/// default: a fixed workflow is the application's to name, so leave that choice to rules — or add it to `types`
/// and describe your workflows in `instructions`.
///
/// **Falling back.** The answer is not used when the model throws, stops at the token limit, writes something
/// that is not JSON or breaks the schema, or is less sure than ``minimumConfidence``. The fallback chooses then;
/// the choice is ``OrchestrationChoice/Decider/fallback`` and its reason says why the model's answer was not used.
/// Cancelling the task is no failure: ``select(_:)`` throws `CancellationError`.
///
/// **Cache.** With a `cacheCapacity` above 0, the selector remembers the model's valid answers for that many
/// requests (keyed by the request without surrounding white space; the least recently used is forgotten first), and
/// a remembered request is not sent again. A failed request is not remembered: the next one asks again. The cache is
/// off by default, so that every call asks the model, as a test with a scripted model expects.
public final class ModelSelector: OrchestrationSelector, Sendable {
    /// The model asked.
    public let model: any ChatModel
    /// Chooses when the model's answer cannot be used.
    public let fallback: any OrchestrationSelector
    /// The least confidence at which the model's answer is used.
    public let minimumConfidence: Double
    /// The types the model may choose, in the order `OrchestrationType.allCases` lists them.
    public let types: [OrchestrationType]
    /// The system message.
    public let instructions: String
    /// How many requests' answers are remembered; none when 0.
    public let cacheCapacity: Int
    private let cache: Mutex<SelectionCache>

    /// Creates a selector.
    ///
    /// - Parameters:
    ///   - model: The model to ask.
    ///   - fallback: Chooses when the model's answer cannot be used; the default ladder by default.
    ///   - minimumConfidence: The least confidence, from 0 to 1, at which the model's answer is used.
    ///   - types: The types the model may choose; all but `fixed` by default.
    ///   - tools: The application's tools, named in the instructions so that the model knows what can be done.
    ///   - instructions: The system message; by default ``instructions(types:tools:)``.
    ///   - cacheCapacity: How many requests' answers to remember; 0, the default, remembers none.
    public init(
        model: any ChatModel, fallback: any OrchestrationSelector = RuleBasedSelector(),
        minimumConfidence: Double = 0.6, types: Set<OrchestrationType> = [.simple, .planner, .reactive],
        tools: ToolRegistry = ToolRegistry(), instructions: String? = nil, cacheCapacity: Int = 0
    ) {
        let types = OrchestrationType.allCases.filter(types.contains)
        self.model = model
        self.fallback = fallback
        self.minimumConfidence = minimumConfidence
        self.types = types
        self.instructions = instructions ?? Self.instructions(types: types, tools: tools)
        self.cacheCapacity = max(cacheCapacity, 0)
        cache = Mutex(SelectionCache(capacity: cacheCapacity))
    }

    /// The schema the answer must satisfy: `orchestrationType`, one of ``types``; `confidence`, from 0 to 1;
    /// `reason`, a sentence.
    public var answerSchema: JSONSchema {
        var schema = JSONSchema.object(
            properties: [
                "orchestrationType": .string(oneOf: types.map(\.rawValue), description: "How to run the request"),
                "confidence": .number(minimum: 0, maximum: 1, description: "How sure you are, from 0 to 1"),
                "reason": .string(minLength: 1, description: "Why, in one sentence for a person"),
            ],
            required: ["orchestrationType", "confidence", "reason"])
        schema.title = "OrchestrationChoice"
        return schema
    }

    /// Asks the model; lets the fallback choose when the answer cannot be used.
    ///
    /// - Parameter request: What the user asked.
    /// - Returns: The model's choice, or the fallback's with the reason the model's answer was not used.
    /// - Throws: `CancellationError` when the task is cancelled; what the fallback throws.
    public func select(_ request: String) async throws -> OrchestrationChoice {
        let why: String
        switch try await ask(request) {
        case .chosen(let choice) where choice.confidence >= minimumConfidence:
            return choice
        case .chosen(let choice):
            why =
                "it chose \(choice.type) with confidence \(OrchestrationChoice.format(choice.confidence)), below "
                + "the minimum \(OrchestrationChoice.format(minimumConfidence))"
        case .unusable(let problem):
            why = problem
        }
        let fallen = try await fallback.select(request)
        return OrchestrationChoice(
            type: fallen.type, confidence: fallen.confidence,
            reason: "the model's answer was not used: \(why); the fallback chose: \(fallen.reason)",
            decidedBy: .fallback, rule: fallen.rule)
    }

    /// What asking the model gave: its choice, at whatever confidence, or why there is none.
    enum Answer: Sendable, Hashable {
        case chosen(OrchestrationChoice)
        case unusable(String)
    }

    /// Asks the model, or remembers its answer; for ``select(_:)`` and ``HybridSelector``.
    func ask(_ request: String) async throws -> Answer {
        try Task.checkCancellation()
        let key = request.trimmingCharacters(in: .whitespacesAndNewlines)
        if let remembered = cache.withLock({ $0.choice(for: key) }) { return .chosen(remembered) }
        guard !types.isEmpty else { return .unusable("no type is allowed for the model to choose") }
        let response: ChatResponse
        do {
            response = try await model.respond(
                to: ChatRequest(
                    messages: [.system(instructions), .user(request)],
                    responseFormat: .jsonSchema(name: "OrchestrationChoice", schema: answerSchema)))
        } catch let error as CancellationError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .unusable("the model failed: \(error)")
        }
        let answer = read(response)
        if case .chosen(let choice) = answer { cache.withLock { $0.remember(choice, for: key) } }
        return answer
    }

    /// The choice in the model's answer, or why it cannot be used.
    private func read(_ response: ChatResponse) -> Answer {
        if response.finishReason == .length { return .unusable("its answer was cut off at the token limit") }
        let text = AgentRunnable<String, String>.unfenced(response.text)
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            return .unusable(
                "its answer is not JSON (\(WorkflowDefinition.reason(error))): "
                    + ModelError.excerpt(response.text, limit: 200))
        }
        let violations = answerSchema.validate(json)
        guard violations.isEmpty else {
            return .unusable("its answer breaks the schema: \(violations.map(\.description).joined(separator: "; "))")
        }
        guard let type = json["orchestrationType"]?.stringValue.flatMap(OrchestrationType.init(rawValue:)),
            let confidence = json["confidence"]?.numberValue, let reason = json["reason"]?.stringValue
        else { return .unusable("its answer breaks the schema") }
        return .chosen(
            OrchestrationChoice(
                type: type, confidence: confidence,
                reason: "the model chose \(type) with confidence \(OrchestrationChoice.format(confidence)): "
                    + ModelError.excerpt(reason.trimmingCharacters(in: .whitespacesAndNewlines)),
                decidedBy: .model))
    }
}
