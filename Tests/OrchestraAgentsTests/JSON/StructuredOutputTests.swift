import OrchestraAgents
import Testing

@Suite("Structured output")
struct StructuredOutputTests {
    struct ResearchPlan: StructuredOutput, Equatable {
        var queries: [String]
        var depth: Int
        static let schema = JSONSchema.object(
            properties: ["queries": .array(of: .string(minLength: 1), minItems: 1), "depth": .integer(minimum: 1)],
            required: ["queries", "depth"])
    }

    @Test("an answer that satisfies the schema decodes")
    func decodes() throws {
        let plan = try ResearchPlan.decode(fromJSON: #"{"queries": ["AI in radiology"], "depth": 2}"#)
        #expect(plan == ResearchPlan(queries: ["AI in radiology"], depth: 2))
    }

    @Test("an answer that breaks the schema fails with every violation and the answer")
    func violations() {
        let answer = #"{"queries": [], "depth": 0}"#
        #expect {
            try ResearchPlan.decode(fromJSON: answer)
        } throws: { error in
            guard let error = error as? StructuredOutputError, case .violations(let violations) = error.problem else {
                return false
            }
            return violations.map(\.description) == [
                "$.depth: 0 is less than the minimum 1.0", "$.queries: has 0 elements, fewer than 1",
            ] && error.answer == answer && error.type == "ResearchPlan"
        }
    }

    @Test("an answer that is not JSON fails as notJSON, carrying the text")
    func notJSON() {
        #expect {
            try ResearchPlan.decode(fromJSON: "Sure! Here is the plan: queries…")
        } throws: { error in
            guard let error = error as? StructuredOutputError, case .notJSON = error.problem else { return false }
            return error.answer.hasPrefix("Sure!") && error.description.contains("is not a valid ResearchPlan")
        }
    }
}
