/// A W3C trace id: 16 bytes, written as 32 lowercase hex digits. A run's trace id is its ``RunID``'s
/// bytes, so every span of a run belongs to one trace, and the trace can be found again from the run.
public struct TraceID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The first eight bytes, big-endian.
    public let high: UInt64
    /// The last eight bytes, big-endian.
    public let low: UInt64

    /// Creates a trace id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads 32 hex digits; `nil` for anything else, and for all zeros, which W3C reserves as invalid.
    ///
    /// - Parameter hex: The id as in a `traceparent` header.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32, let high = UInt64(hexDigits: hex.prefix(16)),
            let low = UInt64(hexDigits: hex.suffix(16)), high != 0 || low != 0
        else { return nil }
        self.init(high: high, low: low)
    }

    /// 32 lowercase hex digits.
    public var description: String { high.hexDigits + low.hexDigits }

    /// Encodes the id as its hex digits.
    public func encode(to encoder: any Encoder) throws {
        try encodeHex(description, to: encoder)
    }

    /// Decodes an id written as 32 hex digits.
    public init(from decoder: any Decoder) throws {
        self = try decodeHex(from: decoder, TraceID.init(hex:), "a trace id: 32 hex digits, not all zero")
    }
}

/// A W3C span id: 8 bytes, written as 16 lowercase hex digits.
///
/// Each state a run executes is a span, the run itself is the root span, and a composite's children are
/// the composite's child spans (see ``OrchestrationEvent/spanID`` and ``OrchestrationEvent/parentSpanID``).
/// A span's id is derived from the run and the step, so it costs nothing to carry and is the same in the
/// events, the run's ``RunContext/trace`` and the `traceparent` header a model call sends.
public struct SpanID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The eight bytes, big-endian; never zero.
    public let rawValue: UInt64

    /// Creates a span id; `nil` for zero, which W3C reserves as invalid.
    ///
    /// - Parameter rawValue: The id's eight bytes, big-endian.
    public init?(rawValue: UInt64) {
        guard rawValue != 0 else { return nil }
        self.rawValue = rawValue
    }

    /// Reads 16 hex digits; `nil` for anything else, and for all zeros.
    ///
    /// - Parameter hex: The id as in a `traceparent` header.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 16, let value = UInt64(hexDigits: hex) else { return nil }
        self.init(rawValue: value)
    }

    private init(nonZero: UInt64) {
        rawValue = nonZero
    }

    /// 16 lowercase hex digits.
    public var description: String { rawValue.hexDigits }

    /// The span of step `step` of the run whose trace is `trace`; step 0 is the run itself.
    ///
    /// A bijective mix of the trace's bits and the step, so that no two steps of a run share an id.
    static func step(_ step: Int, of trace: TraceID) -> SpanID {
        let z = ((trace.high ^ trace.low.byteSwapped) &+ UInt64(truncatingIfNeeded: step) &* 0x9E37_79B9_7F4A_7C15)
            .splitMixFinalized
        // The one step that mixes to zero takes an id of its own; a clash with another step is a 2⁻⁶⁴ chance.
        return SpanID(nonZero: z == 0 ? 0x5EED : z)
    }

    /// Encodes the id as its hex digits.
    public func encode(to encoder: any Encoder) throws {
        try encodeHex(description, to: encoder)
    }

    /// Decodes an id written as 16 hex digits.
    public init(from decoder: any Decoder) throws {
        self = try decodeHex(from: decoder, SpanID.init(hex:), "a span id: 16 hex digits, not all zero")
    }
}

/// Writes an id as its hex digits, a JSON string.
private func encodeHex(_ digits: String, to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(digits)
}

/// Reads an id from its hex digits with `parse`; a string it refuses is corrupt data, said to be no `what`.
private func decodeHex<ID>(from decoder: any Decoder, _ parse: (String) -> ID?, _ what: String) throws -> ID {
    let container = try decoder.singleValueContainer()
    let hex = try container.decode(String.self)
    guard let id = parse(hex) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(hex)' is not \(what)")
    }
    return id
}

extension UInt64 {
    /// Exactly 16 lowercase hex digits.
    fileprivate var hexDigits: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 16 - digits.utf8.count) + digits
    }

    /// Reads hex digits, either case; `nil` on any other character or on a sign.
    fileprivate init?(hexDigits: some StringProtocol) {
        guard !hexDigits.isEmpty, hexDigits.utf8.allSatisfy(\.isHexDigit) else { return nil }
        self.init(hexDigits, radix: 16)
    }
}

extension UInt8 {
    /// A hex digit of either case, as an id's digits may be read.
    fileprivate var isHexDigit: Bool {
        isLowercaseHexDigit || (0x41...0x46).contains(self)
    }

    /// A hex digit in lower case, as W3C writes every field of a `traceparent`.
    var isLowercaseHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self)
    }
}
