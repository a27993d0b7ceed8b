import Foundation
import Orchestra
import Testing

@Suite("Price tables: checked prices, and models found by name or dated name")
struct PriceTableTests {
    static func table() throws -> PriceTable {
        try PriceTable([
            ModelPrice(model: "gpt-4o", input: 2.5, output: 10),
            ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.6),
            ModelPrice(model: "claude", input: 3, output: 15),
        ])
    }

    @Test("an exact name wins, then the longest entry the name starts with before a '-'")
    func lookup() throws {
        let prices = try Self.table()
        #expect(prices.price(for: "gpt-4o")?.model == "gpt-4o")
        #expect(prices.price(for: "gpt-4o-mini")?.model == "gpt-4o-mini")
        #expect(prices.price(for: "gpt-4o-mini-2024-07-18")?.model == "gpt-4o-mini")
        #expect(prices.price(for: "gpt-4o-2024-08-06")?.model == "gpt-4o")
        // A prefix that does not end at a '-' is another model.
        #expect(prices.price(for: "gpt-4omni") == nil)
        #expect(prices.price(for: "claudette") == nil)
        #expect(prices.price(for: "gpt-4") == nil)
        #expect(prices.price(for: "") == nil)
    }

    @Test("a cost is exact: tokens × price per million, in Decimal")
    func exactCost() throws {
        let mini = try #require(try Self.table().price(for: "gpt-4o-mini-2024-07-18"))
        let cost = mini.cost(of: TokenUsage(promptTokens: 1234, completionTokens: 567))
        // 1234 × 0.15 / 1e6 + 567 × 0.6 / 1e6 = 0.0001851 + 0.0003402
        #expect(cost == Decimal(string: "0.0005253"))
    }

    @Test(
        "bad prices are refused with a typed error naming the model",
        arguments: [
            ([ModelPrice(model: "m", input: -1, output: 1)], MetricsError.Code.negativePrice, "m"),
            ([ModelPrice(model: "m", input: 1, output: -0.5)], .negativePrice, "m"),
            ([ModelPrice(model: "m", input: .nan, output: 1)], .invalidPrice, "m"),
            ([ModelPrice(model: "", input: 1, output: 1)], .emptyModelName, nil),
            (
                [ModelPrice(model: "a", input: 1, output: 1), ModelPrice(model: "a", input: 2, output: 2)],
                .duplicateModel, "a"
            ),
        ] as [([ModelPrice], MetricsError.Code, String?)])
    func badTables(prices: [ModelPrice], code: MetricsError.Code, model: String?) {
        let error = #expect(throws: MetricsError.self) { try PriceTable(prices) }
        #expect(error?.code == code)
        #expect(error?.model == model)
        if let model { #expect(error?.message.contains("'\(model)'") == true) }
    }

    @Test("a table reads back from JSON, checked again, so a bad file is refused too")
    func codable() throws {
        let prices = try Self.table()
        let data = try JSONEncoder().encode(prices)
        #expect(try JSONDecoder().decode(PriceTable.self, from: data) == prices)
        let bad = Data(#"[{"model":"x","input":-2,"output":1}]"#.utf8)
        let error = #expect(throws: DecodingError.self) { try JSONDecoder().decode(PriceTable.self, from: bad) }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect((context.underlyingError as? MetricsError)?.code == .negativePrice)
    }

    @Test("a shorter entry prices dated names of its model only, never another model that extends its name")
    func prefixIsAModelNotAFamily() throws {
        let prices = try PriceTable([
            ModelPrice(model: "gpt-4o", input: 2.5, output: 10),
            ModelPrice(model: "claude-3-5-sonnet", input: 3, output: 15),
        ])
        #expect(prices.price(for: "gpt-4o-2024-08-06")?.model == "gpt-4o")
        #expect(prices.price(for: "claude-3-5-sonnet-20241022")?.model == "claude-3-5-sonnet")
        #expect(prices.price(for: "claude-3-5-sonnet-latest")?.model == "claude-3-5-sonnet")
        // Other models whose names start with an entry's: not priced at gpt-4o's rates.
        #expect(prices.price(for: "gpt-4o-mini-2024-07-18") == nil)
        #expect(prices.price(for: "gpt-4o-mini") == nil)
        #expect(prices.price(for: "gpt-4o-realtime-preview-2024-10-01") == nil)
    }
}
