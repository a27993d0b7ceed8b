import Foundation
import OrchestraAgents
import Testing

@Suite("JSON Schema")
struct JSONSchemaTests {
    static let plan = JSONSchema.object(
        properties: [
            "steps": .array(
                of: .object(
                    properties: [
                        "id": .string(minLength: 1),
                        "tool": .string(oneOf: ["search", "fetch"]),
                        "budget": .integer(minimum: 1, maximum: 10),
                    ],
                    required: ["id", "tool"]),
                minItems: 1, maxItems: 3)
        ],
        required: ["steps"])

    @Test("a valid value has no violations")
    func valid() {
        #expect(Self.plan.validate(["steps": [["id": "s1", "tool": "search", "budget": 2]]]).isEmpty)
    }

    @Test("every violation is reported, each with its JSON path")
    func everyViolation() {
        let value: JSONValue = [
            "steps": [
                ["id": "s1", "tool": "search"],
                ["id": "", "tool": "srch", "budget": 11, "extra": true],
                ["tool": "fetch", "budget": 2.5],
            ],
            "more": 1,
        ]
        #expect(
            Self.plan.validate(value).map(\.description) == [
                "$.more: is not allowed here: the schema has no property 'more'",
                #"$.steps[1].budget: 11 is more than the maximum 10.0"#,
                "$.steps[1].extra: is not allowed here: the schema has no property 'extra'",
                #"$.steps[1].id: "" has 0 characters, fewer than 1"#,
                #"$.steps[1].tool: "srch" is not one of "search", "fetch""#,
                "$.steps[2]: is missing the required member 'id'",
                #"$.steps[2].budget: expected integer, found number 2.5"#,
            ])
    }

    @Test("array bounds, types, const and anyOf")
    func otherKeywords() {
        #expect(Self.plan.validate(["steps": []]).map(\.description) == ["$.steps: has 0 elements, fewer than 1"])
        #expect(Self.plan.validate("steps").map(\.description) == [#"$: expected object, found string "steps""#])
        var version = JSONSchema()
        version.constant = 2
        #expect(version.validate(3).map(\.description) == ["$: 3 is not 2"])
        var either = JSONSchema()
        either.anyOf = [.string(), .integer(minimum: 0)]
        #expect(either.accepts("x") && either.accepts(4))
        #expect(
            either.validate(-1).map(\.description) == [
                "$: matches none of the 2 schemas of anyOf ($: expected string, found integer -1; "
                    + "$: -1 is less than the minimum 0.0)"
            ])
    }

    @Test("$ref resolves in $defs, recursively, and a reference that names nothing or loops is reported")
    func references() throws {
        let text = #"""
            {"$defs": {"node": {"type": "object", "properties": {"name": {"type": "string"},
              "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["name"]},
              "loop": {"$ref": "#/$defs/loop"}},
             "$ref": "#/$defs/node"}
            """#
        let tree = try JSONDecoder().decode(JSONSchema.self, from: Data(text.utf8))
        #expect(tree.accepts(["name": "a", "children": [["name": "b", "children": []]]]))
        #expect(
            tree.validate(["name": "a", "children": [["children": []]]]).map(\.description) == [
                "$.children[0]: is missing the required member 'name'"
            ])
        var dangling = tree
        dangling.reference = "#/$defs/nothing"
        #expect(
            dangling.validate([:]).map(\.message) == [
                "the schema's $ref '#/$defs/nothing' does not name one of its $defs"
            ])
        var looping = tree
        looping.reference = "#/$defs/loop"
        #expect(
            looping.validate(1).map(\.message) == [
                "the schema's $ref '#/$defs/loop' refers back to itself without a value to check"
            ])
    }

    @Test("decodes and encodes schema documents, type lists and additionalProperties included")
    func codable() throws {
        let text = #"""
            {"type": ["string", "null"], "description": "a name", "maxLength": 5,
             "additionalProperties": {"type": "integer"}, "enum": ["ab", null], "format": "uri"}
            """#
        let schema = try JSONDecoder().decode(JSONSchema.self, from: Data(text.utf8))
        #expect(schema.types == [.string, .null])
        #expect(schema.additionalProperties == .schema(.integer()))
        #expect(schema.accepts(nil) && schema.accepts("ab"))
        #expect(!schema.accepts("abc"))
        let again = try JSONDecoder().decode(JSONSchema.self, from: JSONEncoder().encode(schema))
        #expect(again == schema)
        let closed = try JSONDecoder().decode(JSONSchema.self, from: Data(#"{"additionalProperties": false}"#.utf8))
        #expect(closed.additionalProperties == .forbidden)
    }

    @Test("a keyword the validator would not check is refused when decoding, with its path")
    func unsupportedKeyword() {
        let text = #"{"type": "object", "properties": {"name": {"type": "string", "pattern": "^a"}}}"#
        #expect {
            try JSONDecoder().decode(JSONSchema.self, from: Data(text.utf8))
        } throws: { error in
            guard let unsupported = error as? JSONSchema.UnsupportedKeyword else { return false }
            return unsupported.keyword == "pattern" && unsupported.path == "$.properties.name"
        }
    }

    @Test("a schema's own problems are found wherever they are: contradicting bounds, negative counts, missing $defs")
    func problems() {
        #expect(JSONSchema.string(minLength: 2, maxLength: 5).problems.isEmpty)
        var schema = JSONSchema.object(
            properties: [
                "name": .string(minLength: 5, maxLength: 2),
                "tags": .array(of: .integer(minimum: 10, maximum: 1), minItems: -1),
                "next": .reference(to: "Missing"),
            ])
        schema.allowedValues = []
        #expect(
            schema.problems.map(\.description) == [
                "$: enum is empty: no value is allowed",
                "$.properties.name: minLength 5 is above maxLength 2",
                "$.properties.next: $ref #/$defs/Missing names no definition of this document's $defs",
                "$.properties.tags: minItems -1 is negative",
                "$.properties.tags.items: minimum 10.0 is above maximum 1.0",
            ])
    }
}
