/// The orchestration's clock, erased once so that reading it costs one indirect call.
///
/// Times in events and records are offsets from the moment the clock box was made: the
/// clock's instants are not comparable across clock types, but their distances are `Duration`s.
final class RunClock: Sendable {
    private let reading: @Sendable () -> Duration
    /// The clock as the user gave it, for `RunContext.clock` and sleeping.
    let clock: any Clock<Duration>

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
}
