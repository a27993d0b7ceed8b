import Synchronization

/// Keeps calls to a dependency under a rate — `permits` per `interval`, with bursts of up to `burst` —
/// shared by every run and every runnable that uses it: a token bucket.
///
/// ```swift
/// let openAI = RateLimiter("OpenAI", permits: 500, per: .seconds(60))               // waits its turn
/// let search = RateLimiter("search API", permits: 1, per: .seconds(1), maxWait: .zero) // or refuses
/// let plan = Plan(model: gpt).rateLimited(openAI)
/// ```
///
/// Permits come back one every `interval / permits`, and the bucket holds up to `burst` of them, full at
/// first: so in any stretch of time `t`, at most `burst + permits × t / interval` calls start; with the
/// default burst of 1, never more than `permits` in any `interval`. A call that finds the bucket empty
/// waits for its permit on the run's clock — a ``OrchestrationEvent/Kind/throttled(limiter:wait:)`` event,
/// and callers go in the order they came — or, when that wait would pass `maxWait`, fails at once with
/// ``OrchestrationError/Code/rejected``. Cancelling a waiting run ends its wait at once.
///
/// Like ``CircuitBreaker``, the limiter binds to the clock of its first call; a call from a run on another
/// clock fails with ``OrchestrationError/Code/invalidConfiguration``.
public final class RateLimiter: Sendable {
    /// The limiter's name, in events and errors.
    public let name: String
    /// How many calls may start per ``interval``.
    public let permits: Int
    /// The time over which ``permits`` calls may start.
    public let interval: Duration
    /// How many calls may start at once after a quiet spell.
    public let burst: Int
    /// The longest a call waits for its permit before it is refused; `nil` waits as long as it takes.
    public let maxWait: Duration?

    private struct Guarded: Sendable {
        var bucket: RateLimiterBucket
        var timeline = PolicyTimeline()
        /// Counts the resets: a permit reserved before one is not given back to the bucket after it.
        var epoch = 0
    }

    private let guarded: Mutex<Guarded>
    /// What is wrong with the settings, worked out once: every call through the limiter fails with it.
    private let configurationProblem: String?

    /// Creates a limiter with a full bucket.
    ///
    /// A `permits` or `burst` below 1, an `interval` not above zero or a negative `maxWait` make every
    /// call through the limiter fail with ``OrchestrationError/Code/invalidConfiguration``.
    ///
    /// - Parameters:
    ///   - name: Names the limiter in events and errors.
    ///   - permits: How many calls may start per `interval`.
    ///   - interval: The time over which `permits` calls may start.
    ///   - burst: How many calls may start at once after a quiet spell; 1 by default, which spaces calls
    ///     evenly.
    ///   - maxWait: The longest a call waits; `nil`, the default, waits as long as it takes, and `.zero`
    ///     refuses any call that cannot start at once.
    public init(_ name: String, permits: Int, per interval: Duration, burst: Int = 1, maxWait: Duration? = nil) {
        self.name = name
        self.permits = permits
        self.interval = interval
        self.burst = burst
        self.maxWait = maxWait
        configurationProblem = Orchestra.configurationProblem(
            of: "the rate limiter '\(name)'",
            [
                ("permits \(permits)", permits < 1, "be at least 1"),
                ("burst \(burst)", burst < 1, "be at least 1"),
                ("interval \(interval)", interval <= .zero, "be more than zero"),
                ("maxWait \(maxWait ?? .zero)", (maxWait ?? .zero) < .zero, "not be negative"),
            ])
        guarded = Mutex(Guarded(bucket: RateLimiterBucket(permits: permits, per: interval, burst: burst)))
    }

    /// Fills the bucket and forgets its clock — between tests that share a limiter, say.
    public func reset() {
        let bucket = RateLimiterBucket(permits: permits, per: interval, burst: burst)
        guarded.withLock { guarded in
            guarded = Guarded(bucket: bucket, epoch: guarded.epoch + 1)
        }
    }

    /// Waits until the state of `context` may start.
    ///
    /// - Throws: ``OrchestrationError/Code/rejected`` when the wait would pass ``maxWait``;
    ///   `CancellationError` when the task is cancelled while waiting;
    ///   ``OrchestrationError/Code/invalidConfiguration``.
    func acquire(_ context: RunContext) async throws {
        if let problem = configurationProblem { throw context.invalidConfiguration(problem) }
        let (decision, epoch) = try guarded.withLock { guarded throws(OrchestrationError) in
            do throws(PolicyTimeline.Mismatch) {
                let now = try guarded.timeline.now(on: context.clock)
                return (guarded.bucket.take(at: now, maxWait: maxWait), guarded.epoch)
            } catch {
                throw error.error("rate limiter", name, context)
            }
        }
        switch decision {
        case .start(let wait, _) where wait == .zero:
            return
        case .start(let wait, let reservation):
            context.publish(.throttled(limiter: name, wait: wait))
            do {
                try await Task.sleep(for: wait, clock: context.clock)
            } catch {
                guarded.withLock { guarded in
                    if guarded.epoch == epoch { guarded.bucket.giveBack(reservation) }
                }
                throw error
            }
        case .refuse(let wait):
            throw context.refusal(
                .rejected,
                "the rate limiter '\(name)' (\(permits) per \(interval), burst \(burst)) has no permit for state "
                    + "'\(context.path)' for another \(wait.roundedUpToMilliseconds), longer than its maxWait of \(maxWait ?? .zero), so "
                    + "the state did not run; raise maxWait, or retry after that wait"
            )
        }
    }

}
