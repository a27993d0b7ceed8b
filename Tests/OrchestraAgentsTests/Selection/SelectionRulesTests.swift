import Foundation
import OrchestraAgents
import Testing

@Suite("Selection rules")
struct SelectionRulesTests {
    static let sampleFile = WorkflowDefinitionTests.root.appendingPathComponent("Examples/Selection/rules.json")

    @Test(
        "the sample rules file reads, is valid against its schema, and its rules choose as written",
        arguments: [
            ("Please run the monthly sales report for March.", OrchestrationType.fixed, "monthly-report"),
            ("We have an outage in eu-west; roll back the last deploy.", .reactive, "incident"),
            ("Hello!", .simple, "small-talk"),
            ("What is a monad?", .simple, "quick-fact"),
            (
                "Compare the battery life of the top three phones, list their prices, and cite your sources.", .planner,
                "research"
            ),
            ("What is the weather in Paris?", .planner, nil),  // names get_weather: quick-fact needs no tools
            ("Is there an incident?", .simple, nil),  // a question: incident needs a command
        ] as [(String, OrchestrationType, String?)])
    func sample(request: String, type: OrchestrationType, rule: String?) throws {
        let data = try Data(contentsOf: Self.sampleFile)
        #expect(RuleBasedSelector.schema.validate(try JSONDecoder().decode(JSONValue.self, from: data)) == [])
        let selector = try RuleBasedSelector(json: data, tools: try RuleBasedSelectorTests.tools())
        #expect(selector.rules.map(\.name) == ["monthly-report", "incident", "small-talk", "quick-fact", "research"])
        let choice = selector.choice(for: request)
        #expect(choice.type == type, "\(choice)")
        #expect(choice.rule == rule, "\(choice)")
    }

    /// A rules file of one rule with `members` besides a name, a type and keywords.
    static func rule(_ members: String = "") -> String {
        #"{"rules": [{"name": "r", "type": "simple", "keywords": ["hi"]\#(members)}]}"#
    }

