/// Where a piece of work sits in a distributed trace: the trace, and the span it belongs to — what the W3C
/// `traceparent` header carries from one service to the next.
///
/// Every state a run executes has one, as ``RunContext/trace``: the run's trace, and the state's own span.
/// `OrchestraAgents`' agents put it on each model call, and `OpenAICompatibleModel` sends it as a
/// `traceparent` header, so the model server's spans join the run's trace:
///
/// ```swift
/// override func invoke(_ question: String, context: RunContext) async throws -> String {
///     var request = URLRequest(url: searchURL)
///     request.setValue(context.trace.traceparent, forHTTPHeaderField: "traceparent")
///     …
/// }
/// ```
public struct TraceContext: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The trace.
    public var traceID: TraceID
    /// The span within it.
    public var spanID: SpanID
    /// Whether the trace is sampled: the `traceparent` flags' lowest bit.
    public var isSampled: Bool

    /// Creates a trace context.
    ///
    /// - Parameters:
    ///   - traceID: The trace.
    ///   - spanID: The span within it.
    ///   - isSampled: Whether the trace is sampled; runs' traces are.
    public init(traceID: TraceID, spanID: SpanID, isSampled: Bool = true) {
        self.traceID = traceID
        self.spanID = spanID
        self.isSampled = isSampled
    }

    /// Reads a W3C `traceparent` header value (`00-<trace id>-<span id>-<flags>`); `nil` when it is not one —
    /// its fields are lowercase hex digits, as the W3C recommendation requires.
    ///
    /// Version `00` must have exactly four fields; a later version may add fields after the flags, which are
    /// ignored, as the W3C recommendation asks. Version `ff` is invalid.
    ///
    /// - Parameter traceparent: The header's value.
    public init?(traceparent: String) {
        let fields = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        // W3C: every field is lowercase hex digits (no sign, no capitals), of its fixed length.
        func lowercaseHex(_ field: Substring, _ length: Int) -> Bool {
            field.utf8.count == length
                && field.utf8.allSatisfy(\.isLowercaseHexDigit)
        }
        guard fields.count >= 4, lowercaseHex(fields[0], 2), lowercaseHex(fields[1], 32),
            lowercaseHex(fields[2], 16), lowercaseHex(fields[3], 2),
            let version = UInt8(fields[0], radix: 16), version != 0xFF, version != 0 || fields.count == 4,
            let flags = UInt8(fields[3], radix: 16),
            let trace = TraceID(hex: fields[1]), let span = SpanID(hex: fields[2])
        else { return nil }
        self.init(traceID: trace, spanID: span, isSampled: flags & 1 == 1)
    }

    /// The W3C `traceparent` header value, as in `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
    public var traceparent: String {
        "00-\(traceID)-\(spanID)-\(isSampled ? "01" : "00")"
    }

    /// The `traceparent` header value.
    public var description: String { traceparent }
}

extension RunID {
    /// The run's trace: its id's sixteen bytes.
    public var traceID: TraceID {
        let (high, low) = withUnsafeBytes(of: uuid.uuid) {
            (
                UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)),
                UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            )
        }
        return TraceID(high: high, low: low)
    }

    /// The run's root span, which the spans of the states of the machine are children of.
    public var spanID: SpanID { spanID(step: 0) }

    /// The span of the state executed at `step`; step 0 is the run's root span.
    ///
    /// - Parameter step: The step, as in ``OrchestrationEvent/step`` and ``RunRecord/Step/step``.
    /// - Returns: The span's id, the same in every process that reads the run.
    public func spanID(step: Int) -> SpanID {
        SpanID.step(step, of: traceID)
    }
}
