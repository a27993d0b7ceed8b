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

    /// `text` on one line, its end that fits in `columns` terminal columns, with `…` in front when it was cut.
    static func tail(_ text: String, columns: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard self.columns(flat) > columns else { return flat }
        var kept: [Character] = []
        var used = 1  // the ellipsis
        for character in flat.reversed() {
            used += width(of: character)
            if used > columns { break }
            kept.append(character)
        }
        return "…" + String(kept.reversed())
    }

    /// The start of `text` that fits in `columns` terminal columns.
    static func prefix(_ text: String, columns: Int) -> String {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            used += width(of: text[index])
            if used > columns { break }
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// How many terminal columns `text` takes.
    static func columns(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// How many columns a terminal gives a character: 2 for East Asian wide characters and emoji, 0 for one made
    /// only of combining marks and joiners, 1 otherwise. Controls are never measured: they are sanitized first.
    static func width(of character: Character) -> Int {
        var visible = false
        for scalar in character.unicodeScalars {
            let value = scalar.value
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue  // combining marks, ZWJ, variation selectors
            default: break
            }
            if (0xFE00...0xFE0F).contains(value) { continue }
            if scalar.properties.isEmojiPresentation || isWide(value) { return 2 }
            visible = true
        }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }  // emoji presentation asked
        return visible ? 1 : 0
    }

    /// East Asian wide and fullwidth ranges (Unicode's EastAsianWidth W and F, in the planes that matter).
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// `text` with every control character made visible — escape as `␛`, tab, carriage return and newline as
    /// a space, any other as `�` — so that nothing a state, a model or a tool wrote can move the cursor, change
    /// colours or the window's title, or break a line that the live view counts as one.
    static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1B: result.append("␛")
            case 0x09, 0x0A, 0x0D: result.append(" ")
            case _ where isControl(scalar): result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// C0 and C1 control characters, and DEL.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