    @Test(
        "every broken rules file is refused with its exact diagnostics",
        arguments: [
            ("{", [("not JSON", "$")]),
            ("[]", [("wrong type", "$")]),
            ("{}", [("missing field", "$")]),
            (#"{"rules": {}}"#, [("wrong type", "$.rules")]),
            (#"{"rule": []}"#, [("unknown field", "$.rule"), ("missing field", "$")]),
            (#"{"rules": ["r"]}"#, [("wrong type", "$.rules[0]")]),
            (#"{"rules": [{"type": "simple", "keywords": ["hi"]}]}"#, [("missing field", "$.rules[0]")]),
            (
                #"{"rules": [{"name": "r", "type": "simple", "keyword": ["hi"]}]}"#,
                [("unknown field", "$.rules[0].keyword"), ("missing field", "$.rules[0]")]
            ),
            (#"{"rules": [{"name": 3, "type": "simple", "keywords": ["hi"]}]}"#, [("wrong type", "$.rules[0].name")]),
            (#"{"rules": [{"name": "r", "type": "agentic", "keywords": ["hi"]}]}"#, [("bad type", "$.rules[0].type")]),
            (#"{"rules": [{"name": "r", "type": 2, "keywords": ["hi"]}]}"#, [("wrong type", "$.rules[0].type")]),
            (
                #"{"rules": [{"name": "r", "type": "simple", "keywords": []}]}"#,
                [("empty keywords", "$.rules[0].keywords")]
            ),
            (
                #"{"rules": [{"name": "r", "type": "simple", "keywords": ["hi", " !! "]}]}"#,
                [("empty keywords", "$.rules[0].keywords[1]")]
            ),
            (
                #"{"rules": [{"name": "r", "type": "simple", "keywords": [3]}]}"#,
                [("wrong type", "$.rules[0].keywords[0]")]
            ),
            (
                #"{"rules": [{"name": "r", "type": "simple", "keywords": "hi"}]}"#,
                [("wrong type", "$.rules[0].keywords")]
            ),
            (#"{"rules": [{"name": "", "type": "simple", "keywords": ["hi"]}]}"#, [("bad value", "$.rules[0].name")]),
            (
                #"{"rules": [{"name": "r", "type": "simple", "keywords": ["hi"]}, {"name": "r", "type": "fixed", "keywords": ["yo"]}]}"#,
                [("duplicate name", "$.rules[1].name")]
            ),
            (rule(#", "priority": 1.5"#), [("wrong type", "$.rules[0].priority")]),
            (rule(#", "confidence": 1.5"#), [("out of range", "$.rules[0].confidence")]),
            (rule(#", "confidence": "high""#), [("wrong type", "$.rules[0].confidence")]),
            (rule(#", "complexity": {"min": -0.1}"#), [("out of range", "$.rules[0].complexity.min")]),
            (rule(#", "complexity": {"max": 2}"#), [("out of range", "$.rules[0].complexity.max")]),
            (rule(#", "complexity": {"min": 0.8, "max": 0.2}"#), [("bad value", "$.rules[0].complexity")]),
            (rule(#", "complexity": {"minimum": 0.2}"#), [("unknown field", "$.rules[0].complexity.minimum")]),
            (rule(#", "complexity": 0.5"#), [("wrong type", "$.rules[0].complexity")]),
            (rule(#", "intent": "questions""#), [("bad value", "$.rules[0].intent")]),
            (rule(#", "needs_tools": "yes""#), [("wrong type", "$.rules[0].needs_tools")]),
            (
                #"{"rules": [{"name": "a", "type": "planer", "keywords": []}, {"name": "a", "type": "simple", "keywords": ["x"], "confidence": -1, "intnt": "question"}]}"#,
                [
                    ("bad type", "$.rules[0].type"), ("empty keywords", "$.rules[0].keywords"),
                    ("unknown field", "$.rules[1].intnt"), ("duplicate name", "$.rules[1].name"),
                    ("out of range", "$.rules[1].confidence"),
                ]
            ),
        ] as [(String, [(String, String)])])
    func broken(json: String, expected: [(String, String)]) throws {
        do {
            _ = try RuleBasedSelector(json: Data(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            let found = error.diagnostics.map { "\($0.code.rawValue) at \($0.path)" }
            #expect(found == expected.map { "\($0.0) at \($0.1)" }, "\(error)")
        }
    }

    @Test("diagnostics say what to fix: the near name, the four types, the rule that has the name, the range")
    func messages() throws {
        let cases: [(String, [String])] = [
            (
                #"{"rules": [{"name": "r", "type": "simple", "keyword": ["hi"]}]}"#,
                [
                    "$.rules[0].keyword: unknown field 'keyword'; did you mean 'keywords'?",
                    "$.rules[0]: missing 'keywords': an array of strings",
                ]
            ),
            (
                #"{"rules": [{"name": "r", "type": "agentic", "keywords": ["hi", "!!"]}]}"#,
                [
                    "$.rules[0].type: 'agentic' is not an orchestration type; the types are simple, fixed, planner, "
                        + "reactive",
                    "$.rules[0].keywords[1]: the keyword '!!' has no letters or digits, so it can never match",
                ]
            ),
            (
                #"{"rules": [{"name": "a", "type": "simple", "keywords": ["x"]}, {"name": "a", "type": "simple", "keywords": []}]}"#,
                [
                    "$.rules[1].name: the name 'a' is already the name of the rule at $.rules[0]",
                    "$.rules[1].keywords: a rule needs at least one keyword",
                ]
            ),
            (
                Self.rule(#", "confidence": 1.5, "priority": 1.5, "intent": "questions""#),
                [
                    "$.rules[0].priority: 'priority' must be a whole number, not 1.5",
                    "$.rules[0].intent: 'questions' is not an intent; the intents are question, command, conversation",
                    "$.rules[0].confidence: confidence 1.5 is not within 0…1",
                ]
            ),
            (
                Self.rule(#", "complexity": {"min": 0.8, "max": 0.2}"#),
                ["$.rules[0].complexity: the complexity's min 0.8 is more than its max 0.2, so no request can match"]
            ),
            (
                Self.rule(#", "complexity": {"max": 1.5}"#),
                ["$.rules[0].complexity.max: the complexity's max 1.5 is not within 0…1"]
            ),
            (#"{"rules": [}"#, ["$: the rules are not JSON: The given data was not valid JSON."]),
        ]
        for (json, messages) in cases {
            #expect(throws: SelectionRulesError.self) { try RuleBasedSelector(json: Data(json.utf8)) }
            do {
                _ = try RuleBasedSelector(json: Data(json.utf8))
            } catch {
                #expect(error.diagnostics.map(\.description) == messages)
            }
        }
    }

    @Test("rules made in code are checked as rules read from JSON, at the paths they would have there")
    func madeInCode() {
        do {
            _ = try RuleBasedSelector(rules: [
                SelectionRule(name: "a", type: .simple, keywords: []),
                SelectionRule(name: "a", type: .fixed, keywords: ["ok", "…"], complexity: 0.5...1.5, confidence: -1),
            ])
            Issue.record("accepted")
        } catch {
            #expect(
                error.description == """
                    the selection rules have 5 problems:
                    - $.rules[0].keywords: a rule needs at least one keyword
                    - $.rules[1].name: the name 'a' is already the name of the rule at $.rules[0]
                    - $.rules[1].keywords[1]: the keyword '…' has no letters or digits, so it can never match
                    - $.rules[1].complexity.max: the complexity's max 1.5 is not within 0…1
                    - $.rules[1].confidence: confidence -1 is not within 0…1
                    """)
        }
    }

    @Test("a rule encodes as the rules format writes it, and decodes back")
    func codable() throws {
        let rules = [
            SelectionRule(
                name: "r", type: .planner, keywords: ["look up"], priority: 3, complexity: 0.2...0.9, needsTools: true,
                intent: .command, confidence: 0.7),
            SelectionRule(name: "s", type: .simple, keywords: ["hi"]),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(["rules": rules])
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"rules":[{"complexity":{"max":0.9,"min":0.2},"confidence":0.7,"intent":"command","keywords":"#
                + #"["look up"],"name":"r","needs_tools":true,"priority":3,"type":"planner"},{"confidence":0.9,"#
                + #""keywords":["hi"],"name":"s","priority":0,"type":"simple"}]}"#)
        #expect(try RuleBasedSelector(json: data).rules == rules)
        #expect(try JSONDecoder().decode([String: [SelectionRule]].self, from: data)["rules"] == rules)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                SelectionRule.self,
                from: Data(
                    #"{"name": "r", "type": "simple", "keywords": ["x"], "complexity": {"min": 1, "max": 0}}"#.utf8))
        }
    }
}
