import Foundation
import Tagged

public enum FollowUpLinkTag {}

/// A single-use, expiring link that lets a patient answer the measurements due at one timepoint without an account.
/// Only the SHA-256 of its token is stored; the token itself exists in the URL handed to the patient.
public struct FollowUpLink: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<FollowUpLinkTag, UUID>

    public var id: ID
    public var tokenHash: String
    public var patientID: Patient.ID
    public var timepoint: Timepoint
    public var instruments: [Instrument]
    public var createdAt: Date
    public var createdBy: User.ID
    public var expiresAt: Date
    /// When the patient submitted the form; a used link never opens again.
    public var usedAt: Date?
    public var outcomeRecordID: OutcomeRecord.ID?

    public init(id: ID, tokenHash: String, patientID: Patient.ID, timepoint: Timepoint, instruments: [Instrument], createdAt: Date,
                createdBy: User.ID, expiresAt: Date, usedAt: Date? = nil, outcomeRecordID: OutcomeRecord.ID? = nil) {
        self.id = id
        self.tokenHash = tokenHash
        self.patientID = patientID
        self.timepoint = timepoint
        self.instruments = instruments
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.outcomeRecordID = outcomeRecordID
    }

    public enum Status: String, Sendable, Hashable, Codable {
        case open, used, expired
        public var title: String {
            switch self {
            case .open: "open"
            case .used: "used"
            case .expired: "expired"
            }
        }
    }

    public func status(at now: Date) -> Status {
        if usedAt != nil { return .used }
        return now >= expiresAt ? .expired : .open
    }
}

/// A newly issued link with its token: shown once to staff (as a URL and a QR code), never stored.
public struct IssuedFollowUpLink: Sendable, Hashable {
    public var link: FollowUpLink
    public var token: String
    /// The path the patient opens, e.g. `/f/<token>`.
    public var path: String { "/f/\(token)" }
}

/// What a follow-up link opens to: the form, or why it cannot be used.
public enum FollowUpLinkView: Sendable, Hashable {
    /// The form: the patient's first name (to greet, nothing more) and the instruments to answer.
    case open(link: FollowUpLink, givenName: String)
    case used(at: Date)
    case expired(at: Date)
    /// No such link (mistyped, tampered with, or never issued).
    case unknown
}

/// What the patient sees after submitting.
public struct FollowUpSubmission: Sendable, Hashable {
    public var record: OutcomeRecord
    /// Crisis resources to show at once (a positive PHQ-9 item 9 on a form filled away from the clinic), else nil.
    public var crisisResources: String?
}
