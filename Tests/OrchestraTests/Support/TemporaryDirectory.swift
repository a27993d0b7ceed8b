import Foundation

/// Runs `body` with the URL of a fresh directory path under the system's temporary directory, and removes whatever
/// is there afterwards. The directory itself is not created: a store creates its own.
func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appending(
        path: "orchestra-tests-\(UUID().uuidString)", directoryHint: .isDirectory)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory)
}
