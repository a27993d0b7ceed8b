/// Why a price table or a metrics collector was refused: a ``code`` to switch on, the model concerned, and a
/// message a person can act on.
///
/// ```swift
/// do {
///     let prices = try PriceTable([ModelPrice(model: "gpt-4o", input: -1, output: 10)])
/// } catch {
///     print(error)   // the price of model 'gpt-4o' per million input tokens is -1; prices cannot be negative
/// }
/// ```
public struct MetricsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CustomStringConvertible {
        /// A price is negative.
        case negativePrice
        /// A price is not a number (`Decimal.nan`).
        case invalidPrice
        /// A price names no model: its name is empty.
        case emptyModelName
        /// Two prices name the same model.
        case duplicateModel
        /// The orchestration keeps no run records (``OrchestrationOptions/recordsRuns`` is `false` and there is no
        /// checkpoint store), so there would be nothing to measure.
        case recordsOff

        /// The code in words, as in `negative price`.
        public var description: String {
            switch self {
            case .negativePrice: "negative price"
            case .invalidPrice: "invalid price"
            case .emptyModelName: "empty model name"
            case .duplicateModel: "duplicate model"
            case .recordsOff: "records off"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// The model whose price was refused, when the error is about one.
    public var model: String?
    /// What happened and what to do about it.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - model: The model concerned, if any.
    ///   - message: What happened and what to do about it.
    public init(code: Code, model: String? = nil, message: String) {
        self.code = code
        self.model = model
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
