import Foundation
import OrchestraAgents
import Testing

@Suite("JSON values")
struct JSONValueTests {
    static let plan: JSONValue = [
        "steps": [["id": "s1", "tool": "search", "budget": 3], ["id": "s2", "tool": "fetch", "budget": 2.5]],
        "done": false,
        "note": nil,
    ]

    @Test("path lookup chains through objects and arrays, and is nil where nothing is")
    func lookup() {
        #expect(Self.plan["steps"][0]["id"] == "s1")
        #expect(Self.plan["steps"][1]["budget"]?.numberValue == 2.5)
        #expect(Self.plan["steps"][0]["budget"]?.intValue == 3)
        #expect(Self.plan["steps"][1]["budget"]?.intValue == nil)
        #expect(Self.plan["steps"][2]["id"] == nil)
        #expect(Self.plan["steps"]["id"] == nil)
        #expect(Self.plan["done"]?.boolValue == false)
        #expect(Self.plan["note"]?.isNull == true)
        #expect(Self.plan["missing"] == nil)
    }

    @Test("decodes any JSON and encodes it back to the same value")
    func roundTrip() throws {
        let text = #"{"a":[1,2.5,-3e2,true,null,"x\"y\n"],"b":{"c":{}},"d":[]}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["a"][0] == 1)
        #expect(value["a"][2] == -300)
        #expect(value["a"][3] == true)
        #expect(value["a"][5] == "x\"y\n")
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(again == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(value.description.utf8)) == value)
    }

    @Test("description is compact JSON with sorted keys, whole numbers without a fraction, escapes")
    func description() {
        let value: JSONValue = ["z": 1, "a": [1.5, "tab\there", "\u{01}"], "m": nil]
        #expect(value.description == #"{"a":[1.5,"tab\there","\u0001"],"m":null,"z":1}"#)
        #expect(JSONValue.number(.nan).description == "null")
    }

    @Test("type names follow JSON Schema, with integer for whole numbers")
    func typeNames() {
        #expect(
            [JSONValue.null, true, 3, 3.5, "s", [], [:]].map(\.typeName) == [
                "null", "boolean", "integer", "number", "string", "array", "object",
            ])
    }
}
