import Synchronization

/// The secrets this process holds, so that every ``AuditLog`` can cut them out of what it writes without the user
/// naming them again: each ``Sensitive`` value registers here as it is made, and so does OrchestraAgents' `APIKey`.
///
/// Bounded: at most ``capacity`` values, the oldest forgotten first, so that a program that marks every request
/// sensitive does not grow without end. Values shorter than ``minimumLength`` are ignored: redacting every `ab`
/// of a log would make it unreadable and protect nothing. Secrets stay in memory, as they are anyway; nothing here
/// is written anywhere.
package enum SecretRegistry {
    /// The most values kept.
    package static let capacity = 1_024
    /// The fewest characters a value needs to be redacted.
    package static let minimumLength = 4

    private struct Storage {
        var order: [String] = []
        var members: Set<String> = []
        /// Grows with every change, so that a redactor can keep its sorted copy until the set changes.
        var version = 0
    }

    private static let storage = Mutex(Storage())

    /// Remembers `value` as a secret, unless it is too short or already known.
    package static func register(_ value: String) {
        guard value.count >= minimumLength else { return }
        storage.withLock { storage in
            guard storage.members.insert(value).inserted else { return }
            storage.order.append(value)
            if storage.order.count > capacity { storage.members.remove(storage.order.removeFirst()) }
            storage.version += 1
        }
    }

    /// The secrets known, with the version of the set; `nil` values when the caller's `version` is current.
    static func values(ifChangedSince version: Int) -> (values: [String], version: Int)? {
        storage.withLock { storage in
            storage.version == version ? nil : (storage.order, storage.version)
        }
    }
}
