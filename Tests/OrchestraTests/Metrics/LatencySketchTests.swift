import Foundation
import Orchestra
import Testing

@Suite("Latency sketch: percentiles within 1% in bounded memory")
struct LatencySketchTests {
    /// Whether `estimate` is within the sketch's relative accuracy of `exact`.
    static func close(_ estimate: Duration?, _ exact: Duration) -> Bool {
        guard let estimate else { return false }
        return abs(estimate.seconds - exact.seconds) <= LatencySketch.relativeAccuracy * exact.seconds
    }

    @Test("1…1000 ms: nearest-rank p50, p90, p99 within 1%; count, min, max, mean and total exact")
    func uniform() {
        var sketch = LatencySketch()
        for ms in (1...1000).shuffled() { sketch.add(.milliseconds(ms)) }
        let summary = sketch.summary
        #expect(summary.count == 1000)
        #expect(Self.close(summary.p50, .milliseconds(500)))
        #expect(Self.close(summary.p90, .milliseconds(900)))
        #expect(Self.close(summary.p99, .milliseconds(990)))
        #expect(Self.close(sketch.percentile(0.25), .milliseconds(250)))
        #expect(summary.min == .milliseconds(1))
        #expect(summary.max == .milliseconds(1000))
        #expect(summary.total == .milliseconds(500_500))
        #expect(summary.mean == .microseconds(500_500))
        #expect(sketch.percentile(0) == .milliseconds(1))
        #expect(sketch.percentile(1) == .milliseconds(1000))
        #expect(sketch.percentile(7) == .milliseconds(1000))
        #expect(sketch.percentile(-.infinity) == .milliseconds(1))
        #expect(sketch.percentile(.nan) == nil)
    }

    @Test("a skewed distribution over six orders of magnitude stays within 1%, in few buckets")
    func skewed() throws {
        var sketch = LatencySketch()
        var exact: [Duration] = []
        for i in 0..<10_000 {
            let value = Duration.microseconds(Int(pow(1.0014, Double(i))))
            exact.append(value)
            sketch.add(value)
        }
        exact.sort()
        for fraction in [0.5, 0.9, 0.99, 0.999] {
            let rank = Int((fraction * Double(exact.count)).rounded(.up))
            #expect(Self.close(sketch.percentile(fraction), exact[rank - 1]), "p\(fraction)")
        }
        // Memory follows the spread, not the count: ten thousand values, ~1,000 distinct, far fewer buckets.
        let json = try String(decoding: JSONEncoder().encode(sketch), as: UTF8.self)
        #expect(json.count < 20_000)
    }

    @Test("memory follows the spread, not the count: a nanosecond to a year fits in under 2,000 buckets")
    func bounded() throws {
        var sketch = LatencySketch()
        let year = 365.25 * 24 * 3600
        for i in 0...100_000 {
            sketch.add(.seconds(1e-9 * pow(year / 1e-9, Double(i) / 100_000)))
        }
        let json = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(sketch)) as? [String: Any])
        let buckets = try #require(json["buckets"] as? [String: Int])
        #expect(buckets.count < 2000)
        #expect(buckets.count > 1500)
        #expect(buckets.values.reduce(0, +) == 100_001)
    }

    @Test("JSON holds durations as seconds; a duration no sketch holds is refused, not trapped on")
    func json() throws {
        var sketch = LatencySketch()
        for ms in [3, 12, 40] { sketch.add(.milliseconds(ms)) }
        let data = try JSONEncoder().encode(sketch)
        #expect(String(decoding: data, as: UTF8.self).contains(#""max":0.04"#))
        #expect(try JSONDecoder().decode(LatencySketch.self, from: data) == sketch)
        let summary = try JSONDecoder().decode(LatencySummary.self, from: JSONEncoder().encode(sketch.summary))
        #expect(summary == sketch.summary)
        let huge = Data(#"{"count":1,"total":1e300,"zeros":0,"buckets":{}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LatencySketch.self, from: huge) }
    }

    @Test("merging two sketches gives the sketch of both sets; an empty sketch summarises to zeros")
    func merge() {
        var a = LatencySketch()
        var b = LatencySketch()
        var both = LatencySketch()
        for ms in 1...300 {
            a.add(.milliseconds(ms))
            both.add(.milliseconds(ms))
        }
        for ms in 200...2000 where ms.isMultiple(of: 7) {
            b.add(.milliseconds(ms))
            both.add(.milliseconds(ms))
        }
        var merged = a
        merged.merge(b)
        #expect(merged == both)
        #expect(merged != a)
        let empty = LatencySketch()
        #expect(empty.percentile(0.5) == nil)
        #expect(
            empty.summary
                == LatencySummary(
                    count: 0, p50: .zero, p90: .zero, p99: .zero, min: .zero, max: .zero, mean: .zero, total: .zero))
        var zero = LatencySketch()
        zero.add(.zero)
        zero.add(.nanoseconds(-5))
        #expect(zero.summary.p50 == .zero)
        #expect(zero.summary.max == .zero)
    }

    @Test("nearest rank is exact where fraction × count is a whole number that binary floating point misses")
    func nearestRankIsNotOffByOne() throws {
        var sketch = LatencySketch()
        for ms in 1...100 { sketch.add(.milliseconds(ms)) }
        // 0.07 × 100 is 7.000000000000001 in Double, 0.55 × 100 is 55.00000000000001: ranks 7 and 55, not 8 and 56.
        for percent in [7, 14, 28, 55, 56, 57] {
            let value = try #require(sketch.percentile(Double(percent) / 100))
            let expected = Double(percent) / 1000
            #expect(abs(value.seconds - expected) <= expected * LatencySketch.relativeAccuracy, "p\(percent): \(value)")
        }
    }

    @Test(
        "a sketch decoded from bad JSON is refused with a DecodingError, not trapped on later",
        arguments: [
            #"{"count":-1,"total":0,"zeros":0,"buckets":{}}"#,
            #"{"count":2,"total":1,"min":0.5,"max":0.5,"zeros":-3,"buckets":{"-69":5}}"#,
            #"{"count":2,"total":1,"min":0.5,"max":0.5,"zeros":0,"buckets":{"-69":-1,"-68":3}}"#,
            #"{"count":3,"total":1,"min":0.1,"max":0.5,"zeros":0,"buckets":{"-115":1,"-69":9223372036854775807}}"#,
            #"{"count":9223372036854775807,"total":1,"min":0.1,"max":0.5,"zeros":0,"buckets":{"-115":1}}"#,
            #"{"count":1,"total":0.5,"min":0.5,"max":0.1,"zeros":0,"buckets":{"-69":1}}"#,
        ])
    func badJSON(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LatencySketch.self, from: Data(json.utf8)) }
    }
}
