/// Durations summarised: how many, the percentiles p50, p90 and p99, the extremes, the mean and the total.
///
/// Made by a ``LatencySketch``: the percentiles are within ``LatencySketch/relativeAccuracy`` (1%) of the exact
/// nearest-rank ones; the count, extremes and total are exact, and the mean exact to the nanosecond. Every duration
/// is zero when ``count`` is.
/// In JSON, durations are seconds (`"p90": 0.91`), read back to the nanosecond.
public struct LatencySummary: Sendable, Codable, Hashable {
    /// How many durations.
    public var count: Int
    /// The median.
    public var p50: Duration
    /// The 90th percentile.
    public var p90: Duration
    /// The 99th percentile.
    public var p99: Duration
    /// The shortest.
    public var min: Duration
    /// The longest.
    public var max: Duration
    /// The mean.
    public var mean: Duration
    /// All of them together.
    public var total: Duration

    /// Creates a summary; ``LatencySketch/summary`` makes one from durations.
    ///
    /// - Parameters:
    ///   - count: How many durations.
    ///   - p50: The median.
    ///   - p90: The 90th percentile.
    ///   - p99: The 99th percentile.
    ///   - min: The shortest.
    ///   - max: The longest.
    ///   - mean: The mean.
    ///   - total: All of them together.
    public init(
        count: Int, p50: Duration, p90: Duration, p99: Duration, min: Duration, max: Duration, mean: Duration,
        total: Duration
    ) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.min = min
        self.max = max
        self.mean = mean
        self.total = total
    }

    private enum CodingKeys: String, CodingKey { case count, p50, p90, p99, min, max, mean, total }

    /// Decodes a summary written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func seconds(_ key: CodingKeys) throws -> Duration {
            let seconds = try c.decode(Double.self, forKey: key)
            guard let nanoseconds = Int64(exactly: (seconds * 1e9).rounded()) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "\(seconds) is not a duration in seconds")
            }
            return .nanoseconds(nanoseconds)
        }
        self.init(
            count: try c.decode(Int.self, forKey: .count), p50: try seconds(.p50), p90: try seconds(.p90),
            p99: try seconds(.p99), min: try seconds(.min), max: try seconds(.max), mean: try seconds(.mean),
            total: try seconds(.total))
    }

    /// Encodes the summary, with durations as seconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        for (key, value) in [(CodingKeys.p50, p50), (.p90, p90), (.p99, p99), (.min, min), (.max, max)] {
            try c.encode(value.jsonSeconds, forKey: key)
        }
        try c.encode(mean.jsonSeconds, forKey: .mean)
        try c.encode(total.jsonSeconds, forKey: .total)
    }
}
