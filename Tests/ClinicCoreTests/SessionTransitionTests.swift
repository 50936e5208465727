import Foundation
import Tagged
import Testing
@testable import ClinicCore

/// Fixed times, people and a session driven to any state, for the session tests.
enum SessionFixture {
    /// 2026-11-25T09:00:00Z, check-in time.
    static let t0 = Date(timeIntervalSince1970: TimeInterval(CalendarDate(year: 2026, month: 11, day: 25)!.daysSinceEpoch * 86_400 + 9 * 3_600))
    static let utc = TimeZone(identifier: "UTC")!
    static let nurse = User.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000C1")!)
    static let secondNurse = User.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000C2")!)
    static let physician = User.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000D1")!)
    static let patient = Patient.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000E1")!)
    static let sessionID = InfusionSession.ID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-0000000000F1")!)
    static let protocolID = UUID(uuidString: "00000000-0000-0000-0000-0000000000A1")!

    static func minutes(_ m: Double) -> TimeInterval { m * 60 }
    /// `t0` plus `m` minutes.
    static func at(_ m: Double) -> Date { t0.addingTimeInterval(minutes(m)) }

    /// 52.5 mg/h: 0.75 mg/kg/h for 70 kg (clinical-reference §4 standard induction), as the order.
    static let orderedRate = DoseRate(microgramsPerHour: 52_500)

    static func scheduled() -> InfusionSession {
        InfusionSession(id: sessionID, patientID: patient, plannedStart: t0, plannedEnd: at(120), protocolID: protocolID,
                        protocolVersion: 1, orderedRate: orderedRate)
    }

    static let escort = EscortContact(name: "Sam Rivera", relationship: "Partner", phone: "555-0100")
    static let baseline = VitalsReading(takenAt: at(3), systolic: 120, diastolic: 80, heartRate: 70, oxygenSaturation: 98, respiratoryRate: 14)

    /// A checklist form on which every item passes when evaluated at `at(5)`.
    static let passingForm = PreInfusionChecklist(
        identityConfirmed: true, consentSignedOn: CalendarDate(year: 2026, month: 6, day: 1)!,
        lastSolidFoodAt: at(-6 * 60), lastClearFluidAt: at(-3 * 60), escort: escort, medicationChangesReviewed: true,
        medicationChanges: "None", pregnancy: .notApplicable, mentalStatus: "Alert, oriented, calm",
        weightToday: Weight(grams: 72_000, enteredUnit: .kg), ivSite: IVSiteCheck(site: "Left forearm, 20 G", condition: .patent),
        baselineVitals: baseline)

    static let eligible = ScreeningStatus.eligible(validUntil: at(30 * 24 * 60))
    static let lastWeight = Weight(grams: 70_000, enteredUnit: .kg)

    static func evaluate(_ form: PreInfusionChecklist, at now: Date = at(5), eligibility: ScreeningStatus = eligible,
                         lastWeight: Weight? = lastWeight, policy: ChecklistPolicy = .standard) -> ChecklistResult {
        form.evaluate(eligibility: eligibility, lastRecordedWeight: lastWeight, at: now, in: utc, policy: policy)
    }

    static let passingChecklist = evaluate(passingForm)
    static let failingChecklist = evaluate(passingForm.with { $0.identityConfirmed = false })

    static let instructions = DischargeInstructions(whoToCall: "the clinic on 555-0199", nextAppointment: "Infusion 2 of 6, Friday 27 November, 09:00")
    /// Aldrete 10, 9 and 8 (Aldrete 1995).
    static let aldrete10 = ModifiedAldrete(activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2)
    static let aldrete9 = ModifiedAldrete(activity: 2, respiration: 2, circulation: 1, consciousness: 2, oxygenSaturation: 2)
    static let aldrete8 = ModifiedAldrete(activity: 1, respiration: 2, circulation: 1, consciousness: 2, oxygenSaturation: 2)
    /// PADSS 9 and 8 (Chung).
    static let padss9 = PADSS(vitalSigns: 2, activityMentalStatus: 2, painNauseaVomiting: 1, ivSiteBleeding: 2, intakeOutput: 2)
    static let padss8 = PADSS(vitalSigns: 1, activityMentalStatus: 2, painNauseaVomiting: 1, ivSiteBleeding: 2, intakeOutput: 2)

