import Foundation

/// How often, and after how long, a failed state runs again: exponential backoff with a cap and
/// full jitter, for the errors you say are worth retrying.
///
/// ```swift
/// let search = Search().retry(RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(500)))
/// ```
///
/// Before attempt `n` (from 2) the policy waits `min(maxDelay, initialDelay × multiplier^(n−2))`,
/// or — with ``Jitter/full``, the default — a random duration between zero and that, so that many
/// runs failing together do not retry together. Cancellation, the step limit and configuration errors
/// (``OrchestrationError/Code/invalidConfiguration``) are never retried.
public struct RetryPolicy: Sendable {
    /// How the wait before a retry is spread.
    public enum Jitter: Sendable, Hashable {
        /// Exactly the backoff delay.
        case none
        /// A uniformly random duration between zero and the backoff delay ("full jitter").
        case full
    }

    /// The most attempts, the first included: 1 means no retry. Below 1, the state fails with
    /// ``OrchestrationError/Code/invalidConfiguration`` before its first attempt.
    public var maxAttempts: Int
    /// The backoff delay before the second attempt.
    public var initialDelay: Duration
    /// How much the backoff delay grows from one retry to the next.
    public var multiplier: Double
    /// The longest backoff delay.
    public var maxDelay: Duration
    /// How the wait is spread around the backoff delay.
    public var jitter: Jitter
    /// Whether an error is worth another attempt; cancellation, the step limit and configuration errors never
    /// are, whatever this says.
    public var isRetryable: @Sendable (any Error) -> Bool
    /// A random number in `0...1` for full jitter; replace it with a seeded generator to make the delays
    /// of a test repeatable.
    public var random: @Sendable () -> Double

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxAttempts: The most attempts, the first included.
    ///   - initialDelay: The backoff delay before the second attempt.
    ///   - multiplier: How much the delay grows per retry.
    ///   - maxDelay: The longest delay.
    ///   - jitter: How the wait is spread; full jitter by default.
    ///   - isRetryable: Which errors are worth another attempt; all of them by default.
    ///   - random: A random number in `0...1` for the jitter.
    public init(
        maxAttempts: Int = 3,
        initialDelay: Duration = .milliseconds(200),
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(30),
        jitter: Jitter = .full,
        isRetryable: @escaping @Sendable (any Error) -> Bool = { _ in true },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.isRetryable = isRetryable
        self.random = random
    }

    /// The backoff delay before `attempt` (from 2), before jitter: the most full jitter may wait.
    ///
    /// - Parameter attempt: The attempt about to run; 2 for the first retry.
    /// - Returns: `min(maxDelay, initialDelay × multiplier^(attempt − 2))`.
    public func backoff(beforeAttempt attempt: Int) -> Duration {
        let growth = pow(max(multiplier, 0), Double(max(attempt - 2, 0)))
        let seconds = min(initialDelay.seconds * growth, maxDelay.seconds)
        return seconds.isFinite ? .seconds(max(seconds, 0)) : maxDelay
    }

    /// The wait before `attempt` (from 2): the backoff delay, spread by the jitter.
    ///
    /// - Parameter attempt: The attempt about to run; 2 for the first retry.
    /// - Returns: A duration between zero and ``backoff(beforeAttempt:)``.
    public func delay(beforeAttempt attempt: Int) -> Duration {
        let backoff = backoff(beforeAttempt: attempt)
        switch jitter {
        case .none: return backoff
        case .full: return backoff * min(max(random(), 0), 1)
        }
    }
}
