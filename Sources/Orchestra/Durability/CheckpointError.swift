/// Why a checkpoint could not be saved, read or turned back into values: which run, where, what was wrong.
///
/// The stores Orchestra ships throw it; a run that meets it fails with
/// ``OrchestrationError/Code/checkpointFailed`` and this error as its ``OrchestrationError/underlying``.
///
/// ```swift
/// do {
///     let stored = try await store.load(runID)
/// } catch let error as CheckpointError where error.code == .unsupportedFormat {
///     print("written by a newer Orchestra: \(error.message)")
/// }
/// ```
public struct CheckpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem. Compare with the static members; a `switch` needs a `default`, because
    /// later versions may add codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let value: String

        private init(_ value: String) { self.value = value }

        /// A stored record cannot be read: it is not the JSON a store writes, or a field is missing or wrong.
        public static let corrupt = Code("corrupt")
        /// A stored record was written in a format newer than this version of Orchestra reads.
        public static let unsupportedFormat = Code("unsupported format")
        /// A value to save is not `Codable`, or a saved value does not decode as the type that reads it.
        public static let notCodable = Code("not codable")
        /// The file system refused an operation; the message names the operation, the path and the reason.
        public static let io = Code("input/output")

        /// The code in words, as in `unsupported format`.
        public var description: String { value }
    }

    /// The kind of problem.
    public var code: Code
    /// The run concerned, when there is one.
    public var runID: RunID?
    /// Where the problem is: a file's path, a memory key, or a state's input.
    public var location: String
    /// What was wrong and what to do, in a sentence.
    public var message: String
    /// The error underneath, such as a `DecodingError`, described.
    public var underlying: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - runID: The run concerned.
    ///   - location: Where the problem is.
    ///   - message: What was wrong and what to do.
    ///   - underlying: The error underneath, if any.
    public init(code: Code, runID: RunID? = nil, location: String, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.runID = runID
        self.location = location
        self.message = message
        self.underlying = underlying.map { String(describing: $0) }
    }

    /// The code, the location and the message, as in `corrupt: /runs/….checkpoint.json: …`.
    public var description: String {
        "\(code): \(location): \(message)\(underlying.map { " (\($0))" } ?? "")"
    }
}
