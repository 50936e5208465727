import Foundation
import Tagged

public enum OutcomeRecordTag {}

/// One filled follow-up form: the instruments answered at one timepoint, by whom and how.
public struct OutcomeRecord: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = Tagged<OutcomeRecordTag, UUID>

    /// How the answers reached the clinic.
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        /// Asked and recorded by staff in the clinic (e.g. pain before and after an infusion).
        case clinic
        /// The patient's own answers, entered by staff on the patient's behalf (by phone, from paper).
        case onBehalf
        /// Filled by the patient through a single-use follow-up link, away from the clinic.
        case link

        public var title: String {
            switch self {
            case .clinic: "recorded in the clinic"
            case .onBehalf: "entered by staff for the patient"
            case .link: "filled by the patient (follow-up link)"
            }
        }

        /// Whether the patient answered away from the clinic (crisis resources and on-call routing apply, clinical-reference §7).
        public var isAwayFromClinic: Bool { self != .clinic }
    }

    public var id: ID
    public var patientID: Patient.ID
    public var timepoint: Timepoint
    /// When the answers were given.
    public var takenAt: Date
    public var responses: [InstrumentResponse]
    public var source: Source
    /// The session the measurement belongs to (pain before/after an infusion).
    public var sessionID: InfusionSession.ID?
    /// The follow-up link it came through.
    public var linkID: FollowUpLink.ID?
    /// The staff member who entered it; nil when the patient filled a link.
    public var recordedBy: User.ID?
    public var recordedAt: Date

    public init(id: ID, patientID: Patient.ID, timepoint: Timepoint, takenAt: Date, responses: [InstrumentResponse], source: Source,
                sessionID: InfusionSession.ID? = nil, linkID: FollowUpLink.ID? = nil, recordedBy: User.ID?, recordedAt: Date) {
        self.id = id
        self.patientID = patientID
        self.timepoint = timepoint
        self.takenAt = takenAt
        self.responses = responses
        self.source = source
        self.sessionID = sessionID
        self.linkID = linkID
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    /// The score of each instrument answered.
    public var scores: [InstrumentScore] { responses.map(\.score) }

    /// The response to one instrument, when it was asked.
    public func response(_ instrument: Instrument) -> InstrumentResponse? { responses.first { $0.instrument == instrument } }

    /// Whether any answer calls for an immediate safety assessment (PHQ-9 item 9 > 0, clinical-reference §7).
    public var requiresSafetyAssessment: Bool { scores.contains { $0.requiresSafetyAssessment } }

    /// The pain NRS answers as a relief-analysis record, when pain was asked.
    public func painRecord(context: PainRecord.Context) -> PainRecord? {
        guard let r = response(.painNRS) else { return nil }
        let values = r.answers
        guard values["now"] != nil || values["average"] != nil || values["worst"] != nil else { return nil }
        return PainRecord(takenAt: takenAt, context: context, now: values["now"], average: values["average"], worst: values["worst"])
    }
}

/// What staff submit: the instruments' answers as typed, with the timepoint and when they were given.
public struct OutcomeEntryForm: Sendable, Hashable {
    /// `Timepoint.key`, e.g. `series+7`, `pre2`.
    public var timepoint: String
    /// `YYYY-MM-DDTHH:MM` in the clinic's time zone; empty = now.
    public var takenAt: String
    public var source: OutcomeRecord.Source
    public var sessionID: InfusionSession.ID?
    /// Instrument → item id → text as typed (empty = unanswered).
    public var answers: [Instrument: [String: String]]

    public init(timepoint: String, takenAt: String = "", source: OutcomeRecord.Source = .clinic, sessionID: InfusionSession.ID? = nil,
                answers: [Instrument: [String: String]]) {
        self.timepoint = timepoint
        self.takenAt = takenAt
        self.source = source
        self.sessionID = sessionID
        self.answers = answers
    }

    /// Parses every instrument that has at least one answer; errors name `<instrument>.<item>` fields.
    func responses() throws -> [InstrumentResponse] {
        var errors = FieldErrors()
        var out: [InstrumentResponse] = []
        for instrument in Instrument.allCases {
            guard let form = answers[instrument],
                  form.values.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { continue }
            do {
                out.append(try InstrumentResponse.parse(instrument, form: form))
            } catch ClinicError.invalid(let fields) {
                for f in fields { errors.add(f.field, f.reason) }
            }
        }
        if out.isEmpty && errors.isEmpty { errors.add("answers", "Answer at least one question.") }
        try errors.throwIfAny()
        return out
    }
}
