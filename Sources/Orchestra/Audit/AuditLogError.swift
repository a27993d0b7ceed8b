/// Why an ``AuditLog`` could not open its file, or write a line to it.
///
/// ```swift
/// do {
///     let log = try AuditLog(file: URL(filePath: "/var/log/orchestra/audit.jsonl"))
/// } catch {
///     print(error)   // cannot open the audit log '/var/log/orchestra/audit.jsonl': Permission denied (errno 13) …
/// }
/// ```
public struct AuditLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The file could not be opened or created.
        case cannotOpen = "cannot open"
        /// A line could not be written; the lines before it are intact.
        case writeFailed = "write failed"
    }

    /// The kind of failure.
    public var code: Code
    /// The file's path.
    public var path: String
    /// The system's error number, as in `13` for `EACCES`.
    public var errno: Int32
    /// The system's description of ``errno``, as in `Permission denied`.
    public var reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - path: The file's path.
    ///   - errno: The system's error number.
    ///   - reason: The system's description of it.
    public init(code: Code, path: String, errno: Int32, reason: String) {
        self.code = code
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    /// What happened to which file, and what to check.
    public var description: String {
        switch code {
        case .cannotOpen:
            "cannot open the audit log '\(path)': \(reason) (errno \(errno)); check that its directory exists and "
                + "that this process may write there"
        case .writeFailed:
            "cannot write to the audit log '\(path)': \(reason) (errno \(errno)); the lines before it are intact"
        }
    }
}
