import Foundation
import Orchestra
import Synchronization
import Testing

/// The lines an ``AuditLog`` wrote to a closure, decoded for assertions.
final class AuditLines: Sendable {
    private let written = Mutex<[String]>([])

    /// A log that writes here, redacting `values`.
    func log(redacting values: [String] = []) -> AuditLog {
        AuditLog(redacting: values) { [self] line in written.withLock { $0.append(line) } }
    }

    /// Every line as written.
    var raw: [String] { written.withLock { $0 } }

    /// Every line as a JSON object; a line that is not one fails the test.
    func objects(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try raw.map { line in
            #expect(!line.contains("\n"), sourceLocation: sourceLocation)
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any], sourceLocation: sourceLocation)
        }
    }

    /// The lines whose `event` is one of `events`.
    func lines(_ events: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try objects(sourceLocation: sourceLocation).filter { events.contains($0["event"] as? String ?? "") }
    }
}
