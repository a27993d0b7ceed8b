import Synchronization

/// The secrets this process holds, so that every ``AuditLog`` can cut them out of what it writes without the user
/// naming them again: each ``Sensitive`` value registers here as it is made, and so do OrchestraAgents' API keys.
///
/// Bounded: each of two pools — credentials (API keys, credential headers), and other values (``Sensitive``) —
/// keeps at most ``capacity`` values, the oldest forgotten first, so that a program that marks every request
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

/// The most recent distinct values, at most `capacity`: a pool of ``SecretRegistry``.
struct RecentSecrets {
    let capacity: Int
    private(set) var order: [String] = []
    private var members: Set<String> = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds `value`, forgetting the oldest when full; `false` when it was known.
    mutating func insert(_ value: String) -> Bool {
        guard members.insert(value).inserted else { return false }
        order.append(value)
        if order.count > capacity { members.remove(order.removeFirst()) }
        return true
    }
}
