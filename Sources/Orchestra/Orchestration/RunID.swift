public import Foundation
import Synchronization

/// The identity of one run, unique across processes.
///
/// Made from a per-process random seed and a counter, mixed so that ids look random; making
/// one costs a few nanoseconds (no system call per run). An id identifies a run; it is not a
/// secret: ids of one process are predictable from one another, so never treat knowing one as
/// permission to act on the run.
public struct RunID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The id as a UUID.
    public let uuid: UUID

    /// Wraps an existing UUID, for example one read back from a record.
    ///
    /// - Parameter uuid: The run's UUID.
    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    /// Makes a new, unique id.
    public init() {
        let n = Self.counter.add(1, ordering: .relaxed).newValue
        // Version 4 layout (byte 6) and RFC 4122 variant (byte 8), set on the words: no array per id.
        let high = (Self.mix(Self.seed.high &+ n) & ~0xF000) | 0x4000
        let low = (Self.mix(Self.seed.low ^ n) & ~(0xC0 << 56)) | (0x80 << 56)
        uuid = withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }

    /// The UUID string, as in `E621E1F8-C36C-495A-93FC-0C247A3E6E5F`.
    public var description: String { uuid.uuidString }

    /// Encodes as the UUID string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(uuid)
    }

    /// Decodes from a UUID string.
    public init(from decoder: any Decoder) throws {
        uuid = try decoder.singleValueContainer().decode(UUID.self)
    }

    private static let counter = Atomic<UInt64>(0)
    private static let seed: (high: UInt64, low: UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()

    /// SplitMix64's finalizer: a bijection, so distinct counters give distinct halves.
    private static func mix(_ value: UInt64) -> UInt64 {
        (value &+ 0x9E37_79B9_7F4A_7C15).splitMixFinalized
    }
}

extension UInt64 {
    /// SplitMix64's finalizer: a bijection that spreads every bit of the value over all of the result's, for run ids
    /// and span ids.
    var splitMixFinalized: UInt64 {
        var z = (self ^ (self >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