    /// A session driven through the workflow to `state` (times: check-in 0, checklist 5, start 10, completion 55,
    /// Aldrete 60, chair left 61, PADSS 75, discharge 76 minutes after `t0`).
    static func session(in state: SessionState) -> InfusionSession {
        var s = scheduled()
        func go(_ e: SessionEvent, _ m: Double) { try! s.apply(e, at: at(m), by: nurse) }
        switch state {
        case .scheduled: break
        case .noShow: go(.noShow, 15)
        case .cancelled: go(.cancelled(reason: "Patient called: unwell"), -60)
        default:
            go(.checkIn, 0)
            if state == .checkedIn { break }
            if state == .transferred { go(.transferred(reason: "Chest pain"), 2); break }
            go(.checklistRecorded(passingChecklist), 5)
            if state == .ready { break }
            go(.started(rate: orderedRate), 10)
            if state == .infusing { break }
            if state == .paused { go(.paused(reason: "Nausea"), 20); break }
            go(.infusionCompleted, 55)
            if state == .recovering { break }
            go(.aldreteRecorded(aldrete10), 60)
            go(.leftChair, 61)
            go(.padssRecorded(padss9), 75)
            go(.discharged(escortName: "Sam Rivera", instructions: instructions), 76)
        }
        precondition(s.state == state)
        return s
    }

    /// An event of each kind whose values are acceptable.
    static func sample(_ kind: SessionEvent.Kind) -> SessionEvent {
        switch kind {
        case .checkIn: .checkIn
        case .checklistRecorded: .checklistRecorded(passingChecklist)
        case .preparationRecorded: .preparationRecorded(PreparationRecord(vialLot: "KX2291", vialStrength: "50 mg/mL",
                                                                           drawn: DrugAmount(micrograms: 100_000),
                                                                           finalVolumeMillilitres: 100, concentrationMicrogramsPerMillilitre: 1_000))
        case .started: .started(rate: orderedRate)
        case .rateChanged: .rateChanged(to: DoseRate(microgramsPerHour: 40_000), reason: "Patient uneasy", confirmedBy: nil)
        case .paused: .paused(reason: "Nausea")
        case .resumed: .resumed
        case .infusionCompleted: .infusionCompleted
        case .stoppedEarly: .stoppedEarly(reason: "Patient asked to stop")
        case .transferred: .transferred(reason: "Chest pain")
        case .vitalsRecorded: .vitalsRecorded(VitalsReading(takenAt: t0, systolic: 130, diastolic: 84, heartRate: 76))
        case .ivSiteChecked: .ivSiteChecked(IVSiteCheck(site: "Left forearm", condition: .patent))
        case .sedationScored: .sedationScored(MOAASScore(5))
        case .dissociationScored: .dissociationScored(CADSSShortForm(items: [1: 1, 2: 0, 6: 2, 7: 0, 15: 1, 22: 0]))
        case .sideEffectObserved: .sideEffectObserved(SideEffect(observedAt: t0, kind: .nausea, severity: .mild, action: .none))
        case .deviationDocumented: .deviationDocumented(PumpDeviation(occurredAt: t0, whatHappened: "Ran 2 min past stop", pumpReading: "VI 46.1 mL"))
        case .responseNoted: .responseNoted("Relaxed, reports pain easing")
        case .aldreteRecorded: .aldreteRecorded(aldrete10)
        case .leftChair: .leftChair
        case .padssRecorded: .padssRecorded(padss9)
        case .discharged: .discharged(escortName: "Sam Rivera", instructions: instructions)
        case .noShow: .noShow
        case .cancelled: .cancelled(reason: "Clinic closed: weather")
        }
    }

