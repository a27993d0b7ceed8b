/// The time line of a policy shared by many runs — a ``CircuitBreaker``, a ``RateLimiter`` — read from
/// the clock of whichever run calls it, so that tests drive it with a manual clock.
///
/// The first reading binds the time line to that clock; later readings are durations since then. A
/// reading from another kind of clock, or from another instance of a clock class (two `ManualClock`s),
/// would mix time lines that cannot be compared, so it is refused.
struct PolicyTimeline: Sendable {
    private struct Binding: Sendable {
        let clockType: ObjectIdentifier
        /// The clock itself, held so that a clock class's instance cannot be freed and another one take its
        /// address — and its identity.
        let clock: any Clock<Duration>
        let clockName: String
        let origin: any InstantProtocol<Duration>
    }

    private var binding: Binding?

    init() {}

    /// The time since the first reading, on `clock`.
    ///
    /// - Throws: ``Mismatch`` when `clock` is not the clock of the first reading.
    mutating func now(on clock: any Clock<Duration>) throws(Mismatch) -> Duration {
        try now(onClock: clock)
    }

    private mutating func now<C: Clock<Duration>>(onClock clock: C) throws(Mismatch) -> Duration {
        let instant = clock.now
        guard let bound = binding else {
            binding = Binding(
                clockType: ObjectIdentifier(C.self), clock: clock, clockName: "\(C.self)", origin: instant)
            return .zero
        }
        guard bound.clockType == ObjectIdentifier(C.self), Self.isSameInstance(bound.clock, clock),
            let origin = bound.origin as? C.Instant
        else {
            let other = bound.clockType == ObjectIdentifier(C.self) ? "another \(C.self)" : "a \(C.self)"
            throw Mismatch(first: bound.clockName, now: other)
        }
        return origin.duration(to: instant)
    }

    /// Whether two clocks of one type are one: the same object, for a class; always, for a value type,
    /// whose instances share one time line (every `ContinuousClock` reads the same time).
    private static func isSameInstance<C: Clock<Duration>>(_ bound: any Clock<Duration>, _ clock: C) -> Bool {
        guard C.self is AnyObject.Type else { return true }
        return (bound as AnyObject) === (clock as AnyObject)
    }

    /// A reading from a clock other than the one the time line is bound to.
    struct Mismatch: Error {
        /// The type of the first clock.
        let first: String
        /// The clock of the refused reading, as in `another ManualClock`.
        let now: String

        /// The configuration error for the policy `name` of `kind` (as in `circuit breaker`), called by
        /// `context`.
        func error(_ kind: String, _ name: String, _ context: RunContext) -> OrchestrationError {
            context.invalidConfiguration(
                "the \(kind) '\(name)' measures time on the clock of the first run that used it, a \(first), "
                    + "but state '\(context.path)' runs on \(now); runs on different clocks need their own \(kind)"
            )
        }
    }
}
