import Foundation
import Tagged

/// A physician's sign-off of a change to a protocol's dose or limits: who and why (clinical-reference §4: limits
/// are changed "only by a physician, with a reason, audited"). The caller checks the signer's role, or uses
/// `init(signedBy:reason:)`, which does.
public struct LimitChange: Sendable, Hashable, Codable {
    /// The physician who signs the change off.
    public var by: User.ID
    /// Why the change is clinically right.
    public var reason: String

    public init(by: User.ID, reason: String) {
        self.by = by
        self.reason = reason
    }

    /// A sign-off by `user`, who must be an active physician (`ClinicError.forbidden` otherwise).
    public init(signedBy user: User, reason: String) throws {
        guard user.role == .physician, !user.isDisabled else {
            throw ClinicError.forbidden("only a physician may sign off a change to a protocol's dose or limits")
        }
        self.init(by: user.id, reason: reason)
    }
}

/// The settings of a protocol a change can touch.
public enum ProtocolSetting: String, Sendable, Hashable, Codable, CaseIterable {
    case name, dosing, absoluteRateCap, durationMinutes, inductionInfusions, minimumSpacingHours, seriesPattern,
         boosterIntervalDays, limits

    /// Whether changing it needs a physician's sign-off: the dose, the rate cap and the limits do.
    public var needsPhysicianSignOff: Bool {
        switch self {
        case .dosing, .absoluteRateCap, .limits: true
        default: false
        }
    }
}

/// How a version came from the one before it: who changed what, when and why, and who signed it off.
public struct ProtocolRevision: Sendable, Hashable, Codable {
    /// The version this one replaced.
    public var previousVersion: Int
    /// Who made the change.
    public var changedBy: User.ID
    public var changedAt: Date
    /// Why the protocol changed.
    public var reason: String
    /// What differs from the previous version.
    public var changedSettings: [ProtocolSetting]
    /// Present whenever the dose, rate cap or limits changed.
    public var signOff: LimitChange?
}

/// A change to a protocol that has been checked but not yet made: the next version, waiting for a physician's
/// sign-off when it touches the dose, rate cap or limits.
public struct ProtocolChangeProposal: Sendable, Hashable, Codable {
    /// The version the change starts from.
    public var base: InfusionProtocol
    /// The settings as proposed (with the base's id and version; `revised(signOff:)` stamps the next version).
    public var proposed: InfusionProtocol
    /// Who proposed it.
    public var proposedBy: User.ID
    public var proposedAt: Date
    /// Why.
    public var reason: String
    /// What differs from the base, in declaration order.
    public var changedSettings: [ProtocolSetting]

    /// True when the change touches the dose, the rate cap or the limits.
    public var requiresPhysicianSignOff: Bool { changedSettings.contains { $0.needsPhysicianSignOff } }

    /// The next version (`base.version + 1`) carrying this change and its sign-off; throws `ClinicError.invalid`
    /// (`signOff`, `signOff.reason`) when a required sign-off or its reason is missing.
    public func revised(signOff: LimitChange?) throws -> InfusionProtocol {
        var errors = FieldErrors()
        if requiresPhysicianSignOff, signOff == nil {
            errors.add("signOff", "a change to \(changedSettings.filter(\.needsPhysicianSignOff).map(\.rawValue).joined(separator: ", ")) needs a physician's sign-off with a reason")
        }
        if let signOff, signOff.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add("signOff.reason", "the physician's sign-off needs a reason")
        }
        try errors.throwIfAny()
        var next = proposed
        next.version = base.version + 1
        next.revision = ProtocolRevision(previousVersion: base.version, changedBy: proposedBy, changedAt: proposedAt,
                                         reason: reason, changedSettings: changedSettings, signOff: signOff)
        return next
    }
}

extension InfusionProtocol {
    /// Checks a change (reason given, something changed, the result valid within the outer bounds) and returns it
    /// as a proposal for the next version; nothing is changed until `revised(signOff:)`.
    public func proposeChange(by editor: User.ID, at date: Date, reason: String,
                              _ edit: (inout InfusionProtocol) throws -> Void) throws -> ProtocolChangeProposal {
        var proposed = self
        try edit(&proposed)
        proposed.id = id                      // a change never moves a version to another protocol
        proposed.version = version
        proposed.revision = revision
        var errors = FieldErrors()
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("reason", "say why the protocol changes") }
        let changed = changedSettings(to: proposed)
        if changed.isEmpty { errors.add("change", "nothing was changed") }
        do { _ = try proposed.validated() } catch ClinicError.invalid(let fieldErrors) {
            for error in fieldErrors { errors.add(error.field, error.reason) }
        }
        try errors.throwIfAny()
        return ProtocolChangeProposal(base: self, proposed: proposed, proposedBy: editor, proposedAt: date,
                                      reason: reason, changedSettings: changed)
    }

    /// Proposes and makes a change in one step: the next version, with the physician's sign-off when the dose,
    /// rate cap or limits change.
    public func revised(by editor: User.ID, at date: Date, reason: String, signOff: LimitChange? = nil,
                        _ edit: (inout InfusionProtocol) throws -> Void) throws -> InfusionProtocol {
        try proposeChange(by: editor, at: date, reason: reason, edit).revised(signOff: signOff)
    }

    /// The settings that differ between this version and `other`.
    public func changedSettings(to other: InfusionProtocol) -> [ProtocolSetting] {
        ProtocolSetting.allCases.filter { setting in
            switch setting {
            case .name: name != other.name
            case .dosing: dosing != other.dosing
            case .absoluteRateCap: absoluteRateCap != other.absoluteRateCap
            case .durationMinutes: durationMinutes != other.durationMinutes
            case .inductionInfusions: inductionInfusions != other.inductionInfusions
            case .minimumSpacingHours: minimumSpacingHours != other.minimumSpacingHours
            case .seriesPattern: seriesPattern != other.seriesPattern
            case .boosterIntervalDays: boosterIntervalDays != other.boosterIntervalDays
            case .limits: limits != other.limits
            }
        }
    }
}

/// Every version of one protocol, oldest first; versions are only appended, never replaced.
public struct ProtocolHistory: Sendable, Hashable, Codable {
    public private(set) var versions: [InfusionProtocol]

    /// A history that starts with a valid version 1.
    public init(first: InfusionProtocol) throws {
        guard first.version == 1, first.revision == nil else {
            throw ClinicError.invalid("version", "a history starts with version 1")
        }
        versions = [try first.validated()]
    }

    /// The version in force.
    public var current: InfusionProtocol { versions[versions.count - 1] }

    /// The given version, as it was (an order keeps the version it was written against).
    public func version(_ number: Int) -> InfusionProtocol? {
        versions.indices.contains(number - 1) ? versions[number - 1] : nil
    }

    /// Appends the next version; `ClinicError.conflict` when it was made from an older version than the current one
    /// (someone else changed the protocol meanwhile) or belongs to another protocol.
    public mutating func append(_ next: InfusionProtocol) throws {
        guard next.id == current.id else { throw ClinicError.conflict("the version belongs to another protocol") }
        guard next.version == current.version + 1, next.revision?.previousVersion == current.version else {
            throw ClinicError.conflict("the protocol was changed meanwhile: version \(current.version) is current")
        }
        versions.append(try next.validated())
    }
}