    /// The conflict message `body` throws, or nil when it throws something else or nothing.
    static func conflict(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch ClinicError.conflict(let message) { return message } catch { return nil }
    }

    /// The invalid fields `body` throws, or nil.
    static func invalidFields(_ body: () throws -> Void) -> [String]? {
        do { try body(); return nil } catch ClinicError.invalid(let fields) { return fields.map(\.field) } catch { return nil }
    }
}

extension PreInfusionChecklist {
    func with(_ change: (inout PreInfusionChecklist) -> Void) -> PreInfusionChecklist {
        var copy = self
        change(&copy)
        return copy
    }
}

/// The states and events the session workflow accepts, written out by hand from clinical-reference §6/§10 and the brief.
enum SessionWorkflowTable {
    static let observationsBeforeStart: Set<SessionEvent.Kind> = [.vitalsRecorded, .ivSiteChecked, .responseNoted]
    static let observationsAfterStart: Set<SessionEvent.Kind> = observationsBeforeStart
        .union([.sedationScored, .dissociationScored, .sideEffectObserved, .deviationDocumented])

    static let accepted: [SessionState: Set<SessionEvent.Kind>] = [
        .scheduled: [.checkIn, .noShow, .cancelled],
        .checkedIn: observationsBeforeStart.union([.checklistRecorded, .preparationRecorded, .cancelled, .transferred]),
        .ready: observationsBeforeStart.union([.checklistRecorded, .preparationRecorded, .started, .cancelled, .transferred]),
        .infusing: observationsAfterStart.union([.rateChanged, .paused, .infusionCompleted, .stoppedEarly, .transferred]),
        .paused: observationsAfterStart.union([.rateChanged, .resumed, .infusionCompleted, .stoppedEarly, .transferred]),
        .recovering: observationsAfterStart.union([.aldreteRecorded, .leftChair, .padssRecorded, .discharged, .transferred]),
        .discharged: [], .noShow: [], .cancelled: [], .transferred: [],
    ]

    static var illegalPairs: [(SessionState, SessionEvent.Kind)] {
        SessionState.allCases.flatMap { state in
            SessionEvent.Kind.allCases.filter { !accepted[state]!.contains($0) }.map { (state, $0) }
        }
    }

    /// Accepted pairs whose event has no guard beyond the state (leaving the chair, PADSS and discharge have their own tests).
    static var unguardedAcceptedPairs: [(SessionState, SessionEvent.Kind)] {
        SessionState.allCases.flatMap { state in
            accepted[state]!.subtracting([.leftChair, .padssRecorded, .discharged]).sorted { $0.rawValue < $1.rawValue }.map { (state, $0) }
        }
    }
}

@Suite("Infusion session transitions (clinical-reference §6, §10)")
struct SessionTransitionTests {
    typealias F = SessionFixture

    struct Move: Sendable, CustomTestStringConvertible {
        var from: SessionState
        var event: SessionEvent
        var to: SessionState
        var reason: String?
        var testDescription: String { "\(from) —\(event.kind)→ \(to)" }
    }

