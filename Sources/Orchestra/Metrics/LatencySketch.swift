import Foundation

/// Durations summarised in bounded memory: exact count, total, minimum and maximum, and percentiles within 1%.
///
/// ```swift
/// var sketch = LatencySketch()
/// for ms in 1...1000 { sketch.add(.milliseconds(ms)) }
/// sketch.percentile(0.9)   // about 0.9 seconds: within 1% of the 900 ms a sorted list would give
/// ```
///
/// It is a log-bucketed histogram, as DDSketch (Masson, Rim and Lee, VLDB 2019) describes: a duration of `x`
/// seconds is counted in bucket `⌈log_γ x⌉` with `γ = (1 + α) / (1 − α)` and `α` = ``relativeAccuracy`` (1%),
/// and a bucket stands for the value `2γⁱ / (γ + 1)`, within `α` of every duration it counts. So a percentile is
/// within 1% of the exact one, relative to its value, whatever the distribution. Durations under a nanosecond
/// share one bucket that stands for zero.
///
/// In JSON, durations are seconds (`"max": 0.04`), read back to the nanosecond.
///
/// Memory does not grow with the number of durations, only with their spread: about 115 buckets per factor of ten,
/// so durations from a nanosecond to a year fit in under 2,000 buckets — and most states use a few hundred. Two
/// sketches ``merge(_:)`` into exactly the sketch of both sets of durations.
public struct LatencySketch: Sendable, Codable, Hashable {
    /// How close a percentile is to the exact one, relative to its value: 1%.
    public static let relativeAccuracy = 0.01

    /// How many durations were added.
    public private(set) var count = 0
    /// The durations added together, exactly.
    public private(set) var total = Duration.zero
    /// The smallest duration added, exactly; `nil` when none was.
    public private(set) var min: Duration?
    /// The largest duration added, exactly; `nil` when none was.
    public private(set) var max: Duration?
    /// The durations under a nanosecond.
    private var zeros = 0
    /// How many durations each bucket counts, by bucket index.
    private var buckets: [Int: Int] = [:]

    private static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    private static let logGamma = Foundation.log(gamma)
    /// The smallest duration counted in a bucket of its own, in seconds.
    private static let smallest = 1e-9

    /// Creates an empty sketch.
    public init() {}

    /// Counts one duration; a negative one counts as zero.
    ///
    /// - Parameter duration: The duration.
    public mutating func add(_ duration: Duration) {
        let duration = Swift.max(duration, .zero)
        count = saturatingSum(count, 1)
        total += duration
        min = Swift.min(min ?? duration, duration)
        max = Swift.max(max ?? duration, duration)
        let seconds = duration.seconds
        if seconds < Self.smallest {
            zeros = saturatingSum(zeros, 1)
        } else {
            let bucket = Int((Foundation.log(seconds) / Self.logGamma).rounded(.up))
            buckets[bucket] = saturatingSum(buckets[bucket] ?? 0, 1)
        }
    }

    /// Adds the durations another sketch counted: the result is the sketch of both sets of durations.
    ///
    /// - Parameter other: The other sketch.
    public mutating func merge(_ other: LatencySketch) {
        count = saturatingSum(count, other.count)
        total += other.total
        min = [min, other.min].compactMap { $0 }.min()
        max = [max, other.max].compactMap { $0 }.max()
        zeros = saturatingSum(zeros, other.zeros)
        buckets.merge(other.buckets, uniquingKeysWith: saturatingSum)
    }

    /// The duration at `fraction` of the sorted durations, by the nearest-rank definition: the `⌈fraction × count⌉`-th
    /// smallest (at least the first), within ``relativeAccuracy`` of its value; the first and last ranks are the exact
    /// ``min`` and ``max``.
    ///
    /// - Parameter fraction: From 0 to 1: `0.5` for the median, `0.99` for p99; held to that range.
    /// - Returns: The duration, or `nil` when the sketch is empty or `fraction` is NaN.
    public func percentile(_ fraction: Double) -> Duration? {
        guard let min, let max, count > 0, !fraction.isNaN else { return nil }
        let clamped = Swift.min(Swift.max(fraction, 0), 1)
        let rank = Swift.min(Swift.max(Self.rank(clamped, of: count), 1), count)
        if rank == 1 { return min }
        if rank == count { return max }
        var seen = zeros
        if seen >= rank { return min }
        for index in buckets.keys.sorted() {
            seen = saturatingSum(seen, buckets[index] ?? 0)
            if seen >= rank {
                let seconds = 2 * Foundation.pow(Self.gamma, Double(index)) / (Self.gamma + 1)
                // To the nanosecond, within the accuracy anyway; a bucket past Int64 nanoseconds is the maximum.
                guard let nanoseconds = Int64(exactly: (seconds * 1e9).rounded()) else { return max }
                let value = Duration.nanoseconds(nanoseconds)
                return Swift.min(Swift.max(value, min), max)
            }
        }
        return max
    }

