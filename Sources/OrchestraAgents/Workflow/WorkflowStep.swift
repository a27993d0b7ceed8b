/// One step of a ``WorkflowDefinition``: what it does (its ``Kind``), the steps it waits for, and its policies.
public struct WorkflowStep: Sendable, Hashable {
    /// The step's id, unique in the whole definition; references name it, as in `${analyze.output}`.
    public var id: String
    /// What the step does.
    public var kind: Kind
    /// The ids of the steps, at the same level, that must complete before this one starts.
    public var dependsOn: [String]
    /// How often the step is tried again when it fails; once when `nil`.
    public var retry: Retry?
    /// How long one attempt may run; no limit when `nil`.
    public var timeout: Duration?

    /// What a step does.
    public enum Kind: Sendable, Hashable {
        /// Asks a model: the prompt, optional instructions, and optionally the schema its answer must have.
        case llm(prompt: WorkflowTemplate, instructions: String?, outputSchema: JSONSchema?)
        /// Calls a tool with `input`, in whose strings references are replaced.
        case tool(name: String, input: JSONValue)
        /// Runs `then` when the condition holds, `else` otherwise.
        case branch(condition: WorkflowCondition, then: [WorkflowStep], else: [WorkflowStep])
        /// Runs its steps concurrently (as their own `depends_on` allow).
        case parallel([WorkflowStep])
        /// Runs its steps again until the condition holds, at most `maxIterations` times.
        case loop(steps: [WorkflowStep], until: WorkflowCondition?, maxIterations: Int)
        /// Waits for a person's answer to `prompt`.
        case input(prompt: WorkflowTemplate)

        /// The kind's name, as in JSON: `llm`, `tool`, `branch`, `parallel`, `loop` or `input`.
        public var name: String {
            switch self {
            case .llm: "llm"
            case .tool: "tool"
            case .branch: "branch"
            case .parallel: "parallel"
            case .loop: "loop"
            case .input: "input"
            }
        }

        /// Every kind's name.
        public static let names = ["llm", "tool", "branch", "parallel", "loop", "input"]

        /// Whether this is a loop.
        var isLoop: Bool {
            if case .loop = self { return true }
            return false
        }

        /// The steps inside this one, with the name of the member that holds them.
        var children: [(member: String, steps: [WorkflowStep])] {
            switch self {
            case .branch(_, let then, let otherwise): [("then", then), ("else", otherwise)]
            case .parallel(let steps): [("steps", steps)]
            case .loop(let steps, _, _): [("steps", steps)]
            case .llm, .tool, .input: []
            }
        }
    }

    /// How a failed step is tried again.
    public struct Retry: Sendable, Hashable {
        /// The most attempts, the first included; at least 1.
        public var maxAttempts: Int
        /// The most the wait before the second attempt may be — the wait is a random time up to it, as
        /// ``RetryPolicy``'s full jitter does — doubling after each attempt, to at most 30 seconds.
        public var initialDelay: Duration

        /// Creates a retry setting.
        public init(maxAttempts: Int, initialDelay: Duration = .milliseconds(500)) {
            self.maxAttempts = maxAttempts
            self.initialDelay = initialDelay
        }
    }

    /// Creates a step.
    public init(id: String, kind: Kind, dependsOn: [String] = [], retry: Retry? = nil, timeout: Duration? = nil) {
        self.id = id
        self.kind = kind
        self.dependsOn = dependsOn
        self.retry = retry
        self.timeout = timeout
    }
}

/// A test on a value, for `branch` and `loop` steps: `{"value": "${check.output.score}", "greater_than": 0.8}`.
public struct WorkflowCondition: Sendable, Hashable {
    /// The value tested: a template, usually one reference.
    public var value: WorkflowTemplate
    /// The test.
    public var test: Test

    /// What a condition checks.
    public enum Test: Sendable, Hashable {
        /// The value equals this JSON value.
        case equals(JSONValue)
        /// The value does not equal this JSON value.
        case notEquals(JSONValue)
        /// The value is a number greater than this.
        case greaterThan(Double)
        /// The value is a number less than this.
        case lessThan(Double)
        /// The value is a string that contains this, or an array with an element equal to it.
        case contains(String)
        /// The value is there and not `null` (`true`), or missing or `null` (`false`).
        case exists(Bool)

        /// The operators' names, as in JSON.
        static let names = ["equals", "not_equals", "greater_than", "less_than", "contains", "exists"]
    }

    /// Creates a condition.
    public init(value: WorkflowTemplate, test: Test) {
        self.value = value
        self.test = test
    }
}