    static let legalMoves: [Move] = [
        Move(from: .scheduled, event: .checkIn, to: .checkedIn),
        Move(from: .scheduled, event: .noShow, to: .noShow),
        Move(from: .scheduled, event: .cancelled(reason: "Patient called"), to: .cancelled, reason: "Patient called"),
        Move(from: .checkedIn, event: .checklistRecorded(F.passingChecklist), to: .ready),
        Move(from: .checkedIn, event: .cancelled(reason: "Unwell today"), to: .cancelled, reason: "Unwell today"),
        Move(from: .checkedIn, event: .transferred(reason: "Chest pain"), to: .transferred, reason: "Chest pain"),
        Move(from: .ready, event: .started(rate: F.orderedRate), to: .infusing),
        Move(from: .ready, event: .checklistRecorded(F.failingChecklist), to: .checkedIn, reason: "The latest pre-infusion checklist did not pass."),
        Move(from: .ready, event: .cancelled(reason: "Pump fault"), to: .cancelled, reason: "Pump fault"),
        Move(from: .ready, event: .transferred(reason: "Syncope"), to: .transferred, reason: "Syncope"),
        Move(from: .infusing, event: .paused(reason: "Nausea"), to: .paused, reason: "Nausea"),
        Move(from: .infusing, event: .infusionCompleted, to: .recovering),
        Move(from: .infusing, event: .stoppedEarly(reason: "Patient asked to stop"), to: .recovering, reason: "Patient asked to stop"),
        Move(from: .infusing, event: .transferred(reason: "Hypertensive crisis"), to: .transferred, reason: "Hypertensive crisis"),
        Move(from: .paused, event: .resumed, to: .infusing),
        Move(from: .paused, event: .infusionCompleted, to: .recovering),
        Move(from: .paused, event: .stoppedEarly(reason: "Persistent nausea"), to: .recovering, reason: "Persistent nausea"),
        Move(from: .paused, event: .transferred(reason: "Chest pain"), to: .transferred, reason: "Chest pain"),
        Move(from: .recovering, event: .transferred(reason: "Prolonged emergence reaction"), to: .transferred, reason: "Prolonged emergence reaction"),
    ]

    @Test("clinical-reference §6/§10 — every legal transition is timed, attributed and logged", arguments: legalMoves)
    func legalTransition(_ move: Move) throws {
        // given
        var session = F.session(in: move.from)
        let countBefore = session.transitions.count
        // when
        try session.apply(move.event, at: F.at(100), by: F.secondNurse)
        // then
        #expect(session.state == move.to)
        #expect(session.transitions.count == countBefore + 1)
        #expect(session.transitions.last == SessionTransition(from: move.from, to: move.to, at: F.at(100), by: F.secondNurse, reason: move.reason))
    }

    @Test("clinical-reference §6 — recovering → discharged after Aldrete ≥ 9, PADSS ≥ 9 and the escort")
    func dischargeTransition() throws {
        // given
        var session = F.session(in: .recovering)
        try session.apply(.aldreteRecorded(F.aldrete9), at: F.at(60), by: F.nurse)
        try session.apply(.leftChair, at: F.at(61), by: F.nurse)
        try session.apply(.padssRecorded(F.padss9), at: F.at(75), by: F.nurse)
        // when
        try session.apply(.discharged(escortName: "  Sam Rivera ", instructions: F.instructions), at: F.at(76), by: F.secondNurse)
        // then
        #expect(session.state == .discharged)
        #expect(session.transitions.last == SessionTransition(from: .recovering, to: .discharged, at: F.at(76), by: F.secondNurse))
        #expect(session.discharge?.value.escortName == "Sam Rivera")
        #expect(session.discharge?.value.aldrete == F.aldrete9)
        #expect(session.discharge?.value.padss == F.padss9)
        #expect(session.transitions.map(\.to) == [.checkedIn, .ready, .infusing, .recovering, .discharged])
    }

    @Test("brief — every illegal (state, event) pair is refused with a conflict naming the state",
          arguments: SessionWorkflowTable.illegalPairs)
    func illegalPairRefused(_ state: SessionState, _ kind: SessionEvent.Kind) {
        // given
        var session = F.session(in: state)
        let before = session
        // when
        let message = F.conflict { try session.apply(F.sample(kind), at: F.at(200), by: F.nurse) }
        // then
        #expect(message != nil)
        #expect(message?.contains(state.title) == true)
        #expect(session == before)
    }

    @Test("brief — every accepted (state, event) pair without its own guard is accepted",
          arguments: SessionWorkflowTable.unguardedAcceptedPairs)
    func acceptedPair(_ state: SessionState, _ kind: SessionEvent.Kind) throws {
        // given
        var session = F.session(in: state)
        // when / then
        try session.apply(F.sample(kind), at: F.at(200), by: F.nurse)
    }

    @Test("the source's table of accepted states matches the hand-written workflow")
    func tableMatches() {
        for state in SessionState.allCases {
            for kind in SessionEvent.Kind.allCases {
                #expect(kind.allowedStates.contains(state) == SessionWorkflowTable.accepted[state]!.contains(kind), "\(state) \(kind)")
            }
        }
    }

