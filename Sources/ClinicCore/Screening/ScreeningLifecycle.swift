import Foundation
import Tagged

/// A clearance as entered by staff, before it is recorded on a screening.
public struct ClearanceForm: Sendable, Hashable, Codable {
    /// Which clearance this is.
    public var kind: ClearanceKind
    /// The clearing clinician's specialty, e.g. "Cardiology".
    public var specialty: String
    /// The clearing clinician's name.
    public var clinician: String
    /// The date of the clearance letter or note.
    public var date: CalendarDate
    /// The letter or note itself, or its summary.
    public var note: String

    /// The longest text accepted for the specialty and clinician (input size limit).
    public static let maximumNameLength = 200
    /// The longest note accepted (input size limit, as for screening notes).
    public static let maximumNoteLength = ScreeningForm.maximumNotesLength

    /// Creates a clearance form.
    public init(kind: ClearanceKind, specialty: String, clinician: String, date: CalendarDate, note: String) {
        self.kind = kind
        self.specialty = specialty
        self.clinician = clinician
        self.date = date
        self.note = note
    }

    /// Trims the text fields and checks them, throwing `ClinicError.invalid` naming each bad field;
    /// the date may not lie after today in the clinic's time zone.
    public func validated(asOf now: Date, in timeZone: TimeZone) throws -> ClearanceForm {
        var errors = FieldErrors()
        var form = self
        form.specialty = specialty.trimmingCharacters(in: .whitespacesAndNewlines)
        form.clinician = clinician.trimmingCharacters(in: .whitespacesAndNewlines)
        form.note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        for (field, value) in [("specialty", form.specialty), ("clinician", form.clinician)] {
            if value.isEmpty { errors.add(field, "Required.") }
            if value.count > Self.maximumNameLength { errors.add(field, "Must be at most \(Self.maximumNameLength) characters.") }
        }
        if form.note.isEmpty { errors.add("note", "Required: the clearance letter or note.") }
        if form.note.count > Self.maximumNoteLength { errors.add("note", "Must be at most \(Self.maximumNoteLength) characters.") }
        let today = CalendarDate(now, in: timeZone)
        if date > today { errors.add("date", "The clearance date \(date) is after today (\(today)).") }
        try errors.throwIfAny()
        return form
    }
}

/// A clearance recorded on a screening, and its physician sign-off.
public struct ClearanceRecord: Sendable, Hashable, Codable {
    /// Which clearance this is.
    public var kind: ClearanceKind
    /// The clearing clinician's specialty.
    public var specialty: String
    /// The clearing clinician's name.
    public var clinician: String
    /// The date of the clearance letter or note.
    public var date: CalendarDate
    /// The letter or note, or its summary.
    public var note: String
    /// Who recorded it.
    public var recordedBy: User.ID
    /// When it was recorded.
    public var recordedAt: Date
    /// The physician who signed it off, once signed.
    public var signedOffBy: User.ID?
    /// When it was signed off.
    public var signedOffAt: Date?

    /// Creates a record.
    public init(kind: ClearanceKind, specialty: String, clinician: String, date: CalendarDate, note: String,
                recordedBy: User.ID, recordedAt: Date, signedOffBy: User.ID? = nil, signedOffAt: Date? = nil) {
        self.kind = kind
        self.specialty = specialty
        self.clinician = clinician
        self.date = date
        self.note = note
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.signedOffBy = signedOffBy
        self.signedOffAt = signedOffAt
    }

    /// Whether a physician has signed the clearance off.
    public var isSignedOff: Bool { signedOffAt != nil }
}

/// A physician's decision that replaces the evaluated one, with the recorded reason (clinical-reference §2).
public struct ScreeningOverride: Sendable, Hashable, Codable {
    /// The decision that counts: eligible or not eligible.
    public var decision: ScreeningDecision
    /// Why the physician overrode the rules.
    public var reason: String
    /// Who overrode.
    public var by: User.ID
    /// When.
    public var at: Date

