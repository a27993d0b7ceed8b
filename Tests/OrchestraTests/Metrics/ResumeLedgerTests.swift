import Foundation
import Testing

@testable import Orchestra

@Suite("Resume ledger: which steps of a resumed run's record are new")
struct ResumeLedgerTests {
    /// A record of `states` as (step, name, failed), with every step of the machine itself.
    static func record(_ id: RunID, _ status: RunRecord.Status, _ steps: [(Int, String, Bool)]) -> RunRecord {
        var record = RunRecord(runID: id, startedAt: Date(timeIntervalSince1970: 0))
        record.status = status
        record.steps = steps.map {
            RunRecord.Step(step: $0.0, state: $0.1, start: .zero, duration: .zero, failed: $0.2)
        }
        return record
    }

    @Test("with the earlier record known, the new part is what follows its steps, even when nothing ran")
    func knownEarlierRecord() {
        var ledger = ResumeLedger()
        let id = RunID()
        let failed = Self.record(id, .failed, [(1, "Before", false), (2, "Flaky", true)])
        #expect(ledger.end(failed, time: .seconds(1)) == (0, nil, nil))
        ledger.resume(id, at: 2, time: .seconds(5))
        // Cancelled before Flaky began again: nothing is new.
        let cancelled = Self.record(id, .cancelled, [(1, "Before", false), (2, "Flaky", true)])
        let part = ledger.end(cancelled, time: .seconds(6))
        #expect(part.first == 2)
        #expect(part.resumedAt == 2)
        #expect(part.duration == .seconds(1))
        ledger.resume(id, at: 2, time: .seconds(7))
        let done = Self.record(id, .completed, [(1, "Before", false), (2, "Flaky", true), (2, "Flaky", false)])
        #expect(ledger.end(done, time: .seconds(8)).first == 2)
    }

    @Test("without it, the new part begins at the last step of the machine numbered as the resumed step")
    func unknownEarlierRecord() {
        let id = RunID()
        let done = Self.record(id, .completed, [(1, "Before", false), (2, "Flaky", true), (2, "Flaky", false)])
        #expect(ResumeLedger.start(of: done, resumedAt: 2) == 2)
        var ledger = ResumeLedger()
        ledger.resume(id, at: 2, time: .zero)
        #expect(ledger.end(done, time: .seconds(1)).first == 2)
        #expect(ResumeLedger.start(of: done, resumedAt: 9) == 3)
    }

    @Test("it remembers the most recent runs only, so memory stays bounded")
    func bounded() {
        var ledger = ResumeLedger()
        let ids = (0...ResumeLedger.capacity).map { _ in RunID() }
        let steps = [(1, "Before", false), (2, "Flaky", true)]
        for id in ids { _ = ledger.end(Self.record(id, .failed, steps), time: .zero) }
        ledger.resume(ids[1], at: 2, time: .zero)
        #expect(ledger.end(Self.record(ids[1], .failed, steps), time: .zero).first == 2)
        // The oldest is forgotten: its resumed record is read by the step, which counts the old attempt again.
        ledger.resume(ids[0], at: 2, time: .zero)
        #expect(ledger.end(Self.record(ids[0], .failed, steps), time: .zero).first == 1)
    }
}
