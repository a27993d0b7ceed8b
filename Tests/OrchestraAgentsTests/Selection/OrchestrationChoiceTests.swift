import Foundation
import OrchestraAgents
import Testing

@Suite("A choice's confidence, as text")
struct OrchestrationChoiceTests {
    @Test("two decimals, a sign when below zero")
    func twoDecimals() {
        var choice = OrchestrationChoice(type: .planner, confidence: 0.7, reason: "r", decidedBy: .rules)
        #expect(choice.description.hasPrefix("planner (0.70, "))
        choice.confidence = 0.05
        #expect(choice.description.hasPrefix("planner (0.05, "))
        // `confidence` is a public var: set after init, it is not clamped, and shows as it is.
        choice.confidence = -0.5
        #expect(choice.description.hasPrefix("planner (-0.50, "))
    }

    @Test(
        "a confidence no Int holds, set after init, is written rather than trapped on",
        arguments: [Double.nan, .infinity, -.infinity, 1e300])
    func unrepresentable(_ value: Double) {
        var choice = OrchestrationChoice(type: .simple, confidence: 1, reason: "r", decidedBy: .rules)
        choice.confidence = value
        #expect(choice.description.hasPrefix("simple (\(value), "))
        #expect(choice.decision?.details["confidence"] == "\(value)")
    }
}