    @Test("clinical-reference §10 — an infusion cannot start before the checklist has passed")
    func cannotStartBeforeChecklistPasses() {
        // given
        var session = F.session(in: .checkedIn)
        // when
        let message = F.conflict { try session.apply(.started(rate: F.orderedRate), at: F.at(10), by: F.nurse) }
        // then
        #expect(message == "An infusion cannot start before the pre-infusion checklist has passed (session is checked in).")
    }

    @Test("clinical-reference §10 — a failing checklist is stored but the session stays checked in")
    func failingChecklistStored() throws {
        // given
        var session = F.session(in: .checkedIn)
        // when
        try session.apply(.checklistRecorded(F.failingChecklist), at: F.at(5), by: F.nurse)
        // then
        #expect(session.state == .checkedIn)
        #expect(session.checklists.count == 1)
        #expect(!session.checklistPassed)
        #expect(session.transitions.count == 1)
    }

    @Test("clinical-reference §6 — a session stopped early still goes through recovery and discharge")
    func stoppedEarlyStillRecoversAndDischarges() throws {
        // given
        var session = F.session(in: .infusing)
        // when
        try session.apply(.stoppedEarly(reason: "Patient asked to stop"), at: F.at(30), by: F.nurse)
        // then
        #expect(session.state == .recovering)
        #expect(session.stoppedEarly)
        #expect(session.stoppedEarlyReason == "Patient asked to stop")
        #expect(session.rateHistory.last?.kind == .stopped(reason: "Patient asked to stop"))
        #expect(F.conflict { try session.apply(.discharged(escortName: "Sam Rivera", instructions: F.instructions), at: F.at(31), by: F.nurse) } != nil)
        try session.apply(.aldreteRecorded(F.aldrete10), at: F.at(40), by: F.nurse)
        try session.apply(.leftChair, at: F.at(41), by: F.nurse)
        try session.apply(.padssRecorded(F.padss9), at: F.at(55), by: F.nurse)
        try session.apply(.discharged(escortName: "Sam Rivera", instructions: F.instructions), at: F.at(56), by: F.nurse)
        #expect(session.state == .discharged)
        #expect(session.stoppedEarly)
    }

    @Test("clinical-reference §6 — a transfer from any state after check-in ends the session and stops the infusion",
          arguments: [SessionState.checkedIn, .ready, .infusing, .paused, .recovering])
    func transferStopsInfusion(_ state: SessionState) throws {
        // given
        var session = F.session(in: state)
        let wasRunning = state == .infusing || state == .paused
        let historyBefore = session.rateHistory.count
        // when
        try session.apply(.transferred(reason: "Chest pain"), at: F.at(100), by: F.physician)
        // then
        #expect(session.state == .transferred)
        #expect(session.transferReason == "Chest pain")
        #expect(session.transitions.last?.reason == "Chest pain")
        #expect(session.transitions.last?.by == F.physician)
        if wasRunning {
            #expect(session.rateHistory.count == historyBefore + 1)
            #expect(session.rateHistory.last == RateEvent(.stopped(reason: "Transferred to emergency care: Chest pain"), at: F.at(100), by: F.physician))
            #expect(session.infusionEndedAt == F.at(100))
        } else {
            #expect(session.rateHistory.count == historyBefore)
        }
        // The dose no longer grows after the transfer.
        #expect(session.deliveredDose(until: F.at(100)) == session.deliveredDose(until: F.at(500)))
        #expect(F.conflict { try session.apply(.vitalsRecorded(F.baseline), at: F.at(101), by: F.nurse) } != nil)
    }

