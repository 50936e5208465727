import Foundation
import Synchronization

/// Where the domain reads the time; tests inject a fixed one.
public protocol ClinicClock: Sendable {
    var now: Date { get }
}

/// The wall clock, to the microsecond: the precision every stored instant keeps, so a value read back from storage
/// compares equal to the one the domain saw (order checks never see a stored time "after" the current one).
public struct SystemClock: ClinicClock {
    public init() {}
    public var now: Date { Date(microsecondsSince1970: Date().microsecondsSince1970) }
}

/// Microseconds since 1970: the exact integer form of instants in storage and in the audit hash.
public extension Date {
    var microsecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
    init(microsecondsSince1970 us: Int64) { self.init(timeIntervalSince1970: Double(us) / 1_000_000) }
}

/// A clock set by hand: the demo replays a clinic's past through the real use cases with it.
public final class SettableClock: ClinicClock {
    private let current: Mutex<Date>
    public init(_ start: Date) { current = Mutex(Date(microsecondsSince1970: start.microsecondsSince1970)) }
    public var now: Date { current.withLock { $0 } }
    /// Moves the clock to an instant (to the microsecond, like the system clock).
    public func set(_ instant: Date) { current.withLock { $0 = Date(microsecondsSince1970: instant.microsecondsSince1970) } }
}
