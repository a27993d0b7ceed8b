/// Something that goes wrong on purpose in a ``FaultInjector``: a failure, a delay or a hang, on the calls
/// its trigger picks.
///
/// ```swift
/// let search = Search().injectingFaults(.failFirst(2))                          // two failures, then fine
/// let flaky = Search().injectingFaults(.fail(probability: 0.3, seed: 42))       // the same 30% every run
/// let slow = Search().injectingFaults(.delay(.seconds(5)))                      // on the run's clock
/// let stuck = Search().injectingFaults(.hangUntilCancelled)                     // for timeouts
/// ```
public struct Fault: Sendable {
    /// What the fault does to a call it picks.
    enum Action: Sendable {
        case fail((any Error)?)
        case delay(Duration)
        case hang
    }

    /// Which calls the fault picks.
    enum Trigger: Sendable {
        case always
        case firstCalls(Int)
        case probability(Double, seed: UInt64)
    }

    let action: Action
    let trigger: Trigger

    /// Fails the first `count` calls, then lets every call through.
    ///
    /// - Parameters:
    ///   - count: How many calls fail.
    ///   - error: The error they throw; an ``InjectedFault`` naming the state and the call by default.
    public static func failFirst(_ count: Int, with error: (any Error)? = nil) -> Fault {
        Fault(action: .fail(error), trigger: .firstCalls(count))
    }

    /// Fails each call with `probability`, drawn from a generator seeded with `seed`: the same calls fail
    /// in every test run (when the calls come in the same order).
    ///
    /// - Parameters:
    ///   - probability: The chance that a call fails, from 0 to 1.
    ///   - seed: Seeds the draws.
    ///   - error: The error they throw; an ``InjectedFault`` naming the state and the call by default.
    public static func fail(probability: Double, seed: UInt64, with error: (any Error)? = nil) -> Fault {
        Fault(action: .fail(error), trigger: .probability(probability, seed: seed))
    }

    /// Delays every call by `duration` on the run's clock, before it runs.
    ///
    /// - Parameter duration: How long.
    public static func delay(_ duration: Duration) -> Fault {
        Fault(action: .delay(duration), trigger: .always)
    }

    /// Delays each call with `probability`, drawn from a generator seeded with `seed`.
    ///
    /// - Parameters:
    ///   - duration: How long.
    ///   - probability: The chance that a call is delayed, from 0 to 1.
    ///   - seed: Seeds the draws.
    public static func delay(_ duration: Duration, probability: Double, seed: UInt64) -> Fault {
        Fault(action: .delay(duration), trigger: .probability(probability, seed: seed))
    }

    /// Makes every call hang until its task is cancelled — by a timeout, or by cancelling the run — and then
    /// throw `CancellationError`.
    public static let hangUntilCancelled = Fault(action: .hang, trigger: .always)

    /// Makes each call hang until cancelled with `probability`, drawn from a generator seeded with `seed`.
    ///
    /// - Parameters:
    ///   - probability: The chance that a call hangs, from 0 to 1.
    ///   - seed: Seeds the draws.
    public static func hangUntilCancelled(probability: Double, seed: UInt64) -> Fault {
        Fault(action: .hang, trigger: .probability(probability, seed: seed))
    }
}
