import Foundation

/// Runs `body` while no other test that uses this helper — in this process or another — uses the local LLM
/// server: a test that reads the server's `/slots` or `/metrics` must not see another test's request. The lock
/// is a file lock, which also holds between the test targets of one test binary.
func withLocalLLMServer<Result>(_ body: () async throws -> Result) async throws -> Result {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("orchestra-local-llm-tests.lock").path
    let descriptor = open(path, O_CREAT | O_RDWR, 0o600)
    guard descriptor >= 0 else { throw POSIXError(.EACCES) }
    defer { close(descriptor) }  // closing releases the lock
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await body()
}
