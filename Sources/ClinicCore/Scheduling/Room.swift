import Foundation
import Tagged

/// A treatment room of the clinic.
public enum RoomTag {}
/// An infusion chair.
public enum ChairTag {}

/// A quiet treatment room and the infusion chairs in it (clinical-reference §1: "in a quiet room").
public struct Room: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<RoomTag, UUID>
    public var id: ID
    /// The name staff use ("Room 2").
    public var name: String
    /// The chairs in this room, in the order the board shows them.
    public var chairs: [Chair]

    public init(id: ID, name: String, chairs: [Chair]) {
        self.id = id
        self.name = name
        self.chairs = chairs
    }
}

/// An infusion chair; an inactive chair (out of service) takes no new bookings.
public struct Chair: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<ChairTag, UUID>
    public var id: ID
    /// The name staff use ("Chair 3").
    public var name: String
    /// False while the chair is out of service.
    public var isActive: Bool

    public init(id: ID, name: String, isActive: Bool = true) {
        self.id = id
        self.name = name
        self.isActive = isActive
    }
}

extension Array where Element == Room {
    /// Every chair of every room, in board order.
    public var allChairs: [Chair] { flatMap(\.chairs) }
}
