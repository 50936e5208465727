import Foundation
import Synchronization

/// Decoded charts and their latest screening, by patient. Writes through `Clinic` remove what they change before they
/// commit, so this instance never serves a chart older than its own last write; entries live `maxAge` seconds so a
/// write made by another instance shows up within that time.
final class ChartCache: Sendable {
    struct Entry: Sendable {
        var patient: Patient
        var latestScreening: Screening?
        var cachedAt: Date
    }
    private let entries = Mutex<[Patient.ID: Entry]>([:])
    /// Bumped by every removal; a read that started before a removal may not store what it read.
    private let generation = Atomic<UInt64>(0)

    /// Capture before reading from the database; pass to `put`.
    var currentGeneration: UInt64 { generation.load(ordering: .acquiring) }
    let maxAge: TimeInterval = 5
    let capacity = 20_000

    func get(_ id: Patient.ID, now: Date) -> Entry? {
        entries.withLock { e in
            guard let hit = e[id] else { return nil }
            if now.timeIntervalSince(hit.cachedAt) > maxAge || now < hit.cachedAt {
                e[id] = nil
                return nil
            }
            return hit
        }
    }

    func put(_ patient: Patient, _ latest: Screening?, now: Date, readAt: UInt64) {
        entries.withLock { e in
            // A write removed something since this read began: what was read may be older than that write.
            guard generation.load(ordering: .acquiring) == readAt else { return }
            if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            e[patient.id] = Entry(patient: patient, latestScreening: latest, cachedAt: now)
        }
    }

    /// Called inside the write (before commit) and again after it commits.
    func remove(_ id: Patient.ID) {
        entries.withLock { e in
            generation.add(1, ordering: .releasing)
            e.removeValue(forKey: id)
        }
    }
}