    /// Creates an override.
    public init(decision: ScreeningDecision, reason: String, by: User.ID, at: Date) {
        self.decision = decision
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// Why a screening no longer counts and must be repeated (clinical-reference §2: a new contraindication on the chart).
public struct RescreenReason: Sendable, Hashable, Codable {
    /// What was charted, e.g. "Pregnancy recorded (Z33.1)".
    public var reason: String
    /// When the screening was invalidated.
    public var at: Date
    /// Who charted it, when known.
    public var by: User.ID?

    /// Creates a rescreen reason.
    public init(reason: String, at: Date, by: User.ID? = nil) {
        self.reason = reason
        self.at = at
        self.by = by
    }
}

/// Where a screening stands at a given moment.
public enum ScreeningStatus: Sendable, Hashable, Codable {
    /// Eligible for infusions until the given instant.
    case eligible(validUntil: Date)
    /// Waiting for these clearances to be recorded and signed off.
    case needsClearance([ClearanceKind])
    /// Not eligible.
    case notEligible
    /// Questions unanswered or blood pressure to recheck.
    case incomplete
    /// Was eligible, but the validity period has passed: screen again.
    case expired
    /// A new contraindication was charted: screen again.
    case rescreenRequired(String)

    /// Whether infusions may be booked now.
    public var isEligibleNow: Bool {
        if case .eligible = self { return true }
        return false
    }

    /// The status for staff, with dates in UTC, e.g. "Eligible until 2027-02-23".
    public var label: String { label(in: TimeZone(identifier: "UTC")!) }

    /// The status for staff, with dates in the clinic's time zone.
    public func label(in timeZone: TimeZone) -> String {
        switch self {
        case .eligible(let validUntil): "Eligible until \(CalendarDate(validUntil, in: timeZone))"
        case .needsClearance(let kinds): "Needs clearance: \(kinds.map(\.title).joined(separator: ", "))"
        case .notEligible: "Not eligible"
        case .incomplete: "Incomplete: answer the missing questions or recheck blood pressure"
        case .expired: "Expired: screen again"
        case .rescreenRequired(let reason): "Re-screen required: \(reason)"
        }
    }
}

/// What happens to a screening after it is evaluated: clearances, sign-offs, a physician override,
/// invalidation; a pure value whose methods throw `ClinicError` on illegal use.
public struct ScreeningLifecycle: Sendable, Hashable, Codable {
    /// The rules' result.
    public private(set) var evaluation: ScreeningEvaluation
    /// When the screening was evaluated.
    public private(set) var screenedAt: Date
    /// Who screened.
    public private(set) var screenedBy: User.ID
    /// Clearances recorded so far, one per kind.
    public private(set) var clearances: [ClearanceRecord]
    /// The physician's override, if any.
    public private(set) var override: ScreeningOverride?
    /// Set when a new contraindication was charted after the screening.
    public private(set) var rescreenRequired: RescreenReason?

    /// The longest override or rescreen reason accepted (input size limit).
    public static let maximumReasonLength = ScreeningForm.maximumNotesLength

    /// Starts the lifecycle of a fresh evaluation (other arguments rebuild a stored one).
    public init(evaluation: ScreeningEvaluation, screenedAt: Date, screenedBy: User.ID,
                clearances: [ClearanceRecord] = [], override: ScreeningOverride? = nil,
                rescreenRequired: RescreenReason? = nil) {
        self.evaluation = evaluation
        self.screenedAt = screenedAt
        self.screenedBy = screenedBy
        self.clearances = clearances
        self.override = override
        self.rescreenRequired = rescreenRequired
    }

    /// Records a clearance the evaluation requires; the text is validated and the date may not be in the future.
    public mutating func recordClearance(_ form: ClearanceForm, at now: Date, in timeZone: TimeZone, by actor: User.ID) throws {
        let checked = try form.validated(asOf: now, in: timeZone)
        try requireCurrent()
        guard evaluation.requiredClearances.contains(checked.kind) else {
            throw ClinicError.conflict("This screening does not need a \(checked.kind.title.lowercased()) clearance.")
        }
        guard !clearances.contains(where: { $0.kind == checked.kind }) else {
            throw ClinicError.conflict("A \(checked.kind.title.lowercased()) clearance is already recorded.")
        }
        clearances.append(ClearanceRecord(kind: checked.kind, specialty: checked.specialty, clinician: checked.clinician,
                                          date: checked.date, note: checked.note, recordedBy: actor, recordedAt: now))
    }

    /// Signs off a recorded clearance (the caller checks that `actor` is a physician).
    public mutating func signOff(kind: ClearanceKind, by actor: User.ID, at now: Date) throws {
        try requireCurrent()
        guard let index = clearances.firstIndex(where: { $0.kind == kind }) else {
            throw ClinicError.conflict("No \(kind.title.lowercased()) clearance has been recorded.")
        }
        guard !clearances[index].isSignedOff else {
            throw ClinicError.conflict("The \(kind.title.lowercased()) clearance is already signed off.")
        }
        clearances[index].signedOffBy = actor
        clearances[index].signedOffAt = now
    }

    /// Records a physician's override to eligible or not eligible, with a reason (clinical-reference §2).
    public mutating func overrideDecision(_ decision: ScreeningDecision, reason: String, at now: Date, by actor: User.ID) throws {
        var errors = FieldErrors()
        if decision != .eligible && decision != .notEligible {
            errors.add("decision", "An override must decide eligible or not eligible.")
        }
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { errors.add("reason", "Required: why the rules are overridden.") }
        if trimmed.count > Self.maximumReasonLength { errors.add("reason", "Must be at most \(Self.maximumReasonLength) characters.") }
        try errors.throwIfAny()
        try requireCurrent()
        guard override == nil else { throw ClinicError.conflict("This screening has already been overridden.") }
        override = ScreeningOverride(decision: decision, reason: trimmed, by: actor, at: now)
    }

    /// Marks the screening as needing to be repeated because a new contraindication was charted (clinical-reference §2);
    /// a screening already invalidated keeps its first reason, and a blank reason gets a generic one.
    public mutating func invalidate(reason: String, at now: Date, by actor: User.ID? = nil) {
        guard rescreenRequired == nil else { return }
        let trimmed = String(reason.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Self.maximumReasonLength))
        rescreenRequired = RescreenReason(reason: trimmed.isEmpty ? "A new contraindication was charted" : trimmed,
                                          at: now, by: actor)
    }

    /// Required clearances not yet signed off.
    public var pendingClearances: [ClearanceKind] {
        evaluation.requiredClearances.filter { kind in !clearances.contains { $0.kind == kind && $0.isSignedOff } }
    }

    /// The decision that counts: the override; else eligible once every required clearance is signed off; else the evaluation's.
    public var effectiveDecision: ScreeningDecision {
        if let override { return override.decision }
        if evaluation.decision == .needsClearance && pendingClearances.isEmpty { return .eligible }
        return evaluation.decision
    }

    /// When the screening became eligible: the override, the last sign-off, or the screening itself.
    public var eligibleSince: Date? {
        guard effectiveDecision == .eligible else { return nil }
        if let override { return override.at }
        if evaluation.decision == .needsClearance {
            return clearances.filter { evaluation.requiredClearances.contains($0.kind) }.compactMap(\.signedOffAt).max() ?? screenedAt
        }
        return screenedAt
    }

    /// The instant an eligible screening stops counting: `validityDays` × 24 h after it became eligible (clinical-reference §2 [D]).
    public var validUntil: Date? {
        eligibleSince.map { $0.addingTimeInterval(TimeInterval(evaluation.thresholds.validityDays) * 86_400) }
    }

    /// Where the screening stands at `now`.
    public func status(asOf now: Date) -> ScreeningStatus {
        if let rescreenRequired { return .rescreenRequired(rescreenRequired.reason) }
        switch effectiveDecision {
        case .eligible:
            guard let validUntil, now < validUntil else { return .expired }
            return .eligible(validUntil: validUntil)
        case .needsClearance: return .needsClearance(pendingClearances)
        case .notEligible: return .notEligible
        case .incomplete: return .incomplete
        }
    }

    private func requireCurrent() throws {
        if let rescreenRequired {
            throw ClinicError.conflict("This screening must be repeated: \(rescreenRequired.reason)")
        }
    }
}
