import Foundation

/// Everything a person does to an infusion session; `InfusionSession.apply` accepts or refuses each one.
public enum SessionEvent: Sendable, Hashable, Codable {
    /// The patient arrived: scheduled → checked in.
    case checkIn
    /// A pre-infusion checklist was evaluated: checked in (or ready) → ready if it passed, else checked in; always stored.
    case checklistRecorded(ChecklistResult)
    /// The drug was prepared (before the infusion starts).
    case preparationRecorded(PreparationRecord)
    /// The infusion started at this rate: ready → infusing.
    case started(rate: DoseRate)
    /// The rate was changed, with its reason and an optional second clinician's confirmation (the limit check is the caller's).
    case rateChanged(to: DoseRate, reason: String, confirmedBy: User.ID?)
    /// The infusion was paused: infusing → paused.
    case paused(reason: String)
    /// The infusion was resumed at the current rate: paused → infusing.
    case resumed
    /// The infusion ran to its end: infusing or paused → recovering.
    case infusionCompleted
    /// The infusion was stopped before its end, with the reason: infusing or paused → recovering.
    case stoppedEarly(reason: String)
    /// The patient was sent to emergency care, with the reason: any state after check-in that is not final → transferred.
    case transferred(reason: String)
    /// Vitals entered by hand.
    case vitalsRecorded(VitalsReading)
    /// An IV site check.
    case ivSiteChecked(IVSiteCheck)
    /// A MOAA/S sedation score.
    case sedationScored(MOAASScore)
    /// A CADSS short-form score.
    case dissociationScored(CADSSShortForm)
    /// A side effect and the action taken.
    case sideEffectObserved(SideEffect)
    /// A pump deviation documented as it happened (never refused for its size).
    case deviationDocumented(PumpDeviation)
    /// The patient's response and tolerance, in the clinician's words.
    case responseNoted(String)
    /// A modified Aldrete score during recovery.
    case aldreteRecorded(ModifiedAldrete)
    /// The patient left the monitored chair (phase 1 done): needs the latest Aldrete ≥ 9.
    case leftChair
    /// A PADSS after leaving the chair.
    case padssRecorded(PADSS)
    /// The patient went home with the named escort: needs Aldrete ≥ 9, then PADSS ≥ 9 and the escort present.
    case discharged(escortName: String, instructions: DischargeInstructions)
    /// The patient did not come: scheduled → no-show.
    case noShow
    /// The session was cancelled before the infusion started, with the reason.
    case cancelled(reason: String)

    /// The event's kind, without its values.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case checkIn, checklistRecorded, preparationRecorded, started, rateChanged, paused, resumed, infusionCompleted,
             stoppedEarly, transferred, vitalsRecorded, ivSiteChecked, sedationScored, dissociationScored,
             sideEffectObserved, deviationDocumented, responseNoted, aldreteRecorded, leftChair, padssRecorded,
             discharged, noShow, cancelled

        /// The states in which the event is accepted (its own guards may still refuse it).
        public var allowedStates: Set<SessionState> {
            switch self {
            case .checkIn, .noShow: [.scheduled]
            case .checklistRecorded, .preparationRecorded: [.checkedIn, .ready]
            case .started: [.ready]
            case .rateChanged, .infusionCompleted, .stoppedEarly: [.infusing, .paused]
            case .paused: [.infusing]
            case .resumed: [.paused]
            case .transferred, .vitalsRecorded, .ivSiteChecked, .responseNoted: [.checkedIn, .ready, .infusing, .paused, .recovering]
            case .sedationScored, .dissociationScored, .sideEffectObserved, .deviationDocumented: [.infusing, .paused, .recovering]
            case .aldreteRecorded, .leftChair, .padssRecorded, .discharged: [.recovering]
            case .cancelled: [.scheduled, .checkedIn, .ready]
            }
        }

        /// What the event needs, as the first half of a refusal sentence.
        func requirement(in state: SessionState) -> String {
            switch self {
            case .checkIn: "Only a scheduled session can be checked in"
            case .noShow: "Only a scheduled session can be marked as a no-show"
            case .checklistRecorded: "A pre-infusion checklist is recorded after check-in and before the infusion starts"
            case .preparationRecorded: "The preparation is recorded after check-in and before the infusion starts"
            case .started:
                state == .scheduled || state == .checkedIn
                    ? "An infusion cannot start before the pre-infusion checklist has passed"
                    : "An infusion starts once, from ready (checklist passed)"
            case .rateChanged: "The rate can be changed only while the infusion is running or paused"
            case .paused: "Only a running infusion can be paused"
            case .resumed: "Only a paused infusion can be resumed"
            case .infusionCompleted: "Only a running or paused infusion can be completed"
            case .stoppedEarly: "Only a running or paused infusion can be stopped early"
            case .transferred: "A transfer to emergency care is recorded after check-in"
            case .vitalsRecorded: "Vitals are recorded between check-in and discharge"
            case .ivSiteChecked: "IV site checks are recorded between check-in and discharge"
            case .responseNoted: "Notes on the patient's response are recorded between check-in and discharge"
            case .sedationScored: "Sedation scores are recorded once the infusion has started"
            case .dissociationScored: "Dissociation scores are recorded once the infusion has started"
            case .sideEffectObserved: "Side effects are recorded once the infusion has started"
            case .deviationDocumented: "Pump deviations are documented once the infusion has started"
            case .aldreteRecorded: "A modified Aldrete score is recorded during recovery"
            case .leftChair: "The patient leaves the monitored chair during recovery"
            case .padssRecorded: "A PADSS is recorded during recovery"
            case .discharged: "A patient is discharged from recovery"
            case .cancelled: "A session can be cancelled only before the infusion starts"
            }
        }
    }

    /// The event's kind.
    public var kind: Kind {
        switch self {
        case .checkIn: .checkIn
        case .checklistRecorded: .checklistRecorded
        case .preparationRecorded: .preparationRecorded
        case .started: .started
        case .rateChanged: .rateChanged
        case .paused: .paused
        case .resumed: .resumed
        case .infusionCompleted: .infusionCompleted
        case .stoppedEarly: .stoppedEarly
        case .transferred: .transferred
        case .vitalsRecorded: .vitalsRecorded
        case .ivSiteChecked: .ivSiteChecked
        case .sedationScored: .sedationScored
        case .dissociationScored: .dissociationScored
        case .sideEffectObserved: .sideEffectObserved
        case .deviationDocumented: .deviationDocumented
        case .responseNoted: .responseNoted
        case .aldreteRecorded: .aldreteRecorded
        case .leftChair: .leftChair
        case .padssRecorded: .padssRecorded
        case .discharged: .discharged
        case .noShow: .noShow
        case .cancelled: .cancelled
        }
    }
}
