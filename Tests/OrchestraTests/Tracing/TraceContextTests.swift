import Foundation
import Orchestra
import Synchronization
import Testing

@Suite("Trace context: trace and span ids, and the W3C traceparent header")
struct TraceContextTests {
    @Test("a traceparent is written as W3C spells it and read back")
    func traceparentRoundTrip() throws {
        let example = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let context = try #require(TraceContext(traceparent: example))
        #expect(context.traceID.high == 0x4bf9_2f35_77b3_4da6 && context.traceID.low == 0xa3ce_929d_0e0e_4736)
        #expect(context.spanID.rawValue == 0x00f0_67aa_0ba9_02b7)
        #expect(context.isSampled)
        #expect(context.traceparent == example)
        let unsampled = try #require(
            TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))
        #expect(!unsampled.isSampled)
        // A later version may add fields, which are ignored.
        #expect(TraceContext(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") != nil)
    }

    @Test(
        "what is not a traceparent is refused",
        arguments: [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // no flags
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // trace id one digit short
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",  // span id one digit short
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is invalid
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has four fields
            "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",  // not hex
            "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // a sign is not a digit
            "+0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // a sign is not a version digit
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-+1",  // nor a flags digit
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // W3C: lowercase hex only
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01extra",  // a later version's fields follow a '-'
        ])
    func refusesMalformed(_ header: String) {
        #expect(TraceContext(traceparent: header) == nil)
    }

    @Test("ids encode as their hex digits, and a bad one fails to decode")
    func codable() throws {
        let context = TraceContext(traceID: RunID().traceID, spanID: RunID().spanID(step: 3))
        let data = try JSONEncoder().encode(context)
        #expect(try JSONDecoder().decode(TraceContext.self, from: data) == context)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("\"\(context.spanID)\"") && json.contains("\"\(context.traceID)\""), "\(json)")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SpanID.self, from: Data(#""0000000000000000""#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TraceID.self, from: Data(#""abc""#.utf8)) }
    }

    @Test("a run's trace id is its id's bytes, and its steps' spans are distinct")
    func runSpans() throws {
        let id = RunID(try #require(UUID(uuidString: "4BF92F35-77B3-4DA6-A3CE-929D0E0E4736")))
        #expect(id.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        let spans = (0...10_000).map { id.spanID(step: $0) }
        #expect(Set(spans).count == spans.count)
        #expect(id.spanID == id.spanID(step: 0))
        #expect(RunID().spanID(step: 1) != id.spanID(step: 1))
    }

    @Test("events carry spans: the run is the root, its states its children, a composite's children the composite's")
    func eventSpans() async throws {
        let seen = Mutex<[String: TraceContext]>([:])
        func noting(_ name: String) -> Runnable<Int, Int> {
            Runnable(name) { n, context in
                seen.withLock { $0[name] = context.trace }
                return n + 1
            }
        }
        let first = noting("First")
        let inner = Pipeline(name: "Inner") {
            noting("A")
            noting("B")
        }
        let outer = Pipeline(name: "Outer") {
            noting("Before")
            inner
        }
        first.advance(to: outer, label: "always")
        let handle = Orchestration(start: first, exit: outer).start(0)
        _ = try await handle.value
        var events: [OrchestrationEvent] = []
        for await event in handle.events { events.append(event) }
        let id = handle.id
        let root = id.spanID
        for event in events {
            #expect(event.traceID == id.traceID)
            if event.isRunLevel {
                #expect(event.spanID == root && event.parentSpanID == nil, "\(event)")
            } else {
                #expect(event.spanID == id.spanID(step: event.step), "\(event)")
            }
        }
        func started(_ path: String) throws -> OrchestrationEvent {
            try #require(events.first { $0.path.description == path && $0.kind.name == "stateStarted" }, "\(path)")
        }
        let outerEvent = try started("Outer")
        let innerEvent = try started("Outer/Inner")
        #expect(try started("First").parentSpanID == root)
        #expect(outerEvent.parentSpanID == root)
        #expect(try started("Outer/Before").parentSpanID == outerEvent.spanID)
        #expect(innerEvent.parentSpanID == outerEvent.spanID)
        #expect(try started("Outer/Inner/A").parentSpanID == innerEvent.spanID)
        #expect(try started("Outer/Inner/B").parentSpanID == innerEvent.spanID)
        // What a state sees as its trace is its events' span.
        #expect(seen.withLock { $0["A"] } == (try started("Outer/Inner/A")).trace)
        #expect(seen.withLock { $0["First"] }?.traceparent == "00-\(id.traceID)-\(id.spanID(step: 1))-01")
        let spans = events.filter { !$0.isRunLevel }.map(\.spanID)
        #expect(Set(spans).count == 6, "one span per state: \(spans)")
    }

    @Test("a transition event carries the label of the advancer that chose it")
    func transitionLabel() async throws {
        let check = Runnable<Int, Int>("Check") { n, _ in n }
        let small = Runnable<Int, Int>("Small") { n, _ in n }
        let large = Runnable<Int, Int>("Large") { n, _ in n }
        let done = Runnable<Int, Int>("Done") { n, _ in n }
        check.advance(to: large, label: "large", when: { $0 > 10 }).advance(to: small)
        small.advance(to: done)
        large.advance(to: done)
        let orchestration = Orchestration(start: check, exit: done)
        for (input, expected) in [(50, ("Large", "large" as String?)), (1, ("Small", nil))] {
            let handle = orchestration.start(input)
            _ = try await handle.value
            var transitions: [(String, String?)] = []
            for await event in handle.events {
                if case .transition(let next) = event.kind {
                    transitions.append((next, event.label))
                } else {
                    #expect(event.label == nil)
                }
            }
            #expect(transitions.count == 2)
            #expect(transitions.first?.0 == expected.0 && transitions.first?.1 == expected.1, "\(transitions)")
        }
    }
}
