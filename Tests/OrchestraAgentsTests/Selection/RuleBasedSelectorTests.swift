import Foundation
import OrchestraAgents
import Testing

@Suite("Rule-based selector")
struct RuleBasedSelectorTests {
    /// Tools whose names a request may mention; a registry that cannot be made fails the test that asks for it.
    static func tools(_ names: [String] = ["web_search", "get_weather", "database_query"]) throws -> ToolRegistry {
        try ToolRegistry(
            names.map { name in
                FunctionTool(
                    name: name, description: "The \(name) tool",
                    parameters: .object(properties: [:], additionalProperties: nil)
                ) { _ in .null }
            })
    }

    @Test(
        "the default ladder: short questions and chat are simple, tool and multi-step work is planner, adapting is reactive",
        arguments: [
            ("What is the capital of France?", OrchestrationType.simple, true),
            ("Hi there!", .simple, true),
            ("Thanks, that was really helpful.", .simple, true),
            ("Tell me a joke about cats.", .simple, true),
            ("Translate \"good morning\" into Korean.", .simple, true),
            (
                "Explain in detail how TCP congestion control works, including slow start, congestion avoidance, "
                    + "fast retransmit and fast recovery, and compare it with BBR.", .simple, true
            ),
            // Words of failure, monitoring and tools in a question are its topic, not an instruction.
            ("What should I do if my deploy fails?", .simple, true),
            ("What's the best monitor for gaming?", .simple, true),
            ("How do I search a sorted array efficiently?", .simple, true),
            ("What is a SQL query?", .simple, true),
            ("Draft an email to my landlord about the broken heater.", .simple, true),
            ("", .simple, true),
            ("Search the web for recent papers on protein folding and summarize them.", .planner, true),
            (
                "First fetch the sales data, then compute the totals, and after that send a report to the team.",
                .planner, true
            ),
            ("1. Download the logs\n2. Find the errors\n3. Send a summary to ops", .planner, true),
            ("Is it going to rain in Paris tomorrow? Please look it up.", .planner, true),
            ("Can you look up the opening hours of the Louvre?", .planner, true),
            ("Research the market for electric bikes in Germany and write a report with sources.", .planner, true),
            ("What's the weather in Paris?", .planner, true),  // names the get_weather tool
            ("Query the database for last month's orders and chart them by region.", .planner, true),
            ("Summarize the attached report, then list three action items.", .planner, false),
            ("Monitor the deployment and if it fails, roll back and try again until it is healthy.", .reactive, true),
            ("Keep trying to download the dataset until it succeeds, then email me the checksum.", .reactive, true),
            ("Watch the build; if the tests break, fix them and rerun.", .reactive, false),
            ("Depending on the test results, either merge the branch or open an issue.", .reactive, false),
            // One adaptation word in a writing task misleads the ladder, but it knows it is unsure.
            ("Write a Python function that retries a request until it succeeds.", .reactive, false),
        ])
    func ladder(request: String, type: OrchestrationType, sure: Bool) throws {
        let choice = RuleBasedSelector(tools: try Self.tools()).choice(for: request)
        #expect(choice.type == type, "\(choice)")
        #expect((choice.confidence >= 0.7) == sure, "\(choice)")
        #expect(choice.decidedBy == .rules)
        #expect(choice.rule == nil)
    }

    @Test("the analysis shows what the ladder read, and the reason says it")
    func analysis() throws {
        let selector = RuleBasedSelector(tools: try Self.tools())
        let request = "First fetch the sales data, then compute the totals, and after that send a report to the team."
        let analysis = selector.analyze(request)
        #expect(analysis.words == 18)
        #expect(analysis.clauses == 3)
        #expect(analysis.questions == 0)
        #expect(analysis.steps == ["first", "then", "after that"])
        #expect(analysis.actions == ["fetch", "compute", "send"])
        #expect(analysis.tools == [])
        #expect(analysis.needsTools)
        #expect(analysis.intent == .command)
        #expect(analysis.complexity == 0.41)  // 0.3 × 18/100 + 0.15 × 2/5 + 0.3 × 3/3
        #expect(
            selector.choice(for: request).reason
                == "no rule matched; the default ladder scores planner 0.70, simple 0.12, reactive 0.00 for a command "
                + "of 18 words, complexity 0.41, needing tools (fetch, compute, send), with steps (first, then, after "
                + "that)")

