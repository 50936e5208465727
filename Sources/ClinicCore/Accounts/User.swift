import Foundation

/// A person who signs in: staff of one of the roles, or (later) a patient or a bedside device.
public struct User: Sendable, Hashable, Codable, Identifiable {
    public var id: ID
    public var email: String
    public var displayName: String
    public var role: Role
    public var isDisabled: Bool
    public var mustChangePassword: Bool
    public var failedSignIns: Int
    public var lockedUntil: Date?
    public var createdAt: Date

    public init(id: ID, email: String, displayName: String, role: Role, isDisabled: Bool = false,
                mustChangePassword: Bool = false, failedSignIns: Int = 0, lockedUntil: Date? = nil, createdAt: Date) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.isDisabled = isDisabled
        self.mustChangePassword = mustChangePassword
        self.failedSignIns = failedSignIns
        self.lockedUntil = lockedUntil
        self.createdAt = createdAt
    }
}

/// The seven roles of the access table (DESIGN §4).
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case admin, physician, nurse, frontDesk, billing, patient, device

    /// How the role is named to people.
    public var title: String {
        switch self {
        case .admin: "Administrator"
        case .physician: "Physician"
        case .nurse: "Nurse"
        case .frontDesk: "Front desk"
        case .billing: "Billing"
        case .patient: "Patient"
        case .device: "Bedside device"
        }
    }

    /// Roles that sign in as staff through the staff sign-in (patients and devices get theirs later).
    public static let staff: [Role] = [.admin, .physician, .nurse, .frontDesk, .billing]
}