    @Test("brief — a transfer needs a reason; so do an early stop and a cancellation")
    func reasonsRequired() {
        var infusing = F.session(in: .infusing)
        #expect(F.invalidFields { try infusing.apply(.transferred(reason: "  "), at: F.at(20), by: F.nurse) } == ["reason"])
        #expect(F.invalidFields { try infusing.apply(.stoppedEarly(reason: ""), at: F.at(20), by: F.nurse) } == ["reason"])
        var scheduled = F.session(in: .scheduled)
        #expect(F.invalidFields { try scheduled.apply(.cancelled(reason: ""), at: F.at(20), by: F.nurse) } == ["reason"])
        #expect(infusing.state == .infusing)
        #expect(scheduled.state == .scheduled)
    }

    @Test("brief — a finished session accepts only amendments", arguments: [SessionState.discharged, .noShow, .cancelled, .transferred])
    func amendmentsOnlyAfterFinal(_ state: SessionState) throws {
        // given
        var session = F.session(in: state)
        // when
        try session.amend("Vial lot corrected: KX2291, not KX2219.", at: F.at(300), by: F.physician)
        // then
        #expect(session.amendments == [InfusionSession.Amendment(text: "Vial lot corrected: KX2291, not KX2219.", at: F.at(300), by: F.physician)])
        #expect(session.state == state)
        #expect(F.invalidFields { try session.amend("   ", at: F.at(301), by: F.physician) } == ["text"])
        #expect(F.conflict { try session.apply(.responseNoted("late note"), at: F.at(302), by: F.nurse) }?.contains("add an amendment") == true)
    }

    @Test("brief — an unfinished session refuses amendments", arguments: [SessionState.scheduled, .checkedIn, .ready, .infusing, .paused, .recovering])
    func noAmendmentBeforeFinal(_ state: SessionState) {
        var session = F.session(in: state)
        #expect(F.conflict { try session.amend("Correction", at: F.at(300), by: F.physician) }?.contains(state.title) == true)
        #expect(session.amendments.isEmpty)
    }

    @Test("clinical-reference §4 — a rate change needs a reason, and a confirming clinician who is a second person")
    func rateChangeConfirmation() throws {
        // given
        var session = F.session(in: .infusing)
        let higher = DoseRate(microgramsPerHour: 70_000)
        // when / then
        #expect(F.invalidFields { try session.apply(.rateChanged(to: higher, reason: "Pain not relieved", confirmedBy: F.nurse), at: F.at(20), by: F.nurse) } == ["confirmedBy"])
        #expect(F.invalidFields { try session.apply(.rateChanged(to: higher, reason: " ", confirmedBy: nil), at: F.at(20), by: F.nurse) } == ["reason"])
        #expect(F.invalidFields { try session.apply(.rateChanged(to: .zero, reason: "Stop", confirmedBy: nil), at: F.at(20), by: F.nurse) } == ["rate"])
        try session.apply(.rateChanged(to: higher, reason: "Pain not relieved", confirmedBy: F.secondNurse), at: F.at(20), by: F.nurse)
        #expect(session.rateHistory.last == RateEvent(.rateChanged(to: higher, reason: "Pain not relieved", confirmedBy: F.secondNurse), at: F.at(20), by: F.nurse))
        #expect(session.currentRate == higher)
    }

    @Test("brief — entries are recorded in time order")
    func timeOrder() {
        var session = F.session(in: .infusing)
        #expect(F.invalidFields { try session.apply(.paused(reason: ""), at: F.at(9), by: F.nurse) } == ["at"])
        #expect(session.state == .infusing)
    }

    @Test("brief — a booking needs a slot that ends after it starts and a positive rate")
    func bookingValidated() {
        #expect(F.invalidFields {
            _ = try InfusionSession.scheduled(id: F.sessionID, patientID: F.patient, plannedStart: F.t0, plannedEnd: F.t0,
                                              protocolID: F.protocolID, protocolVersion: 0, orderedRate: .zero)
        } == ["plannedEnd", "protocolVersion", "orderedRate"])
    }

    @Test("a session survives a JSON round trip")
    func codable() throws {
        let session = F.session(in: .discharged)
        let data = try JSONEncoder().encode(session)
        #expect(try JSONDecoder().decode(InfusionSession.self, from: data) == session)
    }
}
