extension AgentPlan {
    /// The schema of a plan, for a model to answer with: `llm` steps, and a `tool` step for each tool, whose
    /// `input` has the tool's parameters — so that a server that enforces schemas can only produce plans that
    /// call registered tools with arguments of the right shape.
    ///
    /// Without tools, the fixed part of the format, as in `Docs/Schemas/AgentPlan.schema.json`: a `tool` step
    /// names any tool and takes any object. A tool whose parameters use `$ref` is given that fixed part too,
    /// since its definitions would not resolve inside the plan's schema.
    ///
    /// With `ids`, the schema also names the ids steps may take and depend on — the Planner offers `step1`,
    /// `step2`, … — which a server that enforces schemas turns into a grammar, so that even a small model cannot
    /// write an id that is not one, or depend on a step that is not there; prompts and ids stay short too.
    ///
    /// - Parameters:
    ///   - tools: The tools steps may call; `nil` for the fixed part.
    ///   - maxSteps: The most steps; unbounded when `nil`.
    ///   - ids: The ids steps may take; any id when `nil`.
    ///   - completed: The ids of steps that have already run, which steps may also depend on.
    /// - Returns: The schema.
    public static func schema(
        tools: ToolRegistry? = nil, maxSteps: Int? = nil, ids: [String]? = nil, completed: [String] = []
    ) -> JSONSchema {
        let common: [String: JSONSchema] =
            if let ids {
                [
                    "id": .string(oneOf: ids, description: "The step's id"),
                    "depends_on": .array(
                        of: .string(oneOf: completed + ids), maxItems: completed.count + ids.count,
                        description: "The steps whose outputs this one uses, which must complete first"),
                ]
            } else {
                [
                    "id": .string(minLength: 1, description: "Unique in the plan: letters, digits, _ and -"),
                    "depends_on": .array(
                        of: .string(), description: "The steps whose outputs this one uses, which must complete first"),
                ]
            }
        let promptLength = ids == nil ? nil : 400
        func step(_ kind: String, _ summary: String, _ members: [String: JSONSchema], required: [String])
            -> JSONSchema
        {
            Self.step(kind, summary, common.merging(members) { _, own in own }, required: required)
        }
        let toolSteps: [JSONSchema] =
            if let tools {
                tools.tools.map { tool in
                    let fixed = tool.parameters.definitions == nil && !Self.refers(tool.parameters)
                    var name = JSONSchema()
                    name.constant = .string(tool.name)
                    name.description = tool.description
                    return step(
                        "tool", "Calls \(tool.name)",
                        ["tool": name, "input": fixed ? referable(tool.parameters) : anyObject],
                        required: ["tool", "input"])
                }
            } else {
                [
                    step(
                        "tool", "Calls a registered tool",
                        [
                            "tool": .string(minLength: 1, description: "The tool's name"),
                            "input": anyObject,
                        ], required: ["tool", "input"])
                ]
            }
        let llm = step(
            "llm", "Asks a model",
            [
                "prompt": .string(
                    minLength: 1, maxLength: promptLength,
                    description: "The prompt; ${id.output} puts in the output of a step it depends on")
            ],
            required: ["prompt"])
        var item = JSONSchema()
        item.anyOf = [llm] + toolSteps
        var schema = JSONSchema.object(
            properties: [
                "steps": .array(
                    of: item, minItems: 1, maxItems: maxSteps,
                    description: "The steps; a step starts once the steps it depends on have completed")
            ],
            required: ["steps"])
        schema.title = "AgentPlan"
        return schema
    }

    private static var anyObject: JSONSchema {
        .object(
            properties: [:], additionalProperties: nil,
            description: "The tool's arguments; a string that is ${step.output} stands for that output")
    }

    private static func step(_ kind: String, _ summary: String, _ members: [String: JSONSchema], required: [String])
        -> JSONSchema
    {
        var kindSchema = JSONSchema()
        kindSchema.constant = .string(kind)
        return .object(
            properties: members.merging(["kind": kindSchema]) { _, kind in kind },
            required: ["id", "kind"] + required, description: summary)
    }

    /// A tool's parameters with each argument that is not a string also allowed to be a string: a reference to an
    /// earlier step's output, as `"${step1.output.rows}"` for an array, which the step's run replaces by the value.
    private static func referable(_ parameters: JSONSchema) -> JSONSchema {
        guard let properties = parameters.properties else { return parameters }
        var referable = parameters
        var reference = JSONSchema.string(description: "An earlier step's output, as ${step1.output}")
        reference.minLength = 4
        referable.properties = properties.mapValues { property in
            guard property.types != [.string] || property.allowedValues != nil || property.constant != nil else {
                return property
            }
            var either = JSONSchema()
            either.anyOf = [property, reference]
            either.description = property.description
            return either
        }
        return referable
    }

    /// Whether a schema uses `$ref` anywhere.
    private static func refers(_ schema: JSONSchema) -> Bool {
        if schema.reference != nil { return true }
        let children =
            Array((schema.properties ?? [:]).values) + (schema.items.map { [$0] } ?? []) + (schema.anyOf ?? [])
        if case .schema(let additional)? = schema.additionalProperties, refers(additional) { return true }
        return children.contains(where: refers)
    }
}
