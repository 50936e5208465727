import Foundation
import Tagged

/// One infusion visit of a patient.
public enum InfusionSessionTag {}

extension InfusionSession { public typealias ID = Tagged<InfusionSessionTag, UUID> }

/// Where an infusion session stands.
public enum SessionState: String, Sendable, Hashable, Codable, CaseIterable {
    case scheduled, checkedIn, ready, infusing, paused, recovering, discharged, noShow, cancelled, transferred

    /// Whether the session is finished: nothing can change it except an amendment.
    public var isFinal: Bool { [.discharged, .noShow, .cancelled, .transferred].contains(self) }

    /// How the state is named to staff ("checked in", "transferred to emergency care").
    public var title: String {
        switch self {
        case .scheduled: "scheduled"
        case .checkedIn: "checked in"
        case .ready: "ready (checklist passed)"
        case .infusing: "infusing"
        case .paused: "paused"
        case .recovering: "recovering"
        case .discharged: "discharged"
        case .noShow: "a no-show"
        case .cancelled: "cancelled"
        case .transferred: "transferred to emergency care"
        }
    }
}

/// The two phases of recovery (clinical-reference §6): in the monitored chair, then out of it until discharge.
public enum RecoveryPhase: String, Sendable, Hashable, Codable {
    case monitoredChair, leftChair
}

/// One change of state: from, to, when, who and why.
public struct SessionTransition: Sendable, Hashable, Codable {
    /// The state before.
    public var from: SessionState
    /// The state after.
    public var to: SessionState
    /// When.
    public var at: Date
    /// Who.
    public var by: User.ID
    /// Why, when the event gives a reason (a cancellation, an early stop, a transfer).
    public var reason: String?

    /// Creates a transition record.
    public init(from: SessionState, to: SessionState, at: Date, by: User.ID, reason: String? = nil) {
        self.from = from
        self.to = to
        self.at = at
        self.by = by
        self.reason = reason
    }
}

/// A value recorded on a session with when it was entered and by whom.
public struct SessionEntry<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    /// What was recorded.
    public var value: Value
    /// When it was entered.
    public var at: Date
    /// Who entered it.
    public var by: User.ID

    /// Creates an entry.
    public init(_ value: Value, at: Date, by: User.ID) {
        self.value = value
        self.at = at
        self.by = by
    }
}

/// How the patient left: the escort who took them, and the instructions given (clinical-reference §6, §10 "After").
public struct DischargeRecord: Sendable, Hashable, Codable {
    /// The responsible adult confirmed present.
    public var escortName: String
    /// The written instructions given.
    public var instructions: DischargeInstructions
    /// The modified Aldrete score that allowed leaving the chair.
    public var aldrete: ModifiedAldrete
    /// The PADSS that allowed going home.
    public var padss: PADSS

    /// Creates a record.
    public init(escortName: String, instructions: DischargeInstructions, aldrete: ModifiedAldrete, padss: PADSS) {
        self.escortName = escortName
        self.instructions = instructions
        self.aldrete = aldrete
        self.padss = padss
    }
}

/// One infusion session: a pure value whose `apply` moves it through the workflow and records every step
/// (clinical-reference §6, §10), throwing `ClinicError` on an illegal step.
public struct InfusionSession: Sendable, Hashable, Codable, Identifiable {
    /// The session's id.
    public let id: ID
    /// The patient treated.
    public let patientID: Patient.ID
    /// The booked chair time.
    public var plannedStart: Date
    /// The end of the booked chair time (infusion plus recovery, clinical-reference §10).
    public var plannedEnd: Date
    /// The protocol ordered, as opaque references (the protocol library lives elsewhere).
    public let protocolID: UUID
    /// The protocol version in force when the session was booked.
    public let protocolVersion: Int
    /// The rate ordered.
    public let orderedRate: DoseRate

    /// Where the session stands.
    public internal(set) var state: SessionState
    /// The recovery phase, while and after recovering.
    public internal(set) var recoveryPhase: RecoveryPhase?
    /// Every change of state, in order.
    public internal(set) var transitions: [SessionTransition]
    /// Every checklist recorded, in order; the latest one counts.
    public internal(set) var checklists: [SessionEntry<ChecklistResult>]
    /// How the drug was prepared; a later record (a new bag before the start) follows an earlier one.
    public internal(set) var preparations: [SessionEntry<PreparationRecord>]
    /// Every start, rate change, pause, resume and stop, in order.
    public internal(set) var rateHistory: [RateEvent]
    /// Documented pump deviations, each flagged for review.
    public internal(set) var deviations: [SessionEntry<PumpDeviation>]
    /// Vitals entered by hand.
    public internal(set) var vitals: [SessionEntry<VitalsReading>]
    /// IV site checks during the session.
    public internal(set) var ivSiteChecks: [SessionEntry<IVSiteCheck>]
    /// MOAA/S sedation scores.
    public internal(set) var sedationScores: [SessionEntry<MOAASScore>]
    /// CADSS short-form scores.
    public internal(set) var dissociationScores: [SessionEntry<CADSSShortForm>]
    /// Side effects and what was done.
    public internal(set) var sideEffects: [SessionEntry<SideEffect>]
    /// The patient's response and tolerance, in the clinician's words.
    public internal(set) var responseNotes: [SessionEntry<String>]
    /// Modified Aldrete scores during recovery.
    public internal(set) var aldreteScores: [SessionEntry<ModifiedAldrete>]
    /// When the patient left the monitored chair, with the Aldrete score that allowed it.
    public internal(set) var leftChair: SessionEntry<ModifiedAldrete>?
    /// PADSS scores after leaving the chair.
    public internal(set) var padssScores: [SessionEntry<PADSS>]
    /// The discharge, once done.
    public internal(set) var discharge: SessionEntry<DischargeRecord>?
    /// Why the infusion was stopped before completion, when it was (clinical-reference §6: still recovers and is discharged).
    public internal(set) var stoppedEarlyReason: String?
    /// Why the patient was sent to emergency care, when they were.
    public internal(set) var transferReason: String?
    /// Amendments added after the session finished.
    public internal(set) var amendments: [Amendment]

