import Orchestra
import OrchestraTesting
import Testing

@Suite("Resilience: soak", .timeLimit(.minutes(2)))
struct SoakTests {
    static let lanes = 10
    static let runsPerLane = 1_000

    /// What a run should end with, worked out from the same seeded draws the faults make.
    enum Expected: Equatable {
        case model(Int)
        case backup(Int)
        case backupFailed(call: Int)
    }

    /// Replays the faults' generators: each model call fails with 20%, else hangs with 5%; each backup call
    /// fails with 30%. Up to three model attempts (a hang times out), then the backup.
    struct Oracle {
        var failing: SeededGenerator
        var hanging: SeededGenerator
        var backupFailing: SeededGenerator
        var backupCalls = 0

        init(lane: UInt64) {
            failing = SeededGenerator(seed: lane)
            hanging = SeededGenerator(seed: lane + 100)
            backupFailing = SeededGenerator(seed: lane + 200)
        }

        /// The run's outcome, and which of its model attempts hang.
        mutating func run(_ n: Int) -> (Expected, hangs: Int) {
            var hangs = 0
            for _ in 1...3 {
                let fails = failing.nextUnit() < 0.2
                let hang = hanging.nextUnit() < 0.05
                if fails { continue }
                if hang {
                    hangs += 1
                    continue
                }
                return (.model(n * 2), hangs)
            }
            backupCalls += 1
            return (backupFailing.nextUnit() < 0.3 ? .backupFailed(call: backupCalls) : .backup(-n), hangs)
        }
    }

    @Test("10,000 runs under seeded faults each end as the faults say, and leave nothing running")
    func soak() async throws {
        let bulkhead = Bulkhead("Shared", maxConcurrent: 4)
        let totals = try await withThrowingTaskGroup(of: [String: Int].self) { group in
            for lane in 0..<Self.lanes {
                group.addTask { try await Self.lane(UInt64(lane), bulkhead: bulkhead) }
            }
            return try await group.reduce(into: [:]) { totals, lane in totals.merge(lane, uniquingKeysWith: +) }
        }
        let outcomes = ["model", "backup", "backupFailed"]
        #expect(outcomes.map { totals[$0, default: 0] }.reduce(0, +) == Self.lanes * Self.runsPerLane)
        // Every kind of outcome happened, and timeouts too, so the soak went down every path.
        for kind in outcomes + ["timeouts"] { #expect(totals[kind, default: 0] > 0, "no \(kind)") }
        #expect(bulkhead.running == 0)
        #expect(bulkhead.queued == 0)
    }

    /// Runs one lane's runs one after another on its own clock, checking each outcome; returns counts.
    static func lane(_ lane: UInt64, bulkhead: Bulkhead) async throws -> [String: Int] {
        let clock = ManualClock()
        let model = Runnable<Int, Int>("Model") { n, _ in n * 2 }
            .injectingFaults(
                .fail(probability: 0.2, seed: lane), .hangUntilCancelled(probability: 0.05, seed: lane + 100))
        let backup = Runnable<Int, Int>("Backup") { n, _ in -n }
            .injectingFaults(.fail(probability: 0.3, seed: lane + 200))
        let guarded = model.timeout(.seconds(30))
            .retry(RetryPolicy(maxAttempts: 3, initialDelay: .zero, jitter: .none))
            .fallback(to: backup)
            .bulkhead(bulkhead)
        let orchestration = Orchestration(guarded, options: .init(clock: clock))
        var oracle = Oracle(lane: lane)
        var hangsSoFar = 0
        var counts: [String: Int] = [:]
        for n in 0..<runsPerLane {
            let (expected, hangs) = oracle.run(n)
            let handle = orchestration.start(n)
            for _ in 0..<hangs {
                hangsSoFar += 1
                await model.waitForHangs(hangsSoFar)
                await clock.waitForSleepers(1)
                clock.advance(by: .seconds(30))
                counts["timeouts", default: 0] += 1
            }
            switch (await handle.result, expected) {
            case (.success(let value), .model(let output)):
                #expect(value == output, "lane \(lane) run \(n)")
                counts["model", default: 0] += 1
            case (.success(let value), .backup(let output)):
                #expect(value == output, "lane \(lane) run \(n)")
                counts["backup", default: 0] += 1
            case (.failure(let error), .backupFailed(let call)):
                #expect(error.code == .stateFailed, "lane \(lane) run \(n)")
                #expect(error.state == "Model/Backup")
                #expect(error.underlying as? InjectedFault == InjectedFault(state: "Backup", call: call))
                counts["backupFailed", default: 0] += 1
            case (let result, let expected):
                Issue.record("lane \(lane) run \(n): expected \(expected), got \(result)")
            }
        }
        #expect(model.running == 0 && backup.running == 0, "a call of lane \(lane) is still running")
        #expect(model.hanging == 0)
        #expect(clock.sleeperCount == 0, "a timer of lane \(lane) is still asleep")
        #expect(backup.calls == oracle.backupCalls)
        return counts
    }
}
