import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An audit log's file, open for appending: each line is one `write`, at the end of the file whatever other
/// writers (other logs, other processes) appended in between, so lines never interleave.
final class AuditFile: Sendable {
    let path: String
    /// Closes itself with the file.
    private let descriptor: Descriptor

    /// Opens `url` for appending, creating it — readable and writable by its owner only — when it is missing.
    init(_ url: URL) throws(AuditLogError) {
        path = url.path(percentEncoded: false)
        while true {
            let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            if opened >= 0 {
                descriptor = Descriptor(raw: opened)
                return
            }
            if errno != EINTR { throw Self.error(.cannotOpen, path) }
        }
    }

    /// Appends `line` and a newline, in one `write` (a short write, which only a full disk or a signal causes,
    /// goes on with the rest).
    func append(_ line: String) throws(AuditLogError) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { rest in write(descriptor.raw, rest.baseAddress, rest.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.error(.writeFailed, path)
            }
            written += count
        }
    }

    private static func error(_ code: AuditLogError.Code, _ path: String) -> AuditLogError {
        let number = errno
        return AuditLogError(code: code, path: path, errno: number, reason: describe(number))
    }
}
