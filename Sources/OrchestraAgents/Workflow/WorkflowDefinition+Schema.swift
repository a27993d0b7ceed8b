extension WorkflowDefinition {
    /// The JSON Schema of the definition format, as in `Docs/Schemas/FixedWorkflow.schema.json`: for editors
    /// and for models that write workflows. Reading a definition checks more than the schema can say — ids,
    /// dependencies, cycles, references, tools, and that a condition has exactly one test.
    public static var schema: JSONSchema {
        var schema = JSONSchema.object(
            properties: [
                "name": .string(minLength: 1, description: "The workflow's name"),
                "version": .string(minLength: 1, description: "The workflow's version, as 1.0.0"),
                "description": .string(description: "What the workflow does, for people"),
                "steps": .array(
                    of: .reference(to: "Step"), minItems: 1,
                    description: "The top-level steps; a step starts once the steps it depends on have completed"),
                "output": .string(
                    description: "What the workflow returns, as a template such as ${report.output}; by default the "
                        + "last top-level step's output"),
            ],
            required: ["name", "version", "steps"])
        schema.title = "FixedWorkflow"
        schema.definitions = [
            "Step": anyOf(
                WorkflowStep.Kind.names.map { .reference(to: "\($0.prefix(1).uppercased() + $0.dropFirst())Step") }),
            "LlmStep": step(
                "llm", "Asks a model",
                [
                    "prompt": .string(description: "The prompt, a template"),
                    "instructions": .string(description: "The system message"),
                    "output_schema": JSONSchema(description: "The JSON Schema the answer must have"),
                ], required: ["prompt"]),
            "ToolStep": step(
                "tool", "Calls a registered tool",
                [
                    "tool": .string(minLength: 1, description: "The tool's name"),
                    "input": JSONSchema(description: "The tool's arguments; strings in it are templates"),
                ], required: ["tool"]),
            "BranchStep": step(
                "branch", "Runs 'then' when the condition holds, 'else' otherwise",
                [
                    "condition": .reference(to: "Condition"),
                    "then": steps("Run when the condition holds", minItems: 1),
                    "else": steps("Run when it does not"),
                ], required: ["condition", "then"]),
            "ParallelStep": step(
                "parallel", "Runs its steps concurrently, as their own depends_on allow",
                ["steps": steps("The steps", minItems: 1)], required: ["steps"]),
            "LoopStep": step(
                "loop", "Runs its steps again until the condition holds",
                [
                    "steps": steps("The steps of one iteration", minItems: 1), "until": .reference(to: "Condition"),
                    "max_iterations": .integer(minimum: 1, description: "The most iterations"),
                ], required: ["steps", "max_iterations"]),
            "InputStep": step(
                "input", "Waits for a person's answer", ["prompt": .string(description: "The question, a template")],
                required: ["prompt"]),
            "Condition": .object(
                properties: [
                    "value": .string(description: "The value tested, a template such as ${check.output.score}"),
                    "equals": JSONSchema(description: "Holds when the value equals this"),
                    "not_equals": JSONSchema(description: "Holds when the value does not equal this"),
                    "greater_than": .number(description: "Holds when the value is a greater number"),
                    "less_than": .number(description: "Holds when the value is a smaller number"),
                    "contains": .string(description: "Holds when the value is a string or array that contains this"),
                    "exists": .boolean(
                        description: "Holds when the value is there and not null (true), or not (false)"),
                ], required: ["value"],
                description: "A test on a value: 'value' and exactly one of the tests"),
            "Retry": .object(
                properties: [
                    "max_attempts": .integer(minimum: 1, description: "The most attempts, the first included"),
                    "initial_delay": .number(
                        minimum: 0,
                        description:
                            "The most seconds before the second attempt (a random wait up to it); doubles per attempt"),
                ], required: ["max_attempts"]),
        ]
        return schema
    }

    private static func step(_ kind: String, _ summary: String, _ members: [String: JSONSchema], required: [String])
        -> JSONSchema
    {
        var kindSchema = JSONSchema()
        kindSchema.constant = .string(kind)
        let common: [String: JSONSchema] = [
            "id": .string(minLength: 1, description: "Unique in the workflow: letters, digits, _ and -"),
            "kind": kindSchema,
            "depends_on": .array(of: .string(), description: "Steps of the same level that must complete first"),
            "retry": .reference(to: "Retry"),
            "timeout": .number(description: "Seconds one attempt may run"),
        ]
        return .object(
            properties: common.merging(members) { first, _ in first }, required: ["id", "kind"] + required,
            description: summary)
    }

    private static func steps(_ description: String, minItems: Int? = nil) -> JSONSchema {
        .array(of: .reference(to: "Step"), minItems: minItems, description: description)
    }

    private static func anyOf(_ schemas: [JSONSchema]) -> JSONSchema {
        var schema = JSONSchema()
        schema.anyOf = schemas
        return schema
    }
}

extension JSONSchema {
    /// A schema that allows any value, described.
    fileprivate init(description: String) {
        self.init()
        self.description = description
    }
}