    /// A note added to a finished session; the original record is never changed.
    public struct Amendment: Sendable, Hashable, Codable {
        /// The amendment's text.
        public var text: String
        /// When it was added.
        public var at: Date
        /// Who added it.
        public var by: User.ID

        /// Creates an amendment.
        public init(text: String, at: Date, by: User.ID) {
            self.text = text
            self.at = at
            self.by = by
        }
    }

    /// The longest free text accepted in a reason, note or amendment (input size limit).
    public static let maximumTextLength = 4_000

    /// Creates a scheduled session.
    public init(id: ID, patientID: Patient.ID, plannedStart: Date, plannedEnd: Date, protocolID: UUID, protocolVersion: Int,
                orderedRate: DoseRate) {
        self.id = id
        self.patientID = patientID
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.protocolID = protocolID
        self.protocolVersion = protocolVersion
        self.orderedRate = orderedRate
        self.state = .scheduled
        self.recoveryPhase = nil
        self.transitions = []
        self.checklists = []
        self.preparations = []
        self.rateHistory = []
        self.deviations = []
        self.vitals = []
        self.ivSiteChecks = []
        self.sedationScores = []
        self.dissociationScores = []
        self.sideEffects = []
        self.responseNotes = []
        self.aldreteScores = []
        self.leftChair = nil
        self.padssScores = []
        self.discharge = nil
        self.stoppedEarlyReason = nil
        self.transferReason = nil
        self.amendments = []
    }

    /// Validates the booking: a slot that ends after it starts, a positive ordered rate and protocol version.
    public static func scheduled(id: ID, patientID: Patient.ID, plannedStart: Date, plannedEnd: Date, protocolID: UUID,
                                 protocolVersion: Int, orderedRate: DoseRate) throws -> InfusionSession {
        var errors = FieldErrors()
        if plannedEnd <= plannedStart { errors.add("plannedEnd", "The slot must end after it starts.") }
        if protocolVersion < 1 { errors.add("protocolVersion", "Must be 1 or more.") }
        if orderedRate.microgramsPerHour <= 0 { errors.add("orderedRate", "Must be more than 0 mg/h.") }
        try errors.throwIfAny()
        return InfusionSession(id: id, patientID: patientID, plannedStart: plannedStart, plannedEnd: plannedEnd,
                               protocolID: protocolID, protocolVersion: protocolVersion, orderedRate: orderedRate)
    }

    /// Whether the infusion was stopped before completion.
    public var stoppedEarly: Bool { stoppedEarlyReason != nil }

    /// The checklist that counts: the latest one recorded.
    public var latestChecklist: ChecklistResult? { checklists.last?.value }

    /// Whether a passing checklist was recorded.
    public var checklistPassed: Bool { latestChecklist?.passed ?? false }

    /// The baseline the recovery scores compare against: the passed checklist's vitals (with a recheck's pressure).
    public var baselineVitals: VitalsReading? { checklists.last(where: { $0.value.passed })?.value.baseline }

    /// The preparation that counts: the latest one recorded.
    public var preparation: PreparationRecord? { preparations.last?.value }

    /// The latest modified Aldrete score.
    public var latestAldrete: ModifiedAldrete? { aldreteScores.last?.value }

    /// The latest PADSS.
    public var latestPADSS: PADSS? { padssScores.last?.value }

    /// Deviations still flagged for review.
    public var deviationsFlaggedForReview: [SessionEntry<PumpDeviation>] { deviations.filter(\.value.flaggedForReview) }

    /// When the latest thing was recorded: events must be entered in time order.
    public var lastRecordedAt: Date? {
        [transitions.last?.at, checklists.last?.at, preparations.last?.at, rateHistory.last?.at, deviations.last?.at, vitals.last?.at,
         ivSiteChecks.last?.at, sedationScores.last?.at, dissociationScores.last?.at, sideEffects.last?.at,
         responseNotes.last?.at, aldreteScores.last?.at, leftChair?.at, padssScores.last?.at, discharge?.at, amendments.last?.at]
            .compactMap { $0 }.max()
    }

    /// When the next manual vitals reading is due, as of `now`: the monitoring interval (15 min by default; Goldberg 2005,
    /// clinical-reference §3) after the latest reading taken since the infusion started, or after the start itself;
    /// nil while the session is not infusing, paused or recovering. A due time before `now` means the reading is overdue.
    public func nextManualVitalsDue(after now: Date, policy: MonitoringPolicy = .standard) -> Date? {
        guard [.infusing, .paused, .recovering].contains(state), let start = infusionStartedAt else { return nil }
        let latest = vitals.map(\.value.takenAt).filter { $0 >= start && $0 <= now }.max()
        return max(start, latest ?? start).addingTimeInterval(policy.manualVitalsInterval)
    }
}
