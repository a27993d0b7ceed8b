/// The token bucket of a ``RateLimiter``, as a "generic cell rate" schedule: rather than counting tokens,
/// it keeps the time by which every permit handed out so far will have been paid back, so that a call can
/// reserve its place at once and then wait exactly until its turn.
struct RateLimiterBucket: Sendable, Equatable {
    /// What a call does.
    enum Decision: Sendable, Equatable {
        /// Start after `wait`; `reservation` identifies the permit, to give it back if the wait is cut short.
        case start(wait: Duration, reservation: Duration)
        /// Do not start: the permit is `wait` away, beyond the most the call may wait.
        case refuse(wait: Duration)
    }

    /// The time one permit takes to come back.
    private let spacing: Duration
    /// How far ahead of the schedule a call may start: the burst beyond the first permit.
    private let tolerance: Duration
    /// When the permits handed out so far will all have come back; `nil` before the first.
    private var paidBack: Duration?

    init(permits: Int, per interval: Duration, burst: Int) {
        // Rounded up, so that `permits` starts never fit in less than `interval`; capped rather than
        // overflow, for a burst meant as "no limit".
        let permits = Int128(max(permits, 1))
        let spacing = (max(interval.attoseconds, 0) + permits - 1) / permits
        let (tolerance, overflow) = spacing.multipliedReportingOverflow(by: Int128(max(burst - 1, 0)))
        self.spacing = Duration(attoseconds: spacing)
        self.tolerance = Duration(attoseconds: overflow || tolerance > Self.longest ? Self.longest : tolerance)
    }

    /// A bound on the tolerance far beyond any real burst (about 3,000 years), which still leaves room to add
    /// times to it.
    private static let longest = Int128(1) << 96

    /// Takes a permit for a call arriving at `now`, if it can start within `maxWait`.
    mutating func take(at now: Duration, maxWait: Duration?) -> Decision {
        let due = max(paidBack ?? now, now)
        let wait = max(due - tolerance - now, .zero)
        if let maxWait, wait > maxWait { return .refuse(wait: wait) }
        paidBack = due + spacing
        return .start(wait: wait, reservation: due + spacing)
    }

    /// Gives back the permit of a call that will not start, if no later call has taken one since — a
    /// permit in the middle of the schedule is lost rather than let two calls share a turn.
    mutating func giveBack(_ reservation: Duration) {
        if paidBack == reservation { paidBack = reservation - spacing }
    }
}
