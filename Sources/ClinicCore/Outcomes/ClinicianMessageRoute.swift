import Foundation
import Synchronization

/// The clinic's configured route for clinician messages beyond the app (set once at start-up by the server); without
/// one, messages stay in the in-app inbox only.
public final class ClinicianMessageRoute: Sendable {
    private let sender = Mutex<(any ClinicianMessageSender)?>(nil)

    public init() {}

    /// Uses this sender for every message from now on.
    public func use(_ newSender: (any ClinicianMessageSender)?) {
        sender.withLock { $0 = newSender }
    }

    var current: (any ClinicianMessageSender)? { sender.withLock { $0 } }
}
