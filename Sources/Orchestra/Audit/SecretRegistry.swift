import Synchronization

/// The secrets this process holds, so that every ``AuditLog`` can cut them out of what it writes without the user
/// naming them again: each ``Sensitive`` value registers here as it is made, and so do OrchestraAgents' API keys.
///
/// Bounded: each of two pools — credentials (API keys, credential headers), and other values (``Sensitive``) —
/// keeps at most ``capacity`` values, the least recently registered forgotten first, so that a program that marks every request
/// sensitive neither grows without end nor pushes its API keys out. Values shorter than ``minimumLength`` are
/// ignored: redacting every `ab` of a log would make it unreadable and protect nothing. Secrets stay in memory, as
/// they are anyway; nothing here is written anywhere.
package enum SecretRegistry {
    /// The most values each pool keeps.
    package static let capacity = 1_024
    /// The fewest characters a value needs to be redacted.
    package static let minimumLength = 4

    /// Where a secret comes from, each with its own bound.
    package enum Pool: Sendable {
        /// A credential: an API key, the value of a credential header, a URL's password.
        case credential
        /// A value a user marked ``Sensitive``.
        case value
    }

    private struct Storage {
        var credentials = RecentSecrets(capacity: capacity)
        var values = RecentSecrets(capacity: capacity)
        /// Grows with every change, so that a redactor can keep its sorted copy until the set changes.
        var version = 0
    }

    private static let storage = Mutex(Storage())

    /// Remembers `value` as a secret, unless it is too short or already known.
    package static func register(_ value: String, as pool: Pool) {
        guard value.count >= minimumLength else { return }
        storage.withLock { storage in
            let inserted =
                switch pool {
                case .credential: storage.credentials.insert(value)
                case .value: storage.values.insert(value)
                }
            if inserted { storage.version += 1 }
        }
    }

    /// The secrets known, with the version of the set; `nil` when the caller's `version` is current.
    static func values(ifChangedSince version: Int) -> (values: [String], version: Int)? {
        storage.withLock { storage in
            storage.version == version ? nil : (storage.credentials.order + storage.values.order, storage.version)
        }
    }
}

/// The most recently registered distinct values, at most `capacity`: a pool of ``SecretRegistry``. A value
/// registered again counts as recent again, so that a secret wrapped on every request is never pushed out by
/// the other values that come and go between.
struct RecentSecrets {
    let capacity: Int
    /// Each value kept, with the serial of its latest registration.
    private var serials: [String: Int] = [:]
    /// Registrations, oldest first from `head`; one whose serial is no longer its value's is stale.
    private var queue: [(value: String, serial: Int)] = []
    private var head = 0
    private var serial = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The values kept, least recently registered first.
    var order: [String] {
        queue[head...].filter { serials[$0.value] == $0.serial }.map(\.value)
    }

    /// Adds `value`, or makes it the most recent, forgetting the least recent when full; `false` when it was known.
    mutating func insert(_ value: String) -> Bool {
        serial += 1
        let known = serials.updateValue(serial, forKey: value) != nil
        queue.append((value, serial))
        while serials.count > capacity, head < queue.count {
            let oldest = queue[head]
            if serials[oldest.value] == oldest.serial { serials.removeValue(forKey: oldest.value) }
            head += 1
        }
        // Registrations made stale by later ones pile up: keep the queue within a few times the capacity.
        if queue.count - head > 4 * Swift.max(capacity, 1) {
            queue = queue[head...].filter { serials[$0.value] == $0.serial }
            head = 0
        } else if head > Swift.max(capacity, 1) {
            queue.removeFirst(head)
            head = 0
        }
        return !known
    }
}
