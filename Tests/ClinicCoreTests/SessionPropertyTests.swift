import Foundation
import PropertyBased
import Testing
@testable import ClinicCore

@Suite("Infusion session properties (clinical-reference §6, §10)")
struct SessionPropertyTests {
    typealias F = SessionFixture

    /// The event that moves a session one step along the normal path, if any.
    static func nextOnPath(_ s: InfusionSession) -> SessionEvent.Kind? {
        switch s.state {
        case .scheduled: .checkIn
        case .checkedIn: .checklistRecorded
        case .ready: .started
        case .infusing, .paused: .infusionCompleted
        case .recovering:
            s.recoveryPhase == .monitoredChair ? (s.latestAldrete?.allowsLeavingChair == true ? .leftChair : .aldreteRecorded)
                : (s.latestPADSS?.allowsGoingHome == true ? .discharged : .padssRecorded)
        default: nil
        }
    }

    /// An event of `kind` whose values vary with `variant`: failing checklists, low scores and a missing escort included.
    static func event(_ kind: SessionEvent.Kind, variant: Int) -> SessionEvent {
        switch kind {
        case .checklistRecorded: variant % 3 == 0 ? .checklistRecorded(F.failingChecklist) : .checklistRecorded(F.passingChecklist)
        case .aldreteRecorded: .aldreteRecorded([F.aldrete8, F.aldrete9, F.aldrete10][variant % 3])
        case .padssRecorded: .padssRecorded([F.padss8, F.padss9][variant % 2])
        case .discharged: .discharged(escortName: variant % 3 == 0 ? "" : "Sam Rivera", instructions: F.instructions)
        default: F.sample(kind)
        }
    }

    /// Steps: follow the normal path (true) or pick any kind; a payload variant.
    static let steps = zip(Gen.bool(0.7), Gen<SessionEvent.Kind>.case, Gen.int(in: 0...5)).array(of: 0...60)

    @Test("Aldrete 1995, Chung PADSS, clinical-reference §6/§10 — no event sequence reaches discharged without a passed checklist, Aldrete ≥ 9, PADSS ≥ 9 and an escort")
    func dischargeNeedsEverything() async {
        await propertyCheck(count: 400, input: Self.steps) { steps in
            // given
            var session = F.scheduled()
            var minute = 0.0
            // when
            for (follow, anyKind, variant) in steps {
                minute += 1
                let kind = follow ? (Self.nextOnPath(session) ?? anyKind) : anyKind
                let before = session
                do {
                    try session.apply(Self.event(kind, variant: variant), at: F.at(minute), by: F.nurse)
                } catch {
                    #expect(session == before, "a refused event leaves the session unchanged")
                }
            }
            // then
            let chain = zip(session.transitions, session.transitions.dropFirst()).allSatisfy { $0.to == $1.from }
            #expect(chain)
            #expect(session.transitions.last?.to ?? .scheduled == session.state)
            if session.state == .discharged {
                #expect(session.checklists.contains { $0.value.passed })
                #expect(session.leftChair.map { $0.value.total >= 9 } == true)
                #expect(session.latestAldrete.map { $0.total >= 9 } == true)
                #expect(session.latestPADSS.map { $0.total >= 9 } == true)
                #expect(session.discharge.map { !$0.value.escortName.isEmpty } == true)
                #expect(session.infusionStartedAt != nil)
                #expect(session.infusionEndedAt != nil)
            }
            if session.state == .infusing || session.state == .paused || session.state == .recovering {
                #expect(session.checklists.contains { $0.value.passed })
            }
            // The delivered dose never decreases over time.
            #expect(session.deliveredDose(until: F.at(minute)) <= session.deliveredDose(until: F.at(minute + 60)))
        }
    }
}
