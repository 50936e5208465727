import Foundation
import Synchronization

/// An in-memory cache of valid sessions by token hash, so an authenticated request costs no query.
/// Revocation on this instance removes entries at once; entries are re-checked against the database after
/// `maxAge`, so a revocation on another instance takes effect within that time.
final class SignInCache: Sendable {
    struct Entry: Sendable {
        var user: User
        var token: AuthToken
        var cachedAt: Date
    }
    private let entries = Mutex<[String: Entry]>([:])
    let maxAge: TimeInterval = 30

    func get(_ hash: String, now: Date) -> Entry? {
        entries.withLock { e in
            guard let entry = e[hash] else { return nil }
            if now.timeIntervalSince(entry.cachedAt) > maxAge {
                e[hash] = nil
                return nil
            }
            return entry
        }
    }

    func put(_ entry: Entry) {
        entries.withLock { e in
            if e.count > 50_000 { e.removeAll() }
            e[entry.token.hash] = entry
        }
    }

    func touch(_ hash: String, at: Date) {
        entries.withLock { $0[hash]?.token.lastSeenAt = at }
    }

    func remove(_ hash: String) {
        _ = entries.withLock { $0.removeValue(forKey: hash) }
    }

    func remove(user: User.ID) {
        entries.withLock { e in e = e.filter { $0.value.user.id != user } }
    }
}
