import Foundation
import Tagged

public enum ClinicianTaskTag {}
public enum ClinicianMessageTag {}

/// An urgent task for a clinician, e.g. a safety assessment after a positive PHQ-9 item 9 (clinical-reference §7),
/// shown on the patient's chart and the task list until a clinician acknowledges it.
public struct ClinicianTask: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<ClinicianTaskTag, UUID>

    public enum Kind: String, Sendable, Hashable, Codable {
        /// PHQ-9 item 9 answered > 0: immediate safety assessment, whatever the total (clinical-reference §7).
        case phq9SafetyAssessment

        public var title: String {
            switch self {
            case .phq9SafetyAssessment: "Safety assessment: PHQ-9 item 9 answered above 0"
            }
        }
    }

    public var id: ID
    public var patientID: Patient.ID
    public var kind: Kind
    /// What the task is about, with the numbers (no free text from the patient).
    public var detail: String
    public var createdAt: Date
    /// The form that raised it.
    public var outcomeRecordID: OutcomeRecord.ID
    /// Whether the answers were given away from the clinic (then the on-call clinician is alerted and escalation runs).
    public var awayFromClinic: Bool
    /// The on-call clinician alerted, when one is configured.
    public var alerted: User.ID?
    /// When escalation to the medical director happened (unacknowledged after the set minutes, clinical-reference §7 [D]).
    public var escalatedAt: Date?
    public var escalatedTo: User.ID?
    public var acknowledgedAt: Date?
    public var acknowledgedBy: User.ID?
    /// What the clinician did, in their words.
    public var acknowledgementNote: String?

    public init(id: ID, patientID: Patient.ID, kind: Kind, detail: String, createdAt: Date, outcomeRecordID: OutcomeRecord.ID,
                awayFromClinic: Bool, alerted: User.ID?) {
        self.id = id
        self.patientID = patientID
        self.kind = kind
        self.detail = detail
        self.createdAt = createdAt
        self.outcomeRecordID = outcomeRecordID
        self.awayFromClinic = awayFromClinic
        self.alerted = alerted
    }

    public var isOpen: Bool { acknowledgedAt == nil }

    /// Whether the task is due to escalate at `now` (open, raised away from the clinic, not yet escalated, older than the limit).
    public func needsEscalation(at now: Date, after minutes: Int) -> Bool {
        isOpen && awayFromClinic && escalatedAt == nil && now.timeIntervalSince(createdAt) >= Double(minutes) * 60
    }
}

/// A message to a clinician about a task, sent through the clinic's configured route and kept as the outbox record.
/// It carries no clinical values or names: only that an urgent task waits, and where.
public struct ClinicianMessage: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<ClinicianMessageTag, UUID>

    public enum Reason: String, Sendable, Hashable, Codable {
        case urgentTask, escalation
    }

    public var id: ID
    public var to: User.ID
    public var taskID: ClinicianTask.ID
    public var reason: Reason
    public var text: String
    public var createdAt: Date
    /// The route it went through (`in-app`, `webhook`).
    public var route: String
    public var deliveredAt: Date?
    /// Why delivery failed, when it did (the in-app copy always stays).
    public var deliveryError: String?
    public var readAt: Date?

    public init(id: ID, to: User.ID, taskID: ClinicianTask.ID, reason: Reason, text: String, createdAt: Date, route: String) {
        self.id = id
        self.to = to
        self.taskID = taskID
        self.reason = reason
        self.text = text
        self.createdAt = createdAt
        self.route = route
    }
}

/// Delivers clinician messages outside the app (a pager or chat webhook, an SMS gateway). The in-app copy is always
/// stored first; a sender failure is recorded on the message and never loses the task.
public protocol ClinicianMessageSender: Sendable {
    /// A short name for the outbox record (`webhook`).
    var route: String { get }
    func send(_ message: ClinicianMessage) async throws
}
