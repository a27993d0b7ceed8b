import Orchestra
import Synchronization

/// A subclassed runnable that adds a constant, as a user would write one in their own module.
final class Add: Runnable<Int, Int>, @unchecked Sendable {
    let amount: Int

    init(_ amount: Int, name: String? = nil) {
        self.amount = amount
        super.init(name: name)
    }

    override func invoke(_ input: Int, context: RunContext) async throws -> Int {
        input + amount
    }
}

/// A subclassed runnable with a different output type, for typed edges.
final class Describe: Runnable<Int, String>, @unchecked Sendable {
    override func invoke(_ input: Int, context: RunContext) async throws -> String {
        "value \(input)"
    }
}

/// A closure runnable that returns its input's length.
func lengthOf(_ name: String = "Length") -> Runnable<String, Int> {
    Runnable(name) { text, _ in text.count }
}

/// A closure runnable that sleeps `duration` on the run's clock, then returns its input.
func sleeping(_ name: String, for duration: Duration) -> Runnable<Int, Int> {
    Runnable(name) { n, context in
        try await Task.sleep(for: duration, clock: context.clock)
        return n
    }
}

/// A plain error a state can throw.
struct Boom: Error, Equatable, CustomStringConvertible {
    var reason: String
    var description: String { "boom: \(reason)" }
}

/// A thread-safe counter for states and hooks.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}

/// Waits until `condition` holds, yielding between checks; gives up after `limit` of real time, so that a
/// slow machine waits longer rather than fails, and a condition that never holds fails the wait.
func eventually(within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}

extension Result {
    /// The failure as an `OrchestrationError`, if that is what it is.
    var orchestrationError: OrchestrationError? {
        if case .failure(let error) = self { return error as? OrchestrationError }
        return nil
    }
}
