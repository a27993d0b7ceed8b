public import Foundation

/// What one model costs: a price per million input (prompt) tokens and per million output (completion) tokens, in
/// the currency you choose — every cost in ``RunMetrics`` is in that currency.
///
/// ```swift
/// let mini = ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.60)   // US dollars per million tokens
/// ```
///
/// Prices are `Decimal`, so costs add up without the rounding of binary floating point. A ``PriceTable`` checks
/// them: a negative or NaN price, or an empty name, is refused there.
public struct ModelPrice: Sendable, Codable, Hashable {
    /// The model's name, as its provider reports it or as the start of that name: `gpt-4o-mini` also prices
    /// `gpt-4o-mini-2024-07-18` (see ``PriceTable/price(for:)``).
    public var model: String
    /// The price of a million input (prompt) tokens.
    public var input: Decimal
    /// The price of a million output (completion) tokens.
    public var output: Decimal

    /// Creates a price.
    ///
    /// - Parameters:
    ///   - model: The model's name, or the start of the names its provider reports.
    ///   - input: The price of a million input (prompt) tokens.
    ///   - output: The price of a million output (completion) tokens.
    public init(model: String, input: Decimal, output: Decimal) {
        self.model = model
        self.input = input
        self.output = output
    }

    /// What `usage` costs at this price.
    ///
    /// - Parameter usage: The tokens.
    /// - Returns: `promptTokens × input / 1,000,000 + completionTokens × output / 1,000,000`, exactly.
    public func cost(of usage: TokenUsage) -> Decimal {
        (Decimal(usage.promptTokens) * input + Decimal(usage.completionTokens) * output) / Self.perMillion
    }

    private static let perMillion = Decimal(1_000_000)

    /// The problem with this price, if it has one.
    var problem: MetricsError? {
        if model.isEmpty {
            return MetricsError(
                code: .emptyModelName,
                message: "a price names no model (its model name is empty); give the model's name")
        }
        for (side, price) in [("input", input), ("output", output)] {
            if price.isNaN {
                return MetricsError(
                    code: .invalidPrice, model: model,
                    message: "the price of model '\(model)' per million \(side) tokens is not a number")
            }
            if price < 0 {
                return MetricsError(
                    code: .negativePrice, model: model,
                    message: "the price of model '\(model)' per million \(side) tokens is \(price); prices cannot be "
                        + "negative")
            }
        }
        return nil
    }
}
