import Foundation

extension RunRecord {
    /// The record as JSON text, in the shape of `Docs/Schemas/RunRecord.schema.json`: keys sorted, the start as
    /// an ISO-8601 date with milliseconds, durations and offsets in seconds.
    ///
    /// ```swift
    /// let record = await orchestration.start(topic).record
    /// try record.json().write(to: URL(filePath: "run.json"), atomically: true, encoding: .utf8)
    /// ```
    ///
    /// - Parameter prettyPrinted: Whether to indent the JSON, one key per line; `false` writes it on one line.
    /// - Returns: The JSON text; ``init(json:)`` reads it back.
    /// - Throws: `EncodingError` only if a value cannot be written as JSON, which a record's values always can.
    public func json(prettyPrinted: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            // The style cuts the fraction off at the millisecond: format the middle of the nearest millisecond, so
            // that it rounds, and a date read back (a binary fraction just below its millisecond) writes the same.
            let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
            let middle = Date(timeIntervalSince1970: (milliseconds + 0.5) / 1000)
            try container.encode(middle.formatted(Self.dateStyle))
        }
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// ISO-8601 with milliseconds, in UTC: `2026-11-22T09:30:00.125Z`; the audit log's times too.
    static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Reads a record written by ``json(prettyPrinted:)``.
    ///
    /// - Parameter json: The JSON text.
    /// - Throws: `DecodingError`, naming the key, when the text is not a record, or when its start is not an
    ///   ISO-8601 date.
    public init(json: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            // With milliseconds, as written here, or without, as other tools write dates.
            if let date = (try? Self.dateStyle.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) {
                return date
            }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO-8601 date, as in 2026-11-22T09:30:00.125Z")
        }
        self = try decoder.decode(RunRecord.self, from: Data(json.utf8))
    }
}
