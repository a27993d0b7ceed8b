import Synchronization

/// Stops calling a dependency that keeps failing, and tries it again after a cool-down — shared by every
/// state that talks to that dependency (one per model provider, say).
///
/// ```swift
/// let openAI = CircuitBreaker("OpenAI", failureThreshold: 5, window: .seconds(60), coolDown: .seconds(30))
/// let plan = Plan(model: gpt).circuitBreaker(openAI)
/// let write = Write(model: gpt).circuitBreaker(openAI)          // the same breaker: failures add up
/// ```
///
/// - **Closed**, calls run. When `failureThreshold` of them fail within `window`, the breaker opens.
/// - **Open**, calls fail at once with ``OrchestrationError/Code/circuitOpen`` without running. The first
///   call after `coolDown` finds it half-open.
/// - **Half-open**, up to `probes` calls run as probes, and others are refused. When all of them succeed
///   the breaker closes; when one fails it opens again, for another cool-down.
///
/// Time is the clock of the runs that call the breaker (a manual clock in tests); the breaker binds to
/// the clock of its first call, and a call from a run on another clock fails with
/// ``OrchestrationError/Code/invalidConfiguration``. Each change is a
/// ``OrchestrationEvent/Kind/circuitChanged(breaker:to:)`` event of the call that caused it, and each
/// refused call a ``OrchestrationEvent/Kind/rejected(_:)`` event. Cancellation, the step limit,
/// configuration errors, refusals by policies inside the breaker (a full ``Bulkhead``, a ``RateLimiter``
/// out of permits) and errors that `isFailure` rejects never count as failures; a timeout inside the
/// breaker does. Put a timeout inside the breaker, not around it: a call the timeout cancels from outside
/// ends as cancelled, which the breaker cannot count.
public final class CircuitBreaker: Sendable {
    /// Where a breaker is.
    public enum State: Sendable, Hashable, CustomStringConvertible {
        /// Calls run.
        case closed
        /// Calls are refused.
        case open
        /// A limited number of probe calls run.
        case halfOpen

        /// The state in words, as in `half-open`.
        public var description: String {
            switch self {
            case .closed: "closed"
            case .open: "open"
            case .halfOpen: "half-open"
            }
        }
    }

    /// The breaker's name, in events and errors.
    public let name: String
    /// How many failures within ``window`` open the breaker.
    public let failureThreshold: Int
    /// How far back failures count.
    public let window: Duration
    /// How long the breaker stays open before letting probes through.
    public let coolDown: Duration
    /// How many probe calls run while half-open; all must succeed to close the breaker.
    public let probes: Int
    /// Whether an error counts as a failure of the dependency.
    public let isFailure: @Sendable (any Error) -> Bool

    private struct Guarded: Sendable {
        var machine: CircuitBreakerMachine
        var timeline = PolicyTimeline()
    }

    private let guarded: Mutex<Guarded>
    /// What is wrong with the settings, worked out once: every call through the breaker fails with it.
    private let configurationProblem: String?

    /// Creates a closed breaker.
    ///
    /// A `failureThreshold` or `probes` below 1, a `window` not above zero or a negative `coolDown` make
    /// every call through the breaker fail with ``OrchestrationError/Code/invalidConfiguration``.
    ///
    /// - Parameters:
    ///   - name: Names the breaker in events and errors, as in `OpenAI`.
    ///   - failureThreshold: How many failures within `window` open the breaker.
    ///   - window: How far back failures count.
    ///   - coolDown: How long the breaker stays open before letting probes through.
    ///   - probes: How many probe calls run while half-open.
    ///   - isFailure: Which errors count as failures; all of them by default. Return `false` for errors
    ///     that are the caller's fault rather than the dependency's.
    public init(
        _ name: String,
        failureThreshold: Int = 5,
        window: Duration = .seconds(60),
        coolDown: Duration = .seconds(30),
        probes: Int = 1,
        isFailure: @escaping @Sendable (any Error) -> Bool = { _ in true }
    ) {
        self.name = name
        self.failureThreshold = failureThreshold
        self.window = window
        self.coolDown = coolDown
        self.probes = probes
        self.isFailure = isFailure
        configurationProblem = Orchestra.configurationProblem(
            of: "the circuit breaker '\(name)'",
            [
                ("failureThreshold \(failureThreshold)", failureThreshold < 1, "be at least 1"),
                ("probes \(probes)", probes < 1, "be at least 1"),
                ("window \(window)", window <= .zero, "be more than zero"),
                ("coolDown \(coolDown)", coolDown < .zero, "not be negative"),
            ])
        let machine = CircuitBreakerMachine(
            failureThreshold: failureThreshold, window: window, coolDown: coolDown, probes: probes)
        guarded = Mutex(Guarded(machine: machine))
    }