    /// The count, percentiles p50, p90 and p99, minimum, maximum, mean and total.
    public var summary: LatencySummary {
        LatencySummary(
            count: count, p50: percentile(0.5) ?? .zero, p90: percentile(0.9) ?? .zero,
            p99: percentile(0.99) ?? .zero, min: min ?? .zero, max: max ?? .zero,
            mean: count == 0 ? .zero : Self.toNanosecond(total / count), total: total)
    }
}

extension LatencySketch {
    /// `⌈fraction × count⌉`, where a product within floating point's error of a whole number is that number:
    /// `0.07 × 100` is `7.000000000000001` in `Double`, and its nearest rank is 7, not 8.
    private static func rank(_ fraction: Double, of count: Int) -> Int {
        let product = fraction * Double(count)
        let whole = product.rounded()
        if abs(product - whole) <= whole.ulp * 4 { return Int(whole) }
        return Int(product.rounded(.up))
    }

    /// `duration` rounded to the nanosecond, as JSON keeps it.
    private static func toNanosecond(_ duration: Duration) -> Duration {
        let (seconds, attoseconds) = duration.components
        return .seconds(seconds) + .nanoseconds(Int64((Double(attoseconds) / 1e9).rounded()))
    }

    private enum CodingKeys: String, CodingKey { case count, total, min, max, zeros, buckets }

    /// Decodes a sketch written by ``encode(to:)``; durations are read back to the nanosecond.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func duration(_ key: CodingKeys) throws -> Duration? {
            guard let seconds = try c.decodeIfPresent(Double.self, forKey: key) else { return nil }
            guard let nanoseconds = Int64(exactly: (seconds * 1e9).rounded()), nanoseconds >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "\(seconds) is not a duration in seconds a sketch holds")
            }
            return .nanoseconds(nanoseconds)
        }
        count = try c.decode(Int.self, forKey: .count)
        total = try duration(.total) ?? .zero
        min = try duration(.min)
        max = try duration(.max)
        zeros = try c.decodeIfPresent(Int.self, forKey: .zeros) ?? 0
        buckets = try c.decodeIfPresent([Int: Int].self, forKey: .buckets) ?? [:]
        if let problem = problem {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a latency sketch: \(problem)"))
        }
    }

    /// What makes a decoded sketch one that ``add(_:)`` and ``merge(_:)`` could not have made, if anything: counts
    /// below zero, buckets that do not add up to ``count``, extremes missing or out of order. Such a sketch would
    /// give wrong percentiles, or trap adding its counts up.
    private var problem: String? {
        guard count >= 0, zeros >= 0 else { return "count \(count) and zeros \(zeros) must not be negative" }
        var sum = zeros
        for (index, bucket) in buckets {
            guard bucket >= 0 else { return "bucket \(index) counts \(bucket), below zero" }
            let (added, overflow) = sum.addingReportingOverflow(bucket)
            guard !overflow else { return "its buckets count more durations than an Int holds" }
            sum = added
        }
        guard sum == count else { return "its buckets count \(sum) durations, its count says \(count)" }
        switch (min, max) {
        case (nil, nil) where count == 0: return nil
        case (let min?, let max?) where count > 0:
            return min <= max ? nil : "its minimum \(min) is above its maximum \(max)"
        default: return "a sketch of \(count) durations has a minimum and a maximum exactly when it has durations"
        }
    }

    /// Encodes the sketch, with durations as seconds and buckets by index.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(total.jsonSeconds, forKey: .total)
        try c.encodeIfPresent(min?.jsonSeconds, forKey: .min)
        try c.encodeIfPresent(max?.jsonSeconds, forKey: .max)
        try c.encode(zeros, forKey: .zeros)
        try c.encode(buckets, forKey: .buckets)
    }
}
