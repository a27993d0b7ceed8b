import Foundation

/// How the console monitor writes numbers: short, and the same in every locale.
enum ConsoleFormat {
    /// A duration a person reads at a glance: `38 µs`, `412 ms`, `1.23 s`, `2 min 5 s`.
    static func duration(_ duration: Duration) -> String {
        let seconds = max(duration.seconds, 0)
        if seconds < 0.001 { return "\(Int((seconds * 1_000_000).rounded())) µs" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(whole % 60) s"
    }

    /// An offset from the run's start, right-aligned so that lines line up: `  0.412s`.
    static func offset(_ duration: Duration) -> String {
        String(format: "%7.3fs", max(duration.seconds, 0))
    }

    /// `1,234 tokens`, and with `detailed` the split: `1,234 tokens (980 in, 254 out)`.
    static func tokens(_ usage: TokenUsage, detailed: Bool = false) -> String {
        let total = "\(grouped(usage.totalTokens)) \(usage.totalTokens == 1 ? "token" : "tokens")"
        guard detailed else { return total }
        return "\(total) (\(grouped(usage.promptTokens)) in, \(grouped(usage.completionTokens)) out)"
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return number < 0 ? "-" + result : result
    }

    /// `text` on one line, its last `limit` characters, with `…` in front when it was cut.
    static func tail(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > limit else { return flat }
        return "…" + flat.suffix(max(limit - 1, 0))
    }
}
