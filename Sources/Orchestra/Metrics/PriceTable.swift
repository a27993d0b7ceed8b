/// What each model costs, as you supply it, for the costs in ``RunMetrics``.
///
/// ```swift
/// let prices = try PriceTable([
///     ModelPrice(model: "gpt-4o", input: 2.50, output: 10.00),
///     ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.60),
/// ])
/// prices.price(for: "gpt-4o-mini-2024-07-18")?.model   // "gpt-4o-mini"
/// ```
///
/// A model is found by its exact name first, then by the longest entry that its name starts with, followed by a
/// `-` and a version — digits and dashes, as in a date, or `latest`: providers report dated names
/// (`gpt-4o-mini-2024-07-18`) for the model you asked for. So `gpt-4o` prices `gpt-4o-2024-08-06` but never
/// `gpt-4o-mini-…`, which `gpt-4o-mini` prices, or nothing does.
///
/// Tokens of a model the table does not price, and tokens recorded without a model's name, are never costed as
/// free: ``RunMetrics/unpriced`` reports them.
public struct PriceTable: Sendable, Hashable, Codable {
    /// The prices, by model name.
    public private(set) var prices: [String: ModelPrice]

    /// Creates a table from prices, checking each.
    ///
    /// - Parameter prices: One price per model.
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/emptyModelName``, ``MetricsError/Code/negativePrice``,
    ///   ``MetricsError/Code/invalidPrice`` or ``MetricsError/Code/duplicateModel``, naming the model.
    public init(_ prices: [ModelPrice]) throws(MetricsError) {
        var table: [String: ModelPrice] = [:]
        for price in prices {
            if let problem = price.problem { throw problem }
            guard table.updateValue(price, forKey: price.model) == nil else {
                throw MetricsError(
                    code: .duplicateModel, model: price.model,
                    message: "model '\(price.model)' has two prices; give each model one")
            }
        }
        self.prices = table
    }

    /// The price of the model named `model`: the entry of that name, else the longest entry that `model` starts
    /// with followed by `-` and a version (digits and dashes, or `latest`).
    ///
    /// - Parameter model: The model's name, as its provider reported it.
    /// - Returns: The price, or `nil` when the table has none for the model.
    public func price(for model: String) -> ModelPrice? {
        if let exact = prices[model] { return exact }
        var best: ModelPrice?
        for (name, price) in prices where model.hasPrefix(name) && name.count > (best?.model.count ?? 0) {
            let rest = model.dropFirst(name.count)
            if rest.first == "-", Self.isVersion(rest.dropFirst()) { best = price }
        }
        return best
    }

    /// Whether what follows a model's name and its `-` names a version of that model — a date or a number, as in
    /// `2024-08-06`, `0613`, `20241022`, or `latest` — rather than another model, as `mini` in `gpt-4o-mini`.
    private static func isVersion(_ suffix: Substring) -> Bool {
        if suffix == "latest" { return true }
        guard let first = suffix.unicodeScalars.first, ("0"..."9").contains(first) else { return false }
        return suffix.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Decodes a table written as an array of prices, checking each as ``init(_:)`` does.
    public init(from decoder: any Decoder) throws {
        let prices = try decoder.singleValueContainer().decode([ModelPrice].self)
        do {
            try self.init(prices)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }

    /// Encodes the table as an array of prices, by model name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(prices.values.sorted { $0.model < $1.model })
    }
}