        let reactive = selector.analyze(
            "Monitor the deployment and if it fails, roll back and try again until it is healthy.")
        #expect(reactive.conditions == ["if", "until"])
        #expect(reactive.adaptations == ["monitor", "if it fails", "try again", "until"])
        #expect(reactive.needsTools == false)
        #expect(selector.analyze("What's the weather in Paris?").tools == ["get_weather"])
    }

    @Test("complexity: each feature's part, capped, and all of them at most 1")
    func complexity() {
        let selector = RuleBasedSelector()
        #expect(selector.analyze(String(repeating: "word ", count: 150)).complexity == 0.3)
        #expect(selector.analyze(String(repeating: "word ", count: 50)).complexity == 0.15)
        // 0.3 × 4/100 + 0.15 × 3/5 + 0.1 × 1, to two decimals
        #expect(selector.analyze("Why? How? What? Where?").complexity == 0.2)
        // 0.3 × 7/100 + 0.15 × 2/5 + 0.3 × 1/3 + 0.15 × 2/2, to two decimals
        #expect(selector.analyze("If so, and unless not, then go").complexity == 0.33)
        let everything =
            String(repeating: "word ", count: 100)
            + "; first a, then b, and then c, after that d, if e, unless f? why? how? where?"
        #expect(selector.analyze(everything).complexity == 1)
    }

    @Test(
        "intent: small talk that starts the request, polite requests, questions, and commands",
        arguments: [
            ("Hi!", RequestAnalysis.Intent.conversation),
            ("Good morning, how are you?", .conversation),
            ("Hello, search for cheap flights to Rome please.", .command),
            ("Translate \"thank you\" into French.", .command),
            ("Could you summarize this for me?", .command),
            ("Why is the sky blue?", .question),
            ("how does TLS work", .question),
            ("Summarize this article.", .command),
        ])
    func intent(request: String, intent: RequestAnalysis.Intent) {
        #expect(RuleBasedSelector().analyze(request).intent == intent)
    }

    @Test("keywords match whole words and phrases, case, diacritics and punctuation between words aside")
    func keywords() throws {
        let selector = try RuleBasedSelector(rules: [
            SelectionRule(name: "cv", type: .fixed, keywords: ["résumé", "look up", "search"])
        ])
        #expect(selector.analyze("Please review my RESUME").matches.map(\.keywords) == [["résumé"]])
        #expect(
            selector.analyze("Look-up the address, then SEARCH!").matches.map(\.keywords) == [["look up", "search"]])
        #expect(selector.analyze("I did some research").matches.isEmpty)
        #expect(selector.analyze("look the word up").matches.isEmpty)
        let choice = selector.choice(for: "search it")
        #expect(choice.type == .fixed)
        #expect(choice.rule == "cv")
        #expect(choice.confidence == 0.9)
        #expect(choice.reason == "rule 'cv' (priority 0) matched \"search\"")
    }

    @Test("a rule's complexity range, need for tools and intent must all hold as well")
    func ruleConditions() throws {
        let rules = [
            SelectionRule(name: "weather", type: .simple, keywords: ["weather"], needsTools: false),
            SelectionRule(name: "report", type: .planner, keywords: ["report"], complexity: 0.3...1),
            SelectionRule(name: "incident", type: .reactive, keywords: ["incident"], intent: .command),
        ]
        let plain = try RuleBasedSelector(rules: rules)
        let tooled = try RuleBasedSelector(rules: rules, tools: try Self.tools())
        #expect(plain.choice(for: "What's the weather like?").rule == "weather")
        #expect(tooled.choice(for: "What's the weather like?").rule == nil)  // it names get_weather: needs tools
        #expect(plain.choice(for: "Write a report.").rule == nil)
        #expect(
            plain.choice(for: "First gather the numbers, then write a report, and after that share it.").rule
                == "report")
        #expect(plain.choice(for: "Open an incident for the outage.").rule == "incident")
        #expect(plain.choice(for: "Is there an incident?").rule == nil)
    }

    @Test("the highest priority chooses, then the first written; a rival of the same priority lowers the confidence")
    func ties() throws {
        let selector = try RuleBasedSelector(rules: [
            SelectionRule(name: "low", type: .planner, keywords: ["report"], priority: 1),
            SelectionRule(name: "first", type: .simple, keywords: ["report"], priority: 5),
            SelectionRule(name: "rival", type: .reactive, keywords: ["report"], priority: 5),
            SelectionRule(name: "ally", type: .simple, keywords: ["report"], priority: 5),
        ])
        #expect(selector.analyze("a report").matches.map(\.name) == ["first", "rival", "ally", "low"])
        let choice = selector.choice(for: "a report")
        #expect(choice.rule == "first")
        #expect(choice.type == .simple)
        #expect(choice.confidence == 0.9 * 0.75)
        #expect(
            choice.reason
                == "rule 'first' (priority 5) matched \"report\"; rule 'rival', of the same priority and written "
                + "later, chose reactive, so it is less certain")

        let agreeing = try RuleBasedSelector(rules: [
            SelectionRule(name: "a", type: .simple, keywords: ["report"], priority: 5),
            SelectionRule(name: "b", type: .simple, keywords: ["report"], priority: 5),
            SelectionRule(name: "c", type: .reactive, keywords: ["report"], priority: 4),
        ])
        #expect(agreeing.choice(for: "a report").confidence == 0.9)
    }

    @Test("a registered tool is mentioned by all the words of its name, bar a leading generic verb")
    func toolMentions() async throws {
        let selector = RuleBasedSelector(tools: try Self.tools(["web_search", "getWeather", "search", "list_files"]))
        #expect(selector.analyze("Use a web search for it").tools == ["web_search", "search"])
        #expect(selector.analyze("How's the weather?").tools == ["getWeather"])
        #expect(selector.analyze("Which files are there?").tools == ["list_files"])
        #expect(selector.analyze("My research on the web").tools == [])
        let choice = try await selector.select("How's the weather?")
        #expect(choice.type == .planner)
    }
}
