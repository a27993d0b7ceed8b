/// The decisions of a ``CircuitBreaker``, as pure transitions over time readings: whether a call may
/// run, and what its outcome does to the breaker. The breaker carries them out and publishes events.
struct CircuitBreakerMachine: Sendable {
    /// Where the breaker is, with what that phase remembers.
    enum Phase: Sendable, Equatable {
        /// Calls run; `failures` are the times of the recent failures, oldest first.
        case closed(failures: [Duration])
        /// Calls are refused since `since`, because of `cause`.
        case open(since: Duration, cause: Cause)
        /// Up to `probes` calls run as probes; `running` are in flight and `succeeded` came back well.
        case halfOpen(running: Int, succeeded: Int)
    }

    /// Why the breaker opened.
    enum Cause: Sendable, Equatable {
        /// `count` failures within the window.
        case failures(Int)
        /// A probe failed while half-open.
        case probeFailed
    }

    /// A call allowed to run: which phase let it in, so that an outcome arriving after the breaker moved
    /// on (a slow call admitted while closed, ending when half-open) does not count.
    struct Ticket: Sendable, Equatable {
        let generation: Int
        let isProbe: Bool
    }

    /// What a call may do.
    enum Admission: Sendable, Equatable {
        /// Run, holding `ticket`; the breaker changed to `changed` in letting it in (open to half-open).
        case run(Ticket, changed: CircuitBreaker.State?)
        /// Do not run: the breaker is open and lets a probe through after `retryIn`.
        case refuseOpen(Cause, retryIn: Duration)
        /// Do not run: the breaker is half-open and its probes are all taken.
        case refuseProbing
    }

    /// How a call ended, for the breaker.
    enum Outcome: Sendable, Equatable {
        case success
        case failure
        /// Neither: cancelled, or an error the breaker does not count.
        case ignored
    }

    let failureThreshold: Int
    let window: Duration
    let coolDown: Duration
    let probes: Int
    private(set) var phase = Phase.closed(failures: [])
    /// Counts the phase changes; tickets from an earlier phase do not count.
    private(set) var generation = 0

    init(failureThreshold: Int, window: Duration, coolDown: Duration, probes: Int) {
        self.failureThreshold = failureThreshold
        self.window = window
        self.coolDown = coolDown
        self.probes = probes
    }

    /// Closes the breaker and forgets its failures; the outcomes of calls let in before do not count.
    mutating func reset() {
        move(to: .closed(failures: []))
    }

    /// Whether the outcome of the call holding `ticket` still counts: the breaker has not moved on since.
    func counts(_ ticket: Ticket) -> Bool { ticket.generation == generation }

    /// The state as the public API names it.
    var state: CircuitBreaker.State {
        switch phase {
        case .closed: .closed
        case .open: .open
        case .halfOpen: .halfOpen
        }
    }

    /// Decides whether a call arriving at `now` runs.
    mutating func admit(at now: Duration) -> Admission {
        switch phase {
        case .closed:
            return .run(Ticket(generation: generation, isProbe: false), changed: nil)
        case .open(let since, let cause):
            let elapsed = now - since
            guard elapsed >= coolDown else { return .refuseOpen(cause, retryIn: coolDown - elapsed) }
            move(to: .halfOpen(running: 1, succeeded: 0))
            return .run(Ticket(generation: generation, isProbe: true), changed: .halfOpen)
        case .halfOpen(let running, let succeeded):
            guard running + succeeded < probes else { return .refuseProbing }
            phase = .halfOpen(running: running + 1, succeeded: succeeded)
            return .run(Ticket(generation: generation, isProbe: true), changed: nil)
        }
    }

    /// Takes the outcome of the call holding `ticket`, ending at `now`.
    ///
    /// - Returns: The state the breaker changed to, if it changed.
    mutating func record(_ outcome: Outcome, of ticket: Ticket, at now: Duration) -> CircuitBreaker.State? {
        guard counts(ticket) else { return nil }
        switch (phase, outcome) {
        case (.closed(var failures), .failure):
            failures.removeAll { $0 <= now - window }
            failures.append(now)
            if failures.count >= failureThreshold {
                move(to: .open(since: now, cause: .failures(failures.count)))
                return .open
            }
            phase = .closed(failures: Array(failures.suffix(failureThreshold)))
            return nil
        case (.halfOpen, .failure):
            move(to: .open(since: now, cause: .probeFailed))
            return .open
        case (.halfOpen(let running, let succeeded), .success):
            if succeeded + 1 >= probes {
                move(to: .closed(failures: []))
                return .closed
            }
            phase = .halfOpen(running: running - 1, succeeded: succeeded + 1)
            return nil
        case (.halfOpen(let running, let succeeded), .ignored):
            phase = .halfOpen(running: running - 1, succeeded: succeeded)
            return nil
        case (.closed, .success), (.closed, .ignored), (.open, _):
            return nil
        }
    }

    private mutating func move(to next: Phase) {
        phase = next
        generation += 1
    }
}
