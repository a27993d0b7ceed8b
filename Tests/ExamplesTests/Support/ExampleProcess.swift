import Foundation
import Testing

/// Runs an executable built next to the test binary, without ORCHESTRA_LLM_BASE_URL, and returns its exit status,
/// standard output and standard error.
///
/// - Parameters:
///   - name: The executable's name, as `Package.swift` names the product.
///   - arguments: Its arguments.
///   - directory: Its current directory; the test's when `nil`.
func runExample(_ name: String, _ arguments: [String] = [], in directory: URL? = nil) async throws -> (
    Int32, String, String
) {
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent()
    let candidates = [
        products.appendingPathComponent(name),
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(name),
    ]
    let executable = try #require(
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
        "the '\(name)' executable was not built next to the tests (looked in \(candidates.map(\.path)))"
    )
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "ORCHESTRA_LLM_BASE_URL" }
    if let directory { process.currentDirectoryURL = directory }
    let (stdout, stderr) = (Pipe(), Pipe())
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Each pipe is read on a thread of its own, off the concurrency pool, so that neither can fill up and stall
    // the child while the other is read; the exit is awaited without blocking a thread of the pool.
    async let output = readToEnd(stdout)
    async let errors = readToEnd(stderr)
    let (data, errorData) = await (output, errors)
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            process.waitUntilExit()
            continuation.resume()
        }
    }
    return (
        process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
    )
}

/// Everything `pipe` delivers until its writer closes it, read on a dispatch thread.
private func readToEnd(_ pipe: Pipe) async -> Data {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: pipe.fileHandleForReading.readDataToEndOfFile())
        }
    }
}