    /// The state after the last call. An open breaker whose cool-down has passed still reads
    /// ``State/open`` until the next call finds it half-open.
    public var state: State { guarded.withLock { $0.machine.state } }

    /// Closes the breaker and forgets its failures and its clock — between tests that share a breaker,
    /// say. The outcomes of calls let in before the reset do not count.
    public func reset() {
        guarded.withLock { guarded in
            guarded.machine.reset()
            guarded.timeline = PolicyTimeline()
        }
    }

    /// Lets the call of the state in `context` run, or refuses it.
    ///
    /// - Throws: ``OrchestrationError/Code/circuitOpen`` when refused;
    ///   ``OrchestrationError/Code/invalidConfiguration`` for a bad setting or another clock.
    func admit(_ context: RunContext) throws(OrchestrationError) -> CircuitBreakerMachine.Ticket {
        if let problem = configurationProblem { throw context.invalidConfiguration(problem) }
        let admission = try guarded.withLock { guarded throws(OrchestrationError) in
            do throws(PolicyTimeline.Mismatch) {
                return guarded.machine.admit(at: try guarded.timeline.now(on: context.clock))
            } catch {
                throw error.error("circuit breaker", name, context)
            }
        }
        switch admission {
        case .run(let ticket, let changed):
            if let changed { context.publish(.circuitChanged(breaker: name, to: changed)) }
            return ticket
        case .refuseOpen(let cause, let retryIn):
            let why =
                switch cause {
                case .failures(let count): "after \(count) failure\(count == 1 ? "" : "s") within \(window)"
                case .probeFailed: "after a probe call failed"
                }
            throw context.refusal(
                .circuitOpen,
                "the circuit breaker '\(name)' is open \(why), so state '\(context.path)' did not run; it lets a "
                    + "probe call through in \(retryIn.roundedUpToMilliseconds)"
            )
        case .refuseProbing:
            throw context.refusal(
                .circuitOpen,
                "the circuit breaker '\(name)' is half-open and its \(probes) probe call\(probes == 1 ? " is" : "s are") taken, so state "
                    + "'\(context.path)' did not run; try again once they succeed"
            )
        }
    }

    /// Takes the outcome of a call that `admit` let run.
    func record(_ error: (any Error)?, of ticket: CircuitBreakerMachine.Ticket, _ context: RunContext) {
        let outcome: CircuitBreakerMachine.Outcome =
            switch error {
            case nil: .success
            case let error? where context.isBeyondPolicies(error) || Self.isRefusal(error) || !isFailure(error):
                .ignored
            default: .failure
            }
        let changed = guarded.withLock { guarded -> State? in
            // Checked first, so that a call let in before a reset cannot bind the new time line to its clock.
            guard guarded.machine.counts(ticket), let now = try? guarded.timeline.now(on: context.clock) else {
                return nil
            }
            return guarded.machine.record(outcome, of: ticket, at: now)
        }
        if let changed { context.publish(.circuitChanged(breaker: name, to: changed)) }
    }

    /// Whether `error` is a policy inside the breaker refusing to run the call — a full bulkhead, a rate
    /// limit, another breaker — which says nothing about the dependency.
    private static func isRefusal(_ error: any Error) -> Bool {
        guard let error = error as? OrchestrationError else { return false }
        return error.code == .rejected || error.code == .circuitOpen
    }

}
