import Synchronization

/// The orchestration's clock, erased once so that reading it costs one indirect call.
///
/// Times in events and records are offsets from the moment the clock box was made: the
/// clock's instants are not comparable across clock types, but their distances are `Duration`s.
final class RunClock: Sendable {
    private let reading: @Sendable () -> Duration
    /// The clock as the user gave it, for `RunContext.clock` and sleeping.
    let clock: any Clock<Duration>
    /// The deadlines of the orchestration's timeouts, on this clock; made on first use.
    private let lazyDeadlines = Mutex<Deadlines?>(nil)

    init(_ clock: any Clock<Duration>) {
        self.clock = clock
        if clock is ContinuousClock {
            // The default clock, read without witness-table calls: this runs at every transition.
            let origin = ContinuousClock.now
            reading = { origin.duration(to: .now) }
        } else {
            reading = Self.makeReading(clock)
        }
    }

    private static func makeReading<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let origin = clock.now
        return { origin.duration(to: clock.now) }
    }

    /// The time elapsed since the clock box was made.
    func now() -> Duration { reading() }

    /// The deadlines of the orchestration's timeouts.
    var deadlines: Deadlines {
        lazyDeadlines.withLock { lazy in
            if let deadlines = lazy { return deadlines }
            // A cancelled sleep on the continuous clock leaves a timer behind; on a test's clock it costs nothing.
            let deadlines = Deadlines(clock: clock, now: reading, lapsesWhenIdle: clock is ContinuousClock)
            lazy = deadlines
            return deadlines
        }
    }
}
